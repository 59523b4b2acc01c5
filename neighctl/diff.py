"""The difference between two neighbour tables: entries added, removed and changed.

An entry is the same entry in both tables when its address, device and
proxy-ness are the same (the kernel's own key: neigh_lookup by dst and
device, the proxy table apart). It *changed* when its link-layer address,
state or flags differ; ages, probes and reference counts always move and
are not differences. After a failover the question is "whose MAC changed":
``Diff.changed`` answers it, each change naming the fields that differ.

Sides may differ in precision: `arp`, /proc/net/arp and `ip -br` give a
*set* of states a resolved entry may be in and show no flags. A state set
that holds the other side's state is no change (REACHABLE|STALE|DELAY|PROBE
before, STALE after), and flags are compared only when both sides can show
them: a side with any state set in it came from such a tool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from neighctl.model import AF_INET, AF_INET6, Neighbor

if TYPE_CHECKING:
    from neighctl.filters import NeighFilter
    from neighctl.parse.base import Warn

Key = tuple[str, str, bool]
COMPARED = ("lladdr", "state", "flags")


def key_of(n: Neighbor) -> Key:
    return (n.dst, n.dev, n.is_proxy)


@dataclass(frozen=True, slots=True)
class Change:
    """One entry in both tables with different ``fields`` (names from COMPARED)."""

    before: Neighbor
    after: Neighbor
    fields: tuple[str, ...]


@dataclass(slots=True)
class Diff:
    """Entries only in AFTER (added), only in BEFORE (removed), and in both but different."""

    added: list[Neighbor] = field(default_factory=list)
    removed: list[Neighbor] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # what makes the sides unlike

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _index(entries: Iterable[Neighbor]) -> tuple[dict[Key, Neighbor], bool]:
    """The entries by key, and whether the source shows flags (no state sets in it)."""
    table: dict[Key, Neighbor] = {}
    exact = True
    for n in entries:
        table[key_of(n)] = n  # a table lists each entry once; the last listing wins
        if int(n.state).bit_count() > 1:
            exact = False
    return table, exact


def states_differ(before: int, after: int) -> bool:
    """Whether two states (or state sets) are different: neither holds the other.

    NONE (0) is a state of its own, not the empty set.
    """
    if before == after:
        return False
    if not before or not after:
        return True
    return bool(before & ~after) and bool(after & ~before)


def _order(n: Neighbor) -> tuple[str, int, str, bool]:
    """Device, then family, then address as text sorts them in a table a person reads."""
    return (n.dev, n.family, n.dst, n.is_proxy)


def diff_tables(before: Iterable[Neighbor], after: Iterable[Neighbor]) -> Diff:
    """Compare two tables (any sources: kernel, saved text, sosreport)."""
    old, old_flags = _index(before)
    new, new_flags = _index(after)
    flags_known = old_flags and new_flags
    result = Diff()
    for key, n in new.items():
        prior = old.get(key)
        if prior is None:
            result.added.append(n)
            continue
        fields = tuple(
            name
            for name, differs in (
                ("lladdr", prior.lladdr != n.lladdr),
                ("state", states_differ(int(prior.state), int(n.state))),
                ("flags", flags_known and prior.flags != n.flags),
            )
            if differs
        )
        if fields:
            result.changed.append(Change(prior, n, fields))
        else:
            result.unchanged += 1
    result.removed = [n for key, n in old.items() if key not in new]
    result.notes = _family_notes(old.values(), new.values(), (old_flags, new_flags))
    result.added.sort(key=_order)
    result.removed.sort(key=_order)
    result.changed.sort(key=lambda c: _order(c.after))
    return result


_FAMILIES = ((AF_INET, "IPv4", "-6", "IPv6"), (AF_INET6, "IPv6", "-4", "IPv4"))


def _family_notes(
    old: Iterable[Neighbor], new: Iterable[Neighbor], exact: tuple[bool, bool]
) -> list[str]:
    """A side that holds no entry of a family the other has (arp shows no IPv6):
    every such entry is added or removed, which the reader should know. ``exact``
    says of each side whether it has no state sets (an arp-like tool's if not)."""
    old_count = Counter(n.family for n in old)
    new_count = Counter(n.family for n in new)
    notes = []
    for family, name, option, other in _FAMILIES:
        for lacking, having, have_count, lack_count, lacking_exact in (
            ("BEFORE", "AFTER", new_count, old_count, exact[0]),
            ("AFTER", "BEFORE", old_count, new_count, exact[1]),
        ):
            if lack_count and not lack_count[family] and have_count[family]:
                arp_like = family == AF_INET6 and not lacking_exact
                why = " (arp and /proc/net/arp show none)" if arp_like else ""
                verb = "added" if lacking == "BEFORE" else "removed"
                notes.append(
                    f"{lacking} has no {name} entries{why}: the {have_count[family]} in "
                    f"{having} {'is' if have_count[family] == 1 else 'are'} listed as {verb}; "
                    f"{option} compares {other} only"
                )
    return notes


LIVE = ("-", "live")


def takes_netns(spec: str) -> bool:
    """Whether ``--netns`` means something for this side: the kernel, or a sosreport."""
    import os

    return spec in LIVE or os.path.isdir(spec)


def read_side(
    spec: str,
    filt: NeighFilter,
    *,
    netns: str | None = None,
    lenient: Warn | None = None,
    note: Callable[[str], None] | None = None,
) -> list[Neighbor]:
    """One side of a diff: ``-``/``live`` for the kernel now (namespace ``netns``), a
    directory (a sosreport: its host namespace, or ``netns``), or a saved file; the
    entries ``filt`` selects. Raises what the kernel reader or the parser raises."""
    if spec in LIVE:
        from neighctl.kernel.dump import read_neighbors

        return read_neighbors(filt, netns=netns)
    import os

    if os.path.isdir(spec):
        from neighctl.parse.sosreport import directory_neighbors

        return list(filt.select(directory_neighbors(spec, "auto", lenient, note, netns)))
    if netns is not None:
        from neighctl.errors import UsageError

        raise UsageError(
            f"{spec}: --netns applies to the live kernel and to sosreport directories, "
            "not to a saved file"
        )
    from neighctl.parse import iter_path

    return list(filt.select(iter_path(spec, lenient=lenient, note=note)))
