"""doctor: checks that are pure functions of a neighctl.snapshot.Snapshot.

Each check takes the snapshot and returns findings (neighctl.diagnose.findings);
a check that lacks the data it needs (a saved output without routes, say)
raises SkipCheck and is reported as skipped. The same checks run on a live
snapshot (neighctl.kernel.snapshot) and on saved outputs (neighctl.parse).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from neighctl.diagnose import calico, capacity, duplicate, failed, namespaces, proxy, router, vxlan
from neighctl.diagnose.common import SkipCheck
from neighctl.diagnose.findings import Finding, Report, Severity
from neighctl.errors import UsageError
from neighctl.snapshot import Snapshot

Check = Callable[[Snapshot], list[Finding]]

# Check id -> function, in the order they run and are reported.
REGISTRY: dict[str, Check] = {
    namespaces.CHECK: namespaces.check,
    capacity.CHECK: capacity.check,
    failed.CHECK: failed.check,
    proxy.CHECK: proxy.check,
    router.CHECK: router.check,
    duplicate.CHECK: duplicate.check,
    calico.CHECK: calico.check,
    vxlan.CHECK: vxlan.check,
}
CHECKS: tuple[str, ...] = tuple(REGISTRY)

__all__ = ["CHECKS", "Finding", "Report", "Severity", "SkipCheck", "run_checks"]


def run_checks(snapshot: Snapshot, checks: Sequence[str] | None = None) -> Report:
    """Run ``checks`` (ids from CHECKS; all when None) on ``snapshot``.

    Raises UsageError for an unknown check id. Findings come in CHECKS order.
    """
    wanted = list(CHECKS) if not checks else list(dict.fromkeys(checks))
    unknown = [c for c in wanted if c not in REGISTRY]
    if unknown:
        raise UsageError(f"unknown check {unknown[0]!r}", "checks: " + ", ".join(CHECKS))
    report = Report()
    for name in CHECKS:
        if name not in wanted:
            continue
        try:
            found = REGISTRY[name](snapshot)
        except SkipCheck as skip:
            report.skipped[name] = str(skip)
            continue
        report.checks.append(name)
        report.findings.extend(found)
    return report
