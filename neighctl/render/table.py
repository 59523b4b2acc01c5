"""The aligned table of `show` (hand-rendered: it must stay fast at 50,000 rows)."""

from __future__ import annotations

from collections.abc import Sequence

from neighctl.model import Neighbor
from neighctl.render.cells import (
    FLAG_CELL,
    HEADER_COLOR,
    STATE_CELL,
    STATE_COLORS,
    paint,
    protocol_name,
)

TABLE_HEADER = ("ADDRESS", "DEVICE", "LLADDR", "STATE", "FLAGS")
STATS_HEADER = ("REF", "USED", "CONFIRMED", "UPDATED", "PROBES")


def _age(value: float | None) -> str:
    return "-" if value is None else f"{int(value)}s"


def _flags_cell(n: Neighbor) -> str:
    flags = FLAG_CELL[n.flags] if n.flags else ""
    if n.protocol:
        proto = "proto " + protocol_name(n.protocol)
        flags = f"{flags},{proto}" if flags else proto
    return flags or "-"


def _stats_cells(n: Neighbor) -> str:
    return (
        f"{'-' if n.refcnt is None else n.refcnt}\0{_age(n.used)}\0{_age(n.confirmed)}"
        f"\0{_age(n.updated)}\0{'-' if n.probes is None else n.probes}"
    )


def render_table(entries: Sequence[Neighbor], *, stats: bool = False, color: bool = False) -> str:
    """Aligned columns with a header; the state cell coloured by meaning.

    Built column by column with per-state cells cached: one format call per
    row, no per-cell objects (this must stay fast at 50,000 rows).
    """
    dsts = [n.dst for n in entries]
    devs = [n.dev or "-" for n in entries]
    lls = [n.lladdr or "-" for n in entries]
    state_values = [int(n.state) for n in entries]
    flags = [_flags_cell(n) if n.flags or n.protocol else "-" for n in entries]
    header = list(TABLE_HEADER)
    columns: list[list[str]] = [dsts, devs, lls, [], flags]
    widths = [max([len(h), *map(len, col)]) for h, col in zip(header, columns, strict=True)]
    widths[3] = max([len(header[3]), *(len(STATE_CELL[v]) for v in set(state_values))])
    state_cells = {
        v: paint(
            STATE_CELL[v].ljust(widths[3]), STATE_COLORS.get(STATE_CELL[v].split("|")[0]), color
        )
        for v in set(state_values)
    }
    w0, w1, w2 = widths[0], widths[1], widths[2]
    if stats:
        extra = [_stats_cells(n).split("\0") for n in entries]
        sw = [max([len(h), *(len(row[i]) for row in extra)]) for i, h in enumerate(STATS_HEADER)]
        flags = [
            f"{f:<{widths[4]}}  " + "  ".join(cell.rjust(sw[i]) for i, cell in enumerate(row))
            for f, row in zip(flags, extra, strict=True)
        ]
        header[4] = f"{header[4]:<{widths[4]}}  " + "  ".join(
            h.rjust(sw[i]) for i, h in enumerate(STATS_HEADER)
        )
    head = f"{header[0]:<{w0}}  {header[1]:<{w1}}  {header[2]:<{w2}}  {header[3]:<{widths[3]}}  {header[4]}"
    lines = [paint(head, HEADER_COLOR, color)]
    lines += [
        f"{d:<{w0}}  {v:<{w1}}  {ll:<{w2}}  {state_cells[s]}  {f}"
        for d, v, ll, s, f in zip(dsts, devs, lls, state_values, flags, strict=True)
    ]
    lines.append("")
    return "\n".join(lines)
