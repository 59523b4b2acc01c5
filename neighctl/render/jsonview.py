"""JSON: iproute2's `ip -j [-s] neigh` objects, plus family, ifindex and a flags list."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from neighctl.model import FAMILY_NAMES, Neighbor, flag_words, state_words
from neighctl.render.cells import by_flags, protocol_name


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


_JSON_FLAG_NULLS = by_flags(_json_flag_nulls)
_JSON_FLAG_LIST = by_flags(_json_flag_list)
_JSON_STATE = tuple(
    (',"state":' + json.dumps(state_words(v), separators=(",", ":"))) if v else ""
    for v in range(256)
)


def json_object(n: Neighbor, stats: bool, dev_json: dict[str, str]) -> str:
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
    return "[" + ",".join(json_object(n, stats, dev_json) for n in entries) + "]\n"
