"""Where a scrape's snapshot comes from: the live kernel, read at scrape time.

neighctl.kernel.snapshot.take_snapshot reads the scope (the current
namespace, one named namespace, or every namespace on the node) and
neighctl.diagnose.run_checks runs the doctor on it, so the findings in the
metrics are the ones `neighctl doctor` prints for the same scope.

The checks cost more than the counts (on 50,000 entries ~0.4 s against
~0.25 s for the read, and they need routes, FDB and sysctls of every
namespace), and their findings change slowly: a long-running exporter runs
them every ``doctor_interval`` seconds and, in between, reads only the
neighbours and links the counts need.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from neighctl.diagnose.findings import Report
from neighctl.errors import UsageError
from neighctl.snapshot import Snapshot

Source = Callable[[], tuple[Snapshot, Report | None]]

# What the counts need: entries, and links for the loopback exemption.
COUNT_PARTS = frozenset({"neighbors", "links"})


class LiveSource:
    """Reads the kernel each time it is called; runs the doctor when it is due.

    ``doctor_interval`` None: never run the checks; 0: at every call. Not
    thread-safe on its own: the collector calls it under its lock.
    """

    def __init__(
        self,
        netns: str | None = None,
        *,
        all_namespaces: bool = False,
        doctor_interval: float | None = 0.0,
    ) -> None:
        if netns is not None and all_namespaces:
            raise UsageError("--netns and --all-namespaces exclude each other")
        self.netns = netns
        self.all_namespaces = all_namespaces
        self.doctor_interval = doctor_interval
        self.report: Report | None = None
        self.report_at = float("-inf")

    def doctor_due(self, now: float) -> bool:
        if self.doctor_interval is None:
            return False
        return self.report is None or now - self.report_at >= self.doctor_interval

    def __call__(self) -> tuple[Snapshot, Report | None]:
        from neighctl.kernel.snapshot import take_snapshot

        now = time.monotonic()
        due = self.doctor_due(now)
        snapshot = take_snapshot(
            self.netns, all_namespaces=self.all_namespaces, parts=None if due else COUNT_PARTS
        )
        if due:
            from neighctl.diagnose import run_checks

            self.report = run_checks(snapshot)
            self.report_at = now
        return snapshot, self.report


def live_source(
    netns: str | None = None, *, all_namespaces: bool = False, doctor_interval: float | None = 0.0
) -> Source:
    """A LiveSource (see there); the arguments are checked now, the namespace at the first read."""
    return LiveSource(netns, all_namespaces=all_namespaces, doctor_interval=doctor_interval)
