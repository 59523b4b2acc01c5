"""Counts per device and state (`show --summary`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from neighctl.model import STATE_ORDER, Neighbor
from neighctl.render.cells import HEADER_COLOR, STATE_CELL, paint


def render_summary(entries: Iterable[Neighbor], *, color: bool = False) -> str:
    """Counts per device and state, with totals.

    An entry whose state is a set (from /proc/net/arp, arp, `ip -br`: "one of
    REACHABLE, STALE, DELAY, PROBE") is counted in a column of that set, named
    as the table names it (``REACHABLE|STALE|DELAY|PROBE``), never in one of
    its states' columns.
    """
    by_value: Counter[tuple[str, int]] = Counter()
    for n in entries:
        by_value[(n.dev or "-", -1 if n.is_proxy else int(n.state))] += 1
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
