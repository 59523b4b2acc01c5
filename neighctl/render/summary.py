"""Counts per device and state (`show --summary`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter

from neighctl.model import STATE_ORDER, Neighbor, NeighFlag, Row, as_row, state_words
from neighctl.render.cells import HEADER_COLOR, paint

_PROXY = int(NeighFlag.PROXY)
_KEY = itemgetter(2, 3, 4)  # a row's dev, state, flags


class SummaryView:
    """`show --summary`, fed a batch of rows at a time: only counts are kept."""

    def __init__(self, *, color: bool = False) -> None:
        self.color = color
        self._by_value: Counter[tuple[str, int, int]] = Counter()

    def rows(self, rows: Sequence[Row]) -> str:
        self._by_value.update(map(_KEY, rows))
        return ""

    def close(self) -> Iterator[str]:
        counts: Counter[tuple[str, str]] = Counter()
        for (dev, state, flags), count in self._by_value.items():
            word = "PROXY" if flags & _PROXY else (state_words(state)[0] if state else "NONE")
            counts[(dev or "-", word)] += count
        yield _render(counts, self.color)


def _render(counts: Counter[tuple[str, str]], color: bool) -> str:
    order = [s.name or "" for s in STATE_ORDER] + ["NONE", "PROXY"]
    present = [s for s in order if any(k[1] == s for k in counts)]
    devices = sorted({dev for dev, _ in counts})
    header = ("DEVICE", *present, "TOTAL")
    rows = []
    for dev in devices:
        per = [counts.get((dev, s), 0) for s in present]
        rows.append((dev, *(str(c) for c in per), str(sum(per))))
    totals = [sum(counts.get((d, s), 0) for d in devices) for s in present]
    rows.append(("TOTAL", *(str(t) for t in totals), str(sum(totals))))
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str], first_left: bool = True) -> str:
        return "  ".join(
            c.ljust(widths[i]) if i == 0 and first_left else c.rjust(widths[i])
            for i, c in enumerate(cells)
        )

    out = [paint(line(header), HEADER_COLOR, color)]
    out.extend(line(r) for r in rows[:-1])
    out.append(paint(line(rows[-1]), HEADER_COLOR, color))
    return "\n".join(out) + "\n"


def render_summary(entries: Iterable[Neighbor], *, color: bool = False) -> str:
    """Counts per device and state, with totals."""
    view = SummaryView(color=color)
    view.rows([as_row(n) for n in entries])
    return "".join(view.close())
