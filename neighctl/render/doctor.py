"""doctor's views: text grouped by severity (rich) and JSON with the same data."""

from __future__ import annotations

import json
from typing import Any

from neighctl.diagnose.findings import Finding, Report, Severity
from neighctl.model import FAMILY_NAMES
from neighctl.render.document import render_to_text
from neighctl.snapshot import Snapshot

SCHEMA_VERSION = 1
STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
    Severity.OK: "green",
}
ORDER = (Severity.CRITICAL, Severity.WARNING, Severity.INFO, Severity.OK)


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "check": f.check,
        "severity": f.severity.word,
        "title": f.title,
        "netns": f.netns,
        "dev": f.dev,
        "family": None if f.family is None else FAMILY_NAMES.get(f.family, str(f.family)),
        "evidence": f.evidence,
        "action": f.action,
    }


def report_json(report: Report, snapshot: Snapshot) -> dict[str, Any]:
    """The JSON document (docs/commands/doctor.md describes each key)."""
    counts = {sev.word: 0 for sev in ORDER}
    for f in report.findings:
        counts[f.severity.word] += 1
    return {
        "schema": SCHEMA_VERSION,
        "source": snapshot.source,
        "taken_at": snapshot.taken_at,
        "complete": snapshot.complete,
        "interval": snapshot.interval,
        "namespaces": [
            {
                "netns": ns.label,
                "name": ns.name,
                "inode": ns.inode,
                "error": ns.error,
                "unread": ns.unread,
            }
            for ns in snapshot.namespaces
        ],
        "checks": report.checks,
        "skipped": report.skipped,
        "worst": report.worst.word,
        "exit_code": int(report.exit_code),
        "counts": counts,
        "findings": [finding_json(f) for f in report.findings],
    }


def render_doctor_json(report: Report, snapshot: Snapshot) -> str:
    return json.dumps(report_json(report, snapshot), indent=2) + "\n"


# NamespaceSnapshot.unread's fields as the text names them.
_UNREAD_NAMES = {
    "neighbors": "neighbour entries",
    "fdb": "FDB",
    "parms": "neighbour parameters",
    "tables": "table thresholds",
}


def unread_lines(snapshot: Snapshot) -> list[str]:
    """What each namespace's saved outputs lacked, one line per namespace and reason."""
    lines: list[str] = []
    for ns in snapshot.namespaces:
        by_reason: dict[str, list[str]] = {}
        for field, why in ns.unread.items():
            by_reason.setdefault(why, []).append(_UNREAD_NAMES.get(field, field))
        lines.extend(
            f"{ns.label}: {', '.join(fields)} ({why})" for why, fields in by_reason.items()
        )
    return lines


def _where(f: Finding) -> str:
    parts = []
    if f.netns:
        parts.append(f"netns {f.netns}")
    if f.dev:
        parts.append(f"dev {f.dev}")
    if f.family is not None and not f.dev:
        parts.append(FAMILY_NAMES.get(f.family, str(f.family)))
    return f" ({', '.join(parts)})" if parts else ""


def _evidence_lines(evidence: dict[str, Any], *, full: bool = False) -> list[str]:
    """Evidence as `key: value` lines: short ones, at most 8 (JSON has all of it),
    or all of it in full when ``full`` (--verbose)."""
    lines: list[str] = []
    for key, value in evidence.items():
        if value is None or value == [] or value == {}:
            continue
        text = value if isinstance(value, str) else json.dumps(value, separators=(", ", ": "))
        if len(text) > 160 and not full:
            text = text[:157] + "..."
        lines.append(f"{key}: {text}")
        if len(lines) >= 8 and not full:
            break
    return lines


def render_doctor_text(
    report: Report,
    snapshot: Snapshot,
    *,
    color: bool = False,
    width: int | None = None,
    verbose: bool = False,
) -> str:
    """Findings grouped by severity, worst first; then the checks that found nothing."""

    def draw(console: Any) -> None:
        from rich.padding import Padding
        from rich.text import Text

        where = (
            "every namespace"
            if snapshot.complete
            else ", ".join(ns.label for ns in snapshot.namespaces)
        )
        source = "" if snapshot.source == "live" else f" from {snapshot.source}"
        console.print(Text(f"neighctl doctor: {where}{source}", style="bold"))
        console.print(
            Text(
                f"{len(report.checks)} check{'' if len(report.checks) == 1 else 's'}, "
                + ", ".join(
                    f"{sum(1 for f in report.findings if f.severity == sev)} {sev.word}"
                    for sev in ORDER[:3]
                )
            )
        )
        for sev in ORDER:
            group = [f for f in report.findings if f.severity == sev]
            if not group:
                continue
            console.print()
            console.print(Text(f"{sev.word.upper()} ({len(group)})", style=STYLE[sev] + " bold"))
            for f in group:
                head = Text(f"[{f.check}]", style=STYLE[sev])
                head.append(f" {f.title}{_where(f)}", style="")
                console.print(Padding(head, (0, 0, 0, 2)))
                if verbose or sev >= Severity.WARNING:
                    for line in _evidence_lines(f.evidence, full=verbose):
                        console.print(Padding(Text(line, style="dim"), (0, 0, 0, 6)))
                if f.action:
                    # Never wrapped by us: a command broken over two lines runs as two
                    # (the terminal's own soft wrap copies as one line).
                    act = Text("    ")
                    act.append("->", style="bold")
                    act.append(f" {f.action}")
                    console.print(act, soft_wrap=True)
        quiet = [c for c in report.checks if not any(f.check == c for f in report.findings)]
        if quiet:
            console.print()
            console.print(Text("nothing found by: " + ", ".join(quiet), style=STYLE[Severity.OK]))
        if report.skipped:
            console.print()
            for name, why in report.skipped.items():
                console.print(Text(f"skipped {name}: {why}", style="dim"))
        gaps = unread_lines(snapshot)
        if gaps:
            console.print()
            console.print(Text("not in the saved outputs (the checks ran without them):"))
            for line in gaps:
                console.print(Padding(Text(line, style="dim"), (0, 0, 0, 2)))

    return render_to_text(draw, color=color, width=width)
