"""Counts per device and state (`show --summary`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from neighctl.model import STATE_ORDER, Neighbor, state_words
from neighctl.render.cells import HEADER_COLOR, paint


def render_summary(entries: Iterable[Neighbor], *, color: bool = False) -> str:
    """Counts per device and state, with totals."""
    counts: Counter[tuple[str, str]] = Counter()
    for n in entries:
        state = "PROXY" if n.is_proxy else (state_words(n.state)[0] if n.state else "NONE")
        counts[(n.dev or "-", state)] += 1
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
