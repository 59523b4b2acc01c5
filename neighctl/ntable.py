"""The library call behind `neighctl ntable`: what `ip ntable` shows, and the GC split it cannot.

The per-device parameters come from RTM_GETNEIGHTBL in the namespace asked
for; the tables (thresholds, counters) are the kernel's, one per family for
every namespace; the entries are counted over every namespace on the node
and split into gc-eligible and exempt (neighctl.diagnose.accounting).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neighctl.diagnose.accounting import TableCount, count_tables
from neighctl.errors import UsageError
from neighctl.filters import validate_device_name
from neighctl.model import AF_INET, AF_INET6
from neighctl.snapshot import Snapshot
from neighctl.timers import NeighParms, TableParms


@dataclass(slots=True)
class TableView:
    """One family: its table, the GC split of its entries, the parameters shown."""

    table: TableParms
    count: TableCount
    parms: list[NeighParms] = field(default_factory=list)

    @property
    def family(self) -> int:
        return self.table.family


@dataclass(slots=True)
class NtableReport:
    """What `ntable` prints: ``netns`` is the namespace whose devices are shown."""

    netns: str | None
    tables: list[TableView]
    stats: bool = False


def build_report(
    parms: list[NeighParms],
    counts_snapshot: Snapshot,
    *,
    netns: str | None = None,
    dev: str | None = None,
    family: int | None = None,
    stats: bool = False,
) -> NtableReport:
    """Assemble a report from parameters and an all-namespace snapshot (pure)."""
    counts = count_tables(counts_snapshot)
    tables = counts_snapshot.tables or {}
    views: list[TableView] = []
    for fam in (AF_INET, AF_INET6):
        if family is not None and fam != family:
            continue
        if fam not in tables:
            continue
        shown = [p for p in parms if p.family == fam and (dev is None or p.dev == dev)]
        shown.sort(key=lambda p: (p.dev is not None, p.dev or ""))
        views.append(TableView(table=tables[fam], count=counts[fam], parms=shown))
    return NtableReport(netns=netns, tables=views, stats=stats)


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
