"""Where a scrape's snapshot comes from: the live kernel, read at scrape time.

neighctl.kernel.snapshot.take_snapshot reads the scope (the current
namespace, one named namespace, or every namespace on the node) and
neighctl.diagnose.run_checks runs the doctor on it, so the findings in the
metrics are the ones `neighctl doctor` prints for the same scope.
"""

from __future__ import annotations

from collections.abc import Callable

from neighctl.diagnose.findings import Report
from neighctl.errors import UsageError
from neighctl.snapshot import Snapshot

Source = Callable[[], tuple[Snapshot, Report | None]]


def live_source(
    netns: str | None = None, *, all_namespaces: bool = False, doctor: bool = True
) -> Source:
    """A function reading the kernel (and running the doctor's checks) each time it is called.

    The arguments are checked now; a missing namespace is found at the first read
    (NamespaceNotFoundError), which the callers make before they serve.
    """
    if netns is not None and all_namespaces:
        raise UsageError("--netns and --all-namespaces exclude each other")

    def take() -> tuple[Snapshot, Report | None]:
        from neighctl.diagnose import run_checks
        from neighctl.kernel.snapshot import take_snapshot

        snapshot = take_snapshot(netns, all_namespaces=all_namespaces)
        return snapshot, run_checks(snapshot) if doctor else None

    return take
