"""The kernel's own accounting of the neighbour tables, computed from a snapshot.

net/core/neighbour.c keeps two counts per table, each shared by every
namespace on the node:

- ``entries`` (tbl->entries): every entry. `ip ntable` prints it, and
  periodic GC (neigh_periodic_work) does nothing while it is below
  gc_thresh1.
- ``gc_entries`` (tbl->gc_entries): entries on the GC list. neigh_alloc
  compares it with gc_thresh2/gc_thresh3 before it allocates, runs forced
  GC, and when that frees nothing above gc_thresh3 logs "neighbor table
  overflow!", counts table_fulls and fails with ENOBUFS. An entry is exempt
  (never on the list) when it is PERMANENT or extern_learn (or, since 6.16,
  externally validated) (neigh_update_gc_list) or was created by the kernel
  on a loopback device (__neigh_create; an entry added by hand on lo without
  `nud permanent` does count, a rarity this module does not model).

Proxy entries live in a separate hash (pneigh) and count in neither.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from neighctl.model import AF_INET, AF_INET6, Neighbor, NeighFlag, NudState, state_words
from neighctl.snapshot import IFF_LOOPBACK, NamespaceSnapshot, Snapshot
from neighctl.timers import DEFAULT_TABLES, TableParms

EXT_VALIDATED = int(NeighFlag.EXT_VALIDATED)
_PERMANENT = int(NudState.PERMANENT)
_EXT = int(NeighFlag.EXT_LEARNED) | EXT_VALIDATED
_PROXY = int(NeighFlag.PROXY)

EXEMPT_REASONS = ("permanent", "extern_learn", "loopback")


def exempt_reason(n: Neighbor, loopback: frozenset[str] | set[str]) -> str | None:
    """Why the kernel keeps ``n`` off the GC list ("permanent", "extern_learn",
    "loopback"), or None if it counts against gc_thresh2/3.

    Proxy entries are not neighbour-table entries at all: callers leave them out.
    """
    if int(n.state) & _PERMANENT:
        return "permanent"
    if int(n.flags) & _EXT:
        return "extern_learn"
    if n.dev in loopback:
        return "loopback"
    return None


def loopback_devices(ns: NamespaceSnapshot) -> set[str]:
    """Devices with IFF_LOOPBACK (``lo`` when the links were not read)."""
    if ns.links is None:
        return {"lo"}
    return {link.name for link in ns.links if link.flags & IFF_LOOPBACK}


@dataclass(slots=True)
class TableCount:
    """One family's entries, counted over the namespaces a snapshot read.

    ``eligible`` counts entries on the GC list; ``exempt`` by reason;
    ``proxy`` the proxy entries (in no count); ``by_place`` eligible entries
    per (namespace label, device); ``states`` eligible entries per state word.
    ``complete`` is True when every namespace on the node was read, so
    ``eligible`` is the kernel's gc_entries (give or take changes while it was
    read); ``unread`` names the namespaces that could not be read.
    """

    family: int
    table: TableParms
    eligible: int = 0
    exempt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EXEMPT_REASONS, 0))
    proxy: int = 0
    by_place: Counter[tuple[str, str]] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    namespaces: int = 0
    complete: bool = False
    unread: list[str] = field(default_factory=list)

    @property
    def counted(self) -> int:
        """Entries seen: eligible plus exempt (proxy entries excluded)."""
        return self.eligible + sum(self.exempt.values())

    @property
    def exempt_total(self) -> int:
        return sum(self.exempt.values())

    @property
    def eligible_upper(self) -> int:
        """The most gc_entries can be: exact when complete, else what the
        table holds beyond the exempt entries seen."""
        if self.complete:
            return self.eligible
        total = self.table.entries
        if total is None:
            return self.eligible
        return max(self.eligible, total - self.exempt_total)

    def headroom(self) -> dict[str, int]:
        """Threshold -> how many more entries fit below it (negative: over).

        gc_thresh2/3 are compared with the eligible entries (neigh_alloc),
        gc_thresh1 with all entries (neigh_periodic_work), as the kernel does.
        """
        t = self.table
        total = t.entries if t.entries is not None else self.counted
        return {
            "gc_thresh1": t.gc_thresh1 - total,
            "gc_thresh2": t.gc_thresh2 - self.eligible,
            "gc_thresh3": t.gc_thresh3 - self.eligible,
        }


def count_tables(snapshot: Snapshot) -> dict[int, TableCount]:
    """Family -> its TableCount, over every namespace the snapshot holds."""
    tables = snapshot.tables or {}
    counts = {
        fam: TableCount(family=fam, table=tables.get(fam, DEFAULT_TABLES[fam]))
        for fam in (AF_INET, AF_INET6)
    }
    unread = [ns.label for ns in snapshot.namespaces if ns.error or ns.neighbors is None]
    for count in counts.values():
        count.complete = snapshot.complete and not unread
        count.unread = unread
    for ns in snapshot.namespaces:
        if ns.neighbors is not None:
            add_namespace(counts, ns)
    return counts


def add_namespace(counts: dict[int, TableCount], ns: NamespaceSnapshot) -> None:
    """Add one namespace's entries to ``counts`` (family -> TableCount)."""
    loopback = loopback_devices(ns)
    label = ns.label
    for each in counts.values():
        each.namespaces += 1
    for n in ns.neighbors or ():
        found = counts.get(n.family)
        if found is None:
            continue
        if int(n.flags) & _PROXY:
            found.proxy += 1
            continue
        reason = exempt_reason(n, loopback)
        if reason is None:
            found.eligible += 1
            found.by_place[(label, n.dev)] += 1
            found.states[_state_word(n)] += 1
        else:
            found.exempt[reason] += 1


def count_namespace(ns: NamespaceSnapshot) -> dict[int, TableCount]:
    """One namespace's share of each family's table (tables left at their defaults)."""
    counts = {fam: TableCount(family=fam, table=DEFAULT_TABLES[fam]) for fam in (AF_INET, AF_INET6)}
    add_namespace(counts, ns)
    return counts


def _state_word(n: Neighbor) -> str:
    return "|".join(state_words(n.state)) or "NONE"


def stats_delta(before: TableParms | None, after: TableParms, name: str) -> int | None:
    """How much counter ``name`` grew between two readings (None if not known)."""
    if before is None or name not in before.stats or name not in after.stats:
        return None
    return after.stats[name] - before.stats[name]
