"""Counts per device and state (`show --summary`), as a table or as JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter

from neighctl.model import STATE_ORDER, Neighbor, NeighFlag, Row
from neighctl.render import row_batches
from neighctl.render.cells import (
    HEADER_COLOR,
    STATE_CELL,
    cell_width,
    pad,
    paint,
    printable_name,
)

_PROXY = int(NeighFlag.PROXY)
_KEY = itemgetter(2, 3, 4)  # a row's dev, state, flags


class SummaryView:
    """`show --summary [-o json]`, fed a batch of rows at a time: only counts are kept.

    ``width`` (the terminal's, or None) shapes the table; ``json`` prints the
    counts as summary_json() does instead.
    """

    def __init__(
        self, *, color: bool = False, width: int | None = None, json: bool = False
    ) -> None:
        self.color = color
        self.width = width
        self.json = json
        self._by_row: Counter[tuple[str, int, int]] = Counter()

    def rows(self, rows: Sequence[Row]) -> str:
        self._by_row.update(map(_KEY, rows))  # counted in C, a batch at a time
        return ""

    def close(self) -> Iterator[str]:
        by_value: Counter[tuple[str, int]] = Counter()
        for (dev, state, flags), count in self._by_row.items():
            by_value[(dev or "-", -1 if flags & _PROXY else int(state))] += count
        tally = _tally(by_value)
        yield _json(*tally) if self.json else _table(*tally, color=self.color, width=self.width)


def _tally(
    by_value: Counter[tuple[str, int]],
) -> tuple[Counter[tuple[str, str]], list[str], list[str]]:
    """Counts by (device, state cell), the columns present in order, the devices.

    An entry whose state is a set (from /proc/net/arp, arp, `ip -br`: "one of
    REACHABLE, STALE, DELAY, PROBE") is counted in a column of that set, named
    as the table names it (``REACHABLE|STALE|DELAY|PROBE``), never in one of
    its states' columns. ``by_value`` counts (device, state value; -1 for proxy).
    """
    counts: Counter[tuple[str, str]] = Counter()
    for (dev, value), count in by_value.items():
        counts[(dev, "PROXY" if value < 0 else STATE_CELL[value])] += count
    singles = [s.name or "" for s in STATE_ORDER]
    sets = sorted(
        {STATE_CELL[v] for _, v in by_value if v > 0 and STATE_CELL[v] not in singles},
        key=lambda label: (singles.index(label.split("|")[0]), label),
    )
    order = [*singles, *sets, "NONE", "PROXY"]
    present = [s for s in order if any(k[1] == s for k in counts)]
    return counts, present, sorted({dev for dev, _ in counts})


def summary_json(entries: Iterable[Neighbor]) -> str:
    """The summary as one JSON object: per device, the count of each column present.

    ``{"devices": [{"dev": "eth0", "states": {"REACHABLE": 1, ...}, "total": 4}],
    "states": {"REACHABLE": 1, ...}, "total": 10}``; the keys are the table's
    columns: state names, state sets (``REACHABLE|STALE|DELAY|PROBE``), NONE, PROXY.
    """
    return _over(SummaryView(json=True), entries)


def _json(counts: Counter[tuple[str, str]], present: list[str], devices: list[str]) -> str:
    import json

    doc = {
        "devices": [
            {
                "dev": dev,
                "states": {s: counts.get((dev, s), 0) for s in present},
                "total": sum(counts.get((dev, s), 0) for s in present),
            }
            for dev in devices
        ],
        "states": {s: sum(counts.get((d, s), 0) for d in devices) for s in present},
        "total": sum(counts.values()),
    }
    return json.dumps(doc, separators=(",", ":")) + "\n"


SHORT_STATES = {
    "INCOMPLETE": "INCMP",
    "REACHABLE": "REACH",
    "PERMANENT": "PERM",
    "FAILED": "FAIL",
}


def _short(label: str) -> str:
    return "|".join(SHORT_STATES.get(word, word) for word in label.split("|"))


def render_summary(
    entries: Iterable[Neighbor], *, color: bool = False, width: int | None = None
) -> str:
    """Counts per device and state, with totals (state sets as in _tally).

    When the columns would not fit ``width``, the state headers are abbreviated
    (REACH, PERM, ...); when even that is too wide, each device gets one line
    listing its non-zero counts.
    """
    return _over(SummaryView(color=color, width=width), entries)


def _over(view: SummaryView, entries: Iterable[Neighbor]) -> str:
    for rows in row_batches(entries):
        view.rows(rows)
    return "".join(view.close())


def _table(
    counts: Counter[tuple[str, str]],
    present: list[str],
    devices: list[str],
    *,
    color: bool,
    width: int | None,
) -> str:
    header: tuple[str, ...] = ("DEVICE", *present, "TOTAL")
    rows = []
    for dev in devices:
        per = [counts.get((dev, s), 0) for s in present]
        rows.append((printable_name(dev), *(str(c) for c in per), str(sum(per))))
    totals = [sum(counts.get((d, s), 0) for d in devices) for s in present]
    rows.append(("TOTAL", *(str(t) for t in totals), str(sum(totals))))
    widths = [max(cell_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    if width is not None and sum(widths) + 2 * (len(widths) - 1) > width:
        header = ("DEVICE", *(_short(s) for s in present), "TOTAL")
        widths = [max(cell_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
        if sum(widths) + 2 * (len(widths) - 1) > width:
            return _listed(header, rows, color)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            pad(c, widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells)
        )

    out = [paint(line(header), HEADER_COLOR, color)]
    out.extend(line(r) for r in rows[:-1])
    out.append(paint(line(rows[-1]), HEADER_COLOR, color))
    return "\n".join(out) + "\n"


def _listed(header: Sequence[str], rows: Sequence[Sequence[str]], color: bool) -> str:
    """The narrow form: DEVICE, TOTAL, then `STATE n` for each non-zero count."""
    names = header[1:-1]
    dev_width = max(cell_width(r[0]) for r in (header, *rows))
    total_width = max(len(r[-1]) for r in (header, *rows))
    out = [
        paint(f"{pad('DEVICE', dev_width)}  {'TOTAL':>{total_width}}  COUNTS", HEADER_COLOR, color)
    ]
    for i, row in enumerate(rows):
        listed = ", ".join(f"{n} {c}" for n, c in zip(names, row[1:-1], strict=True) if c != "0")
        line = f"{pad(row[0], dev_width)}  {row[-1]:>{total_width}}  {listed}".rstrip()
        out.append(paint(line, HEADER_COLOR, color) if i == len(rows) - 1 else line)
    return "\n".join(out) + "\n"
