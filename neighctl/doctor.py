"""The library call behind `neighctl doctor`: take a snapshot (live or saved), run the checks."""

from __future__ import annotations

import time
from collections.abc import Sequence

from neighctl.diagnose import CHECKS, run_checks
from neighctl.diagnose.findings import Report
from neighctl.errors import UsageError, closest
from neighctl.snapshot import Snapshot

MAX_INTERVAL = 86400  # seconds


def validate_checks(checks: Sequence[str] | None) -> list[str] | None:
    """The check ids asked for (any case), or UsageError naming the valid ones."""
    if not checks:
        return None
    out: list[str] = []
    for name in checks:
        word = name.strip().lower()
        if word not in CHECKS:
            close = closest(word, CHECKS)
            hint = (f"did you mean {close}? " if close else "") + "checks: " + ", ".join(CHECKS)
            raise UsageError(f"unknown check {name!r}", hint)
        out.append(word)
    return out


def load_saved(path: str) -> Snapshot:
    """A snapshot from saved outputs (a sosreport), through neighctl.parse's reader."""
    import neighctl.parse as parse

    reader = getattr(parse, "read_snapshot", None)
    if reader is None:
        raise UsageError(
            "--from is not available yet: this build cannot read saved outputs into a snapshot"
        )
    snapshot: Snapshot = reader(path)
    return snapshot


def run_doctor(
    *,
    netns: str | None = None,
    all_namespaces: bool = False,
    source: str | None = None,
    checks: Sequence[str] | None = None,
    interval: float | None = None,
) -> tuple[Report, Snapshot]:
    """Diagnose the node (or ``source``); returns the report and the snapshot it read.

    With ``interval`` the tables' counters are read, then again after
    ``interval`` seconds with the rest of the snapshot, so the capacity check
    sees table_fulls and forced_gc_runs grow. Raises UsageError for bad
    combinations or check ids, NamespaceNotFoundError for an unknown --netns.
    """
    wanted = validate_checks(checks)
    if netns is not None and all_namespaces:
        raise UsageError("--netns and --all-namespaces exclude each other")
    # `not (a < x <= b)` also refuses NaN; infinity would overflow time.sleep.
    if interval is not None and not 0 < interval <= MAX_INTERVAL:
        raise UsageError(
            f"--interval takes a positive number of seconds, at most {MAX_INTERVAL} (a day)"
        )
    if source is not None:
        if netns is not None or all_namespaces or interval is not None:
            raise UsageError(
                "--from reads saved outputs; --netns, --all-namespaces and --interval need "
                "the live kernel"
            )
        snapshot = load_saved(source)
    else:
        from neighctl.kernel.snapshot import read_tables, take_snapshot

        before = None
        start = time.monotonic()
        if interval is not None:
            before = read_tables()
            time.sleep(interval)
        snapshot = take_snapshot(netns, all_namespaces=all_namespaces)
        if before is not None:
            snapshot.tables_before = before
            snapshot.interval = round(time.monotonic() - start, 3)
    return run_checks(snapshot, wanted), snapshot
