"""The library call behind `neighctl ntable`: what `ip ntable` shows, and the GC split it cannot.

The per-device parameters come from RTM_GETNEIGHTBL in the namespace asked
for; the tables (thresholds, counters) are the kernel's, one per family for
every namespace; the entries are counted over every namespace on the node
and split into gc-eligible and exempt (neighctl.diagnose.accounting).
"""

from __future__ import annotations

from neighctl.diagnose.tables import NtableReport, TableView, build_report
from neighctl.errors import UsageError
from neighctl.filters import validate_device_name
from neighctl.model import AF_INET, AF_INET6

__all__ = ["NtableReport", "TableView", "build_report", "read_ntable"]


def read_ntable(
    *,
    netns: str | None = None,
    dev: str | None = None,
    ipv4: bool = False,
    ipv6: bool = False,
    stats: bool = False,
) -> NtableReport:
    """The live report. Raises UsageError (-4 with -6, a bad device name),
    NoSuchDeviceError (``dev`` not in the namespace), NamespaceNotFoundError."""
    from neighctl.kernel.ntable import read_parms
    from neighctl.kernel.snapshot import take_snapshot

    if ipv4 and ipv6:
        raise UsageError("-4 and -6 exclude each other; give neither for both families")
    family = AF_INET if ipv4 else AF_INET6 if ipv6 else None
    if dev is not None:
        validate_device_name(dev)
        parms = [p for p, _ in read_parms(dev, netns=netns)]
    else:
        own = take_snapshot(netns, parts={"parms"})
        parms = list(own.namespaces[0].parms or [])
    # Entries are counted over every namespace: the table and its thresholds are global.
    everything = take_snapshot(all_namespaces=True, parts={"neighbors"})
    return build_report(parms, everything, netns=netns, dev=dev, family=family, stats=stats)
