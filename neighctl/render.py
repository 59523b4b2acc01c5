"""Renderers: entries to text as a table, as iproute2 prints them, or as JSON.

Pure functions of data to text. The table is formatted by hand (padding and
ANSI codes) rather than with a rich Table: it must stay fast at 50,000 rows.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from neighctl.model import (
    FAMILY_NAMES,
    FLAG_WORDS,
    PROTOCOL_NAMES,
    STATE_ORDER,
    Neighbor,
    flag_words,
    state_words,
)

# ANSI SGR colours by what a state means for traffic.
STATE_COLORS: dict[str, str] = {
    "REACHABLE": "32",  # green: confirmed working
    "STALE": "33",  # yellow: usable, unconfirmed
    "DELAY": "36",  # cyan: being re-checked
    "PROBE": "36",
    "INCOMPLETE": "35",  # magenta: resolving, traffic queued
    "FAILED": "1;31",  # bold red: traffic is being dropped
    "PERMANENT": "34",  # blue: static
    "NOARP": "2",  # dim: no resolution needed
    "NONE": "2",
}
MAC_CHANGE_COLOR = "1;33"
HEADER_COLOR = "1"


def paint(text: str, code: str | None, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def protocol_name(protocol: int) -> str:
    return PROTOCOL_NAMES.get(protocol, str(protocol))


# --- iproute2's text -------------------------------------------------------


def ip_line(n: Neighbor, *, stats: bool = False, omit_dev: bool = False) -> str:
    """One line exactly as iproute2 6.x `ip [-s] neigh show` prints it (no newline).

    With stats this is the 5.16+ spelling: `lladdr X  used U/C/Pprobes N STATE `
    (the double space and the missing space before `probes` are iproute2's).
    """
    parts = [n.dst, " "]
    if not omit_dev and n.dev:
        parts += ("dev ", n.dev, " ")
    if n.lladdr is not None:
        parts += ("lladdr ", n.lladdr, " ")
    flags = n.flags
    if flags:
        for flag, word in FLAG_WORDS:
            if flags & flag:
                parts += (word, " ")
    if stats:
        if n.refcnt:
            parts.append(f" ref {n.refcnt}")
        if n.used is not None:
            parts.append(f" used {int(n.used)}/{int(n.confirmed or 0)}/{int(n.updated or 0)}")
        if n.probes is not None:
            parts.append(f"probes {n.probes} ")
    state = int(n.state)
    if state:
        for s in STATE_ORDER:
            if state & s:
                parts += (s.name or "", " ")
    if n.protocol:
        parts += ("proto ", protocol_name(n.protocol), " ")
    return "".join(parts)


def render_ip(entries: Iterable[Neighbor], *, stats: bool = False, omit_dev: bool = False) -> str:
    """The whole `ip neigh show` output for these entries."""
    return "".join(ip_line(n, stats=stats, omit_dev=omit_dev) + "\n" for n in entries)


# --- JSON -------------------------------------------------------------------


def to_json_dict(n: Neighbor, *, stats: bool = False) -> dict[str, Any]:
    """iproute2's `ip -j [-s] neigh` object for the entry, plus family, ifindex, flags."""
    obj: dict[str, Any] = {"dst": n.dst}
    if n.dev:
        obj["dev"] = n.dev
    if n.lladdr is not None:
        obj["lladdr"] = n.lladdr
    words = flag_words(n.flags) if n.flags else []
    for word in words:
        obj[word] = None
    if stats:
        if n.refcnt:
            obj["refcnt"] = n.refcnt
        if n.used is not None:
            obj["used"] = int(n.used)
            obj["confirmed"] = int(n.confirmed or 0)
            obj["updated"] = int(n.updated or 0)
        if n.probes is not None:
            obj["probes"] = n.probes
    if n.state:
        obj["state"] = state_words(n.state)
    if n.protocol:
        obj["protocol"] = protocol_name(n.protocol)
    obj["family"] = FAMILY_NAMES.get(n.family, str(n.family))
    obj["ifindex"] = n.ifindex
    obj["flags"] = words
    return obj


def render_json(entries: Iterable[Neighbor], *, stats: bool = False) -> str:
    """One JSON array, one line, newline-terminated (like `ip -j`)."""
    return json.dumps([to_json_dict(n, stats=stats) for n in entries], separators=(",", ":")) + "\n"


# --- table ------------------------------------------------------------------

TABLE_HEADER = ("ADDRESS", "DEVICE", "LLADDR", "STATE", "FLAGS")
STATS_HEADER = ("REF", "USED", "CONFIRMED", "UPDATED", "PROBES")


def _age(value: float | None) -> str:
    return "-" if value is None else f"{int(value)}s"


def _row(n: Neighbor, stats: bool) -> list[str]:
    state = "|".join(state_words(n.state)) if n.state else "NONE"
    flags = ",".join(flag_words(n.flags)) if n.flags else ""
    if n.protocol:
        flags = (
            f"{flags},proto {protocol_name(n.protocol)}"
            if flags
            else f"proto {protocol_name(n.protocol)}"
        )
    row = [n.dst, n.dev or "-", n.lladdr or "-", state, flags or "-"]
    if stats:
        row += (
            "-" if n.refcnt is None else str(n.refcnt),
            _age(n.used),
            _age(n.confirmed),
            _age(n.updated),
            "-" if n.probes is None else str(n.probes),
        )
    return row


def render_table(entries: Sequence[Neighbor], *, stats: bool = False, color: bool = False) -> str:
    """Aligned columns with a header; the state cell coloured by meaning."""
    header = TABLE_HEADER + (STATS_HEADER if stats else ())
    rows = [_row(n, stats) for n in entries]
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            if len(cell) > widths[i]:
                widths[i] = len(cell)
    last = len(header) - 1
    state_col = 3
    out = []
    cells = [h.ljust(widths[i]) if i < last else h for i, h in enumerate(header)]
    out.append(paint("  ".join(cells), HEADER_COLOR, color))
    for row in rows:
        cells = [cell.ljust(widths[i]) if i < last else cell for i, cell in enumerate(row)]
        if color:
            word = row[state_col].split("|", 1)[0]
            cells[state_col] = paint(cells[state_col], STATE_COLORS.get(word), True)
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"


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
