"""The difference between two neighbour tables: entries added, removed and changed.

An entry is the same entry in both tables when its address, device and
proxy-ness are the same (the kernel's own key: neigh_lookup by dst and
device, the proxy table apart). It *changed* when its link-layer address,
state or flags differ; ages, probes and reference counts always move and
are not differences. After a failover the question is "whose MAC changed":
``Diff.changed`` answers it, each change naming the fields that differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from neighctl.model import Neighbor

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

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _index(entries: Iterable[Neighbor]) -> dict[Key, Neighbor]:
    table: dict[Key, Neighbor] = {}
    for n in entries:
        table[key_of(n)] = n  # a table lists each entry once; the last listing wins
    return table


def _order(n: Neighbor) -> tuple[str, int, str, bool]:
    """Device, then family, then address as text sorts them in a table a person reads."""
    return (n.dev, n.family, n.dst, n.is_proxy)


def diff_tables(before: Iterable[Neighbor], after: Iterable[Neighbor]) -> Diff:
    """Compare two tables (any sources: kernel, saved text, sosreport)."""
    old = _index(before)
    new = _index(after)
    result = Diff()
    for key, n in new.items():
        prior = old.get(key)
        if prior is None:
            result.added.append(n)
            continue
        fields = tuple(name for name in COMPARED if getattr(prior, name) != getattr(n, name))
        if fields:
            result.changed.append(Change(prior, n, fields))
        else:
            result.unchanged += 1
    result.removed = [n for key, n in old.items() if key not in new]
    result.added.sort(key=_order)
    result.removed.sort(key=_order)
    result.changed.sort(key=lambda c: _order(c.after))
    return result


LIVE = ("-", "live")


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
