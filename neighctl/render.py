"""Renderers: entries to text as a table, as iproute2 prints them, or as JSON.

Pure functions of data to text. The table is formatted by hand (padding and
ANSI codes) rather than with a rich Table: it must stay fast at 50,000 rows.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from neighctl.model import (
    FAMILY_NAMES,
    FLAG_BITS,
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


def _state_text(value: int) -> str:
    return "".join(f"{name} " for name in state_words(value))


def _flag_text(value: int) -> str:
    return "".join(f"{word} " for word in flag_words(value))


# Per-value strings, indexed by the int value of a state (0..255) or flags
# (0..511): the hot loops below must not do IntFlag arithmetic per entry.
def _by_flags(make: Callable[[int], str]) -> tuple[str, ...]:
    """A table over all 512 flag values, computed once per printable combination."""
    known = 0
    for bit, _ in FLAG_BITS:
        known |= bit
    distinct = {k: make(k) for k in {v & known for v in range(512)}}
    return tuple(distinct[v & known] for v in range(512))


STATE_TEXT: tuple[str, ...] = tuple(_state_text(v) for v in range(256))
FLAG_TEXT: tuple[str, ...] = _by_flags(_flag_text)


def ip_line(n: Neighbor, *, stats: bool = False, omit_dev: bool = False) -> str:
    """One line exactly as iproute2 6.x `ip [-s] neigh show` prints it (no newline).

    With stats this is the 5.16+ spelling: `lladdr X  used U/C/Pprobes N STATE `
    (the double space and the missing space before `probes` are iproute2's).
    """
    line = n.dst + " "
    if not omit_dev and n.dev:
        line += "dev " + n.dev + " "
    if n.lladdr is not None:
        line += "lladdr " + n.lladdr + " "
    if n.flags:
        line += FLAG_TEXT[n.flags]
    if stats:
        if n.refcnt:
            line += f" ref {n.refcnt}"
        if n.used is not None:
            line += f" used {int(n.used)}/{int(n.confirmed or 0)}/{int(n.updated or 0)}"
        if n.probes is not None:
            line += f"probes {n.probes} "
    line += STATE_TEXT[n.state]
    if n.protocol:
        line += "proto " + protocol_name(n.protocol) + " "
    return line


def render_ip(entries: Iterable[Neighbor], *, stats: bool = False, omit_dev: bool = False) -> str:
    """The whole `ip neigh show` output for these entries."""
    lines = [ip_line(n, stats=stats, omit_dev=omit_dev) for n in entries]
    lines.append("")
    return "\n".join(lines)


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


def _json_flag_nulls(value: int) -> str:
    return "".join(f',"{word}":null' for word in flag_words(value))


def _json_flag_list(value: int) -> str:
    return json.dumps(flag_words(value), separators=(",", ":"))


_JSON_FLAG_NULLS = _by_flags(_json_flag_nulls)
_JSON_FLAG_LIST = _by_flags(_json_flag_list)
_JSON_STATE = tuple(
    (',"state":' + json.dumps(state_words(v), separators=(",", ":"))) if v else ""
    for v in range(256)
)


def _json_object(n: Neighbor, stats: bool, dev_json: dict[str, str]) -> str:
    """to_json_dict(n) serialised, built as one f-string (the hot path of -o json)."""
    flags = n.flags
    dev = ""
    if n.dev:
        dev = dev_json.get(n.dev) or dev_json.setdefault(n.dev, ',"dev":' + json.dumps(n.dev))
    lladdr = "" if n.lladdr is None else f',"lladdr":"{n.lladdr}"'
    counters = ""
    if stats:
        if n.refcnt:
            counters = f',"refcnt":{n.refcnt}'
        if n.used is not None:
            counters += (
                f',"used":{int(n.used)},"confirmed":{int(n.confirmed or 0)}'
                f',"updated":{int(n.updated or 0)}'
            )
        if n.probes is not None:
            counters += f',"probes":{n.probes}'
    proto = ',"protocol":' + json.dumps(protocol_name(n.protocol)) if n.protocol else ""
    family = FAMILY_NAMES.get(n.family) or str(n.family)
    index = "null" if n.ifindex is None else n.ifindex
    return (
        f'{{"dst":"{n.dst}"{dev}{lladdr}{_JSON_FLAG_NULLS[flags]}{counters}'
        f'{_JSON_STATE[n.state]}{proto},"family":"{family}","ifindex":{index}'
        f',"flags":{_JSON_FLAG_LIST[flags]}}}'
    )


def render_json(entries: Iterable[Neighbor], *, stats: bool = False) -> str:
    """One JSON array, one line, newline-terminated (like `ip -j`).

    Equal to json.dumps([to_json_dict(n) ...]) (a test checks it), but built as
    strings: addresses and MACs never need escaping, device names are escaped
    once per device.
    """
    dev_json: dict[str, str] = {}
    return "[" + ",".join(_json_object(n, stats, dev_json) for n in entries) + "]\n"


# --- table ------------------------------------------------------------------

TABLE_HEADER = ("ADDRESS", "DEVICE", "LLADDR", "STATE", "FLAGS")
STATS_HEADER = ("REF", "USED", "CONFIRMED", "UPDATED", "PROBES")


def _age(value: float | None) -> str:
    return "-" if value is None else f"{int(value)}s"


STATE_CELL: tuple[str, ...] = tuple("|".join(state_words(v)) or "NONE" for v in range(256))
FLAG_CELL: tuple[str, ...] = _by_flags(lambda v: ",".join(flag_words(v)))


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
