"""Views of a probe: text for a person, JSON for a script."""

from __future__ import annotations

import json
from typing import Any

from neighctl.model import AF_INET, Neighbor, state_words
from neighctl.probe import Outcome, ProbeResult
from neighctl.render.jsonview import to_json_dict


def _state(n: Neighbor | None) -> str:
    if n is None:
        return "(no entry)"
    return "|".join(state_words(n.state)) or "NONE"


def _value(value: int, unit: str) -> str:
    return f"{value} ms" if unit == "ms" else str(value)


def render_probe_text(r: ProbeResult) -> str:
    """The outcome on the first line, then the transitions, the timers and, on failure,
    the likely causes."""
    after = r.after
    head = f"{r.dst} dev {r.dev}: "
    if r.outcome is Outcome.REACHABLE and not r.sent:
        age = f", confirmed {after.confirmed:g} s ago" if after and after.confirmed else ""
        head += f"REACHABLE already{age} (lladdr {after.lladdr if after else '-'}); nothing sent"
    elif r.outcome is Outcome.REACHABLE:
        head += f"REACHABLE after {r.elapsed:.2f} s (lladdr {after.lladdr if after else '-'})"
    elif r.outcome is Outcome.FAILED:
        head += f"FAILED after {r.elapsed:.2f} s: no answer"
        if after is None:
            head += " (the entry was removed)"
    else:
        head += f"still {_state(after)} after {r.elapsed:.2f} s (--timeout {r.timeout:g} s)"
    lines = [head]
    if r.sent:
        lines.append("Transitions:")
        for step in r.steps:
            entry = step.entry
            extra = ""
            if entry is not None and entry.lladdr:
                extra += f"  lladdr {entry.lladdr}"
            if entry is not None and entry.probes:
                extra += f"  probes {entry.probes}"
            lines.append(f"  {step.at:6.2f} s  {_state(entry)}{extra}")
    timers = r.timers()
    if timers:
        family = "IPv4" if r.family == AF_INET else "IPv6"
        lines.append(f"Timers ({family}, {r.dev}):")
        width = max(len(t.name) for t in timers)
        vwidth = max(len(_value(t.value, t.unit)) for t in timers)
        lines += [
            f"  {t.name:<{width}}  {_value(t.value, t.unit):>{vwidth}}  {t.role}" for t in timers
        ]
    causes = r.causes()
    if causes:
        lines.append("Likely causes:")
        lines += [f"  - {c.text}" for c in causes]
    return "\n".join(lines) + "\n"


def probe_dict(r: ProbeResult) -> dict[str, Any]:
    """The probe as a JSON-ready object (documented in docs/commands/probe.md)."""
    return {
        "dst": r.dst,
        "dev": r.dev,
        "family": "inet" if r.family == AF_INET else "inet6",
        "outcome": r.outcome.value,
        "exit_code": int(r.exit_code),
        "sent": r.sent,
        "elapsed": round(r.elapsed, 3),
        "timeout": r.timeout,
        "before": None if r.before is None else to_json_dict(r.before, stats=True),
        "after": None if r.after is None else to_json_dict(r.after, stats=True),
        "steps": [
            {
                "at": round(s.at, 3),
                "state": state_words(s.state) if s.entry is not None else None,
                "lladdr": None if s.entry is None else s.entry.lladdr,
                "probes": None if s.entry is None else s.entry.probes,
            }
            for s in r.steps
        ],
        "timers": [
            {"name": t.name, "value": t.value, "unit": t.unit, "role": t.role} for t in r.timers()
        ],
        "causes": [{"code": c.code, "text": c.text} for c in r.causes()],
    }


def render_probe_json(r: ProbeResult) -> str:
    return json.dumps(probe_dict(r), separators=(",", ":")) + "\n"
