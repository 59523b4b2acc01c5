"""A table cut down to a terminal's width: columns dropped or narrowed by priority.

`show`'s table (render/table.py) comes here only when the terminal is narrower
than the table would be; a pipe or a file gets the table at its natural width.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from neighctl.render.cells import (
    HEADER_COLOR,
    STATE_CELL,
    STATE_COLORS,
    cell_width,
    pad,
    paint,
    printable_name,
)
from neighctl.render.table import STATS_HEADER

SHORT_HEADER = {"CONFIRMED": "CONF", "UPDATED": "UPD", "PROBES": "PRB"}
MIN_DEVICE = 6  # a shortened device column keeps at least this many (its header's)


@dataclass
class _Column:
    header: str
    cells: list[str]
    right: bool = False
    width: int = 0
    widths: list[int] = field(default_factory=list)  # per cell, when not all ASCII

    def measure(self) -> None:
        if self.widths:
            self.width = max([cell_width(self.header), *self.widths])
        else:
            self.width = max([len(self.header), *map(len, self.cells)])


@dataclass
class Fitted:
    """A table cut down to a width: columns dropped or narrowed by priority."""

    columns: dict[str, _Column]
    states: list[int]
    sep: int
    address_width: int

    @classmethod
    def build(
        cls,
        dsts: list[str],
        devs: list[str],
        lls: list[str],
        states: list[int],
        flags: list[str],
        extra: list[list[str]],
        width: int,
        ellipsis: str,
    ) -> Fitted:
        shown = {d: printable_name(d) for d in set(devs)}
        dev_cells = [shown[d] for d in devs]
        columns = {
            "ADDRESS": _Column("ADDRESS", dsts),
            "DEVICE": _Column("DEVICE", dev_cells, widths=[cell_width(c) for c in dev_cells]),
            "LLADDR": _Column("LLADDR", lls),
            "STATE": _Column("STATE", [STATE_CELL[v] for v in states]),
            "FLAGS": _Column("FLAGS", flags),
        }
        for i, name in enumerate(STATS_HEADER if extra else ()):
            columns[name] = _Column(name, [row[i] for row in extra], right=True)
        for column in columns.values():
            column.measure()
        table = cls(columns, states, 2, columns["ADDRESS"].width)
        table.fit(width, ellipsis)
        return table

    def total(self) -> int:
        cols = list(self.columns.values())
        return sum(c.width for c in cols) + self.sep * (len(cols) - 1)

    def drop(self, name: str) -> None:
        self.columns.pop(name, None)

    def fit(self, width: int, ellipsis: str) -> None:
        """Apply the steps in priority order until the table fits ``width``.

        The address column may be narrower than its longest address (one
        longer gets a line of its own), but not narrower than nine in ten
        addresses: doubling most rows costs more than a dropped column.
        """
        cols = self.columns
        address = cols["ADDRESS"]
        lengths = sorted(map(len, address.cells)) or [0]
        usual = max(len(address.header), lengths[(len(lengths) - 1) * 9 // 10])
        steps: list[Callable[[], object]] = [
            self._shorten_headers,
            lambda: self.drop("FLAGS") if set(cols["FLAGS"].cells) <= {"-"} else None,
            lambda: self.drop("REF"),
            lambda: self.drop("UPDATED"),
            lambda: self.drop("CONFIRMED"),
            lambda: self.drop("FLAGS"),
            lambda: self._shorten_devices(width - self._rest() - usual, ellipsis),
            lambda: self.drop("PROBES"),
            lambda: self.drop("USED"),
            lambda: setattr(self, "sep", 1),
            lambda: self.drop("DEVICE"),
            lambda: self.drop("LLADDR"),
        ]
        for step in steps:
            if self._rest() + min(address.width, usual) <= width:
                break
            step()
        address.width = max(len(address.header), min(address.width, width - self._rest()))

    def _rest(self) -> int:
        """The width of everything but the address column."""
        return self.total() - self.columns["ADDRESS"].width

    def _shorten_headers(self) -> None:
        for name, short in SHORT_HEADER.items():
            column = self.columns.get(name)
            if column is not None:
                column.header = short
                column.measure()

    def _shorten_devices(self, spare: int, ellipsis: str) -> None:
        """Narrow the device column by ``-spare`` columns (no narrower than MIN_DEVICE)."""
        column = self.columns.get("DEVICE")
        if column is None or spare >= 0:
            return
        room = max(MIN_DEVICE, len(column.header), column.width + spare)
        if room >= column.width:
            return
        cut = room - cell_width(ellipsis)
        cells = []
        for cell in column.cells:
            if cell_width(cell) > room:
                while cell_width(cell) > cut:
                    cell = cell[:-1]
                cell += ellipsis
            cells.append(cell)
        column.cells = cells
        column.widths = [cell_width(c) for c in cells]
        column.measure()

    def __call__(self, color: bool) -> str:
        cols = list(self.columns.values())
        sep = " " * self.sep
        names = list(self.columns)
        state_at = names.index("STATE")
        painted: dict[int, str] = {}
        if state_at < len(cols) - 1:
            state_width = self.columns["STATE"].width
            painted = {
                v: paint(
                    STATE_CELL[v].ljust(state_width),
                    STATE_COLORS.get(STATE_CELL[v].split("|")[0]),
                    color,
                )
                for v in set(self.states)
            }
        else:
            painted = {
                v: paint(STATE_CELL[v], STATE_COLORS.get(STATE_CELL[v].split("|")[0]), color)
                for v in set(self.states)
            }

        def line(cells: list[str], state: int | None) -> str:
            parts = []
            last = len(cells) - 1
            for i, (column, cell) in enumerate(zip(cols, cells, strict=True)):
                if i == state_at and state is not None:
                    parts.append(painted[state])
                elif column.right:
                    parts.append(" " * (column.width - cell_width(cell)) + cell)
                elif i == last:
                    parts.append(cell)
                else:
                    parts.append(pad(cell, column.width))
            return sep.join(parts).rstrip()

        head = line([c.header for c in cols], None)
        lines = [paint(head, HEADER_COLOR, color)]
        address_width = cols[0].width
        blank = " " * address_width
        for row, state in enumerate(self.states):
            cells = [c.cells[row] for c in cols]
            if len(cells[0]) > address_width:
                lines.append(cells[0])
                cells[0] = blank
            lines.append(line(cells, state))
        lines.append("")
        return "\n".join(lines)
