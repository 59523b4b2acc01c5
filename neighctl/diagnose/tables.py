"""What `neighctl ntable` shows, as data: each family's table, its GC split, the parameters.

Pure: built from parameters and an all-namespace snapshot (neighctl.ntable
reads them from the kernel); render/ntable.py draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neighctl.diagnose.accounting import TableCount, count_tables
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
