"""The aligned table of `show` (hand-rendered: it must stay fast at 50,000 rows).

Column widths depend on every row, so nothing can be printed before the last
entry is in. TableView keeps, per batch of rows, only what the table shows,
in compact columns (addresses and MACs as one newline-joined string, states
as bytes, device names as references to one string per device), and the
running maximum of each column's width, updated as batches arrive. About 40
bytes an entry instead of a Neighbor (~700 bytes with its strings) or a row
string per entry; the rows are formatted when the table is closed, a batch
at a time (docs/design.md, Performance).

With a ``width`` (the terminal's), a table that would be wider loses columns
and cell widths by priority until it fits, and an address wider than its
column gets a line of its own; a state word is never cut. Widths count
terminal cells, so CJK device names stay aligned. Fitting (render/fit.py)
needs every cell at once, so a fitted table (a terminal's, never a pipe's) is
built from lists.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from neighctl.model import Neighbor, Row, as_row
from neighctl.render.cells import (
    FLAG_CELL,
    HEADER_COLOR,
    STATE_CELL,
    STATE_COLORS,
    cell_width,
    pad,
    paint,
    printable_name,
    protocol_name,
)

TABLE_HEADER = ("ADDRESS", "DEVICE", "LLADDR", "STATE", "FLAGS")
STATS_HEADER = ("REF", "USED", "CONFIRMED", "UPDATED", "PROBES")


def _age(value: float | None) -> str:
    return "-" if value is None else f"{int(value)}s"


def _flags_cell(flags: int, protocol: int | None) -> str:
    cell = FLAG_CELL[flags] if flags else ""
    if protocol:
        proto = "proto " + protocol_name(protocol)
        cell = f"{cell},{proto}" if cell else proto
    return cell or "-"


class _Batch:
    """One batch of rows as the table keeps it until it is printed."""

    __slots__ = ("devs", "dsts", "flags", "lladdrs", "states", "stats")

    def __init__(
        self,
        dsts: str,
        devs: tuple[str, ...],
        lladdrs: str,
        states: bytes,
        flags: list[str] | None,
        stats: list[str] | None,
    ) -> None:
        self.dsts = dsts  # "\n"-joined
        self.devs = devs
        self.lladdrs = lladdrs  # "\n"-joined, "-" for none
        self.states = states  # one byte an entry: the state value
        self.flags = flags  # None: every cell is "-"
        self.stats = stats  # the five stats columns, each "\n"-joined


class TableView:
    """`show`'s table, fed a batch of rows at a time; all of it comes out on close()."""

    def __init__(
        self,
        *,
        stats: bool = False,
        color: bool = False,
        width: int | None = None,
        ellipsis: str = "…",
    ) -> None:
        self.stats = stats
        self.color = color
        self.width = width  # the terminal's columns, or None: no limit, as for a pipe
        self.ellipsis = ellipsis
        self._batches: list[_Batch] = []
        self._widths = [len(h) for h in TABLE_HEADER]  # DEVICE's comes from self._devs
        self._stats_widths = [len(h) for h in STATS_HEADER]
        self._devs: set[str] = set()
        self._states: set[int] = set()

    def rows(self, rows: Sequence[Row]) -> str:
        """Take a batch in (nothing is printed before close())."""
        if not rows:
            return ""
        (_, dsts, devs, states, flags, lladdrs, _, refcnts, useds, confirmeds, updateds, probes,
         protocols) = zip(*rows, strict=True)  # fmt: skip
        widths = self._widths
        widths[0] = max(widths[0], *map(len, dsts))
        lls = [ll or "-" for ll in lladdrs]  # as `n.lladdr or "-"`: an empty one too
        widths[2] = max(widths[2], *map(len, lls))
        self._devs.update(devs)
        self._states.update(states)
        cells = None
        if any(flags) or any(protocols):
            cells = [
                _flags_cell(f, p) if f or p else "-" for f, p in zip(flags, protocols, strict=True)
            ]
            widths[4] = max(widths[4], *map(len, cells))
        extra = None
        if self.stats:
            extra = []
            for i, column in enumerate(
                (
                    ["-" if r is None else str(r) for r in refcnts],
                    [_age(v) for v in useds],
                    [_age(v) for v in confirmeds],
                    [_age(v) for v in updateds],
                    ["-" if p is None else str(p) for p in probes],
                )
            ):
                self._stats_widths[i] = max(self._stats_widths[i], *map(len, column))
                extra.append("\n".join(column))
        self._batches.append(
            _Batch("\n".join(dsts), devs, "\n".join(lls), bytes(states), cells, extra)
        )
        return ""

    def close(self) -> Iterator[str]:
        """The header, then the rows a batch at a time (each batch let go once printed)."""
        color = self.color
        w0, _, w2, _, w4 = self._widths
        # Device cells once per device: printable, measured in terminal cells.
        shown = {d: printable_name(d or "-") for d in self._devs}
        w1 = max([len(TABLE_HEADER[1]), *(cell_width(s) for s in shown.values())])
        w3 = max([len(TABLE_HEADER[3]), *(len(STATE_CELL[v]) for v in self._states)])
        sw = self._stats_widths
        natural = w0 + w1 + w2 + w3 + w4 + 2 * 4 + (sum(sw) + 2 * len(sw) if self.stats else 0)
        if self.width is not None and natural > self.width:
            yield self._fitted(self.width)
            return
        dev_cells = {d: pad(s, w1) for d, s in shown.items()}
        state_cells = {
            v: paint(STATE_CELL[v].ljust(w3), STATE_COLORS.get(STATE_CELL[v].split("|")[0]), color)
            for v in self._states
        }
        header = list(TABLE_HEADER)
        if self.stats:
            header[4] = f"{header[4]:<{w4}}  " + "  ".join(
                h.rjust(sw[i]) for i, h in enumerate(STATS_HEADER)
            )
        head = f"{header[0]:<{w0}}  {header[1]:<{w1}}  {header[2]:<{w2}}  {header[3]:<{w3}}  {header[4]}"
        yield paint(head, HEADER_COLOR, color) + "\n"
        batches = self._batches
        batches.reverse()
        s0, s1, s2, s3, s4 = sw
        # str.ljust, not a format spec with a nested width: a third of the time.
        while batches:
            batch = batches.pop()
            flags = batch.flags or ["-"] * len(batch.states)
            if batch.stats is not None:
                flags = [
                    f"{f.ljust(w4)}  {a.rjust(s0)}  {b.rjust(s1)}  {c.rjust(s2)}"
                    f"  {d.rjust(s3)}  {e.rjust(s4)}"
                    for f, a, b, c, d, e in zip(
                        flags, *(s.split("\n") for s in batch.stats), strict=True
                    )
                ]
            yield "".join(
                [
                    f"{d.ljust(w0)}  {dev_cells[v]}  {ll.ljust(w2)}  {state_cells[s]}  {f}\n"
                    for d, v, ll, s, f in zip(
                        batch.dsts.split("\n"), batch.devs, batch.lladdrs.split("\n"),
                        batch.states, flags, strict=True,
                    )
                ]
            )  # fmt: skip

    def _fitted(self, width: int) -> str:
        """The table cut down to ``width`` (see render.fit.Fitted), from every cell at once."""
        dsts: list[str] = []
        devs: list[str] = []
        lls: list[str] = []
        states: list[int] = []
        flags: list[str] = []
        extra: list[list[str]] = []
        for batch in self._batches:
            dsts += batch.dsts.split("\n")
            devs += [d or "-" for d in batch.devs]
            lls += batch.lladdrs.split("\n")
            states += batch.states
            flags += batch.flags or ["-"] * len(batch.states)
            if batch.stats is not None:
                extra += map(list, zip(*(s.split("\n") for s in batch.stats), strict=True))
        self._batches = []
        from neighctl.render.fit import Fitted  # only a terminal narrower than the table

        return Fitted.build(dsts, devs, lls, states, flags, extra, width, self.ellipsis)(self.color)


def render_table(
    entries: Sequence[Neighbor],
    *,
    stats: bool = False,
    color: bool = False,
    width: int | None = None,
    ellipsis: str = "…",
) -> str:
    """Aligned columns with a header; the state cell coloured by meaning (see TableView).

    ``width`` is the terminal's width in columns (None: no limit, as for a pipe).
    """
    view = TableView(stats=stats, color=color, width=width, ellipsis=ellipsis)
    view.rows([as_row(n) for n in entries])
    return "".join(view.close())
