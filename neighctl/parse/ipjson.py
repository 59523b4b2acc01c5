"""`ip -j [-p] [-s] neigh` JSON (and neighctl's own `-o json`, a superset)."""

from __future__ import annotations

import json
from typing import Any

from neighctl.errors import ParseError
from neighctl.model import (
    FLAG_BY_WORD,
    PROTOCOL_BY_NAME,
    STATE_BY_NAME,
    Neighbor,
    fast_neighbor,
    neigh_flags,
    nud_state,
)
from neighctl.parse.base import Warn, canonical_address

NAME = "ip-json"
_KNOWN = {
    "dst", "dev", "lladdr", "refcnt", "used", "confirmed", "updated", "probes",
    "state", "protocol", "family", "ifindex", "flags", *FLAG_BY_WORD,
}  # fmt: skip


class NotAnObject(ValueError):
    pass


def _count(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise NotAnObject(f"{key!r} should be a count, not {value!r}")
    return value


def entry_from_object(obj: Any) -> Neighbor:
    """One `ip -j neigh` object as an entry."""
    if not isinstance(obj, dict):
        raise NotAnObject(f"expected an object, not {type(obj).__name__}")
    unknown = set(obj) - _KNOWN
    if unknown:
        raise NotAnObject(f"unknown key {sorted(unknown)[0]!r}")
    dst = obj.get("dst")
    address = canonical_address(dst) if isinstance(dst, str) else None
    if address is None:
        raise NotAnObject(f"'dst' is not an IP address: {dst!r}")
    family, dst = address
    state = 0
    states = obj.get("state", [])
    if not isinstance(states, list):
        raise NotAnObject(f"'state' should be a list, not {states!r}")
    for word in states:
        if not isinstance(word, str) or word.upper() not in STATE_BY_NAME:
            raise NotAnObject(f"unknown state {word!r}")
        state |= int(STATE_BY_NAME[word.upper()])
    flags = 0
    for word, flag in FLAG_BY_WORD.items():
        if word in obj:
            flags |= int(flag)
    for word in obj.get("flags", []) or []:
        if word not in FLAG_BY_WORD:
            raise NotAnObject(f"unknown flag {word!r}")
        flags |= int(FLAG_BY_WORD[word])
    protocol = obj.get("protocol")
    if protocol is not None:
        protocol = PROTOCOL_BY_NAME.get(protocol, protocol)
        if not isinstance(protocol, int):
            if isinstance(protocol, str) and protocol.isdigit():
                protocol = int(protocol)
            else:
                raise NotAnObject(f"unknown protocol {obj['protocol']!r}")
    dev = obj.get("dev", "")
    lladdr = obj.get("lladdr")
    if not isinstance(dev, str) or not (lladdr is None or isinstance(lladdr, str)):
        raise NotAnObject("'dev' and 'lladdr' should be strings")
    used = _count(obj, "used")
    refcnt = _count(obj, "refcnt")
    if used is not None and refcnt is None:
        refcnt = 0  # iproute2 leaves out a zero refcnt
    ifindex = _count(obj, "ifindex")

    def age(key: str) -> float | None:
        value = _count(obj, key)
        return None if value is None else float(value)

    return fast_neighbor(
        family, dst, dev, nud_state(state), neigh_flags(flags),
        lladdr.lower() if lladdr else lladdr, ifindex, refcnt,
        age("used"), age("confirmed"), age("updated"), _count(obj, "probes"), protocol or None,
    )  # fmt: skip


class IpJson:
    """A JSON array of neighbour objects, one line or pretty-printed."""

    name = NAME

    def detect(self, lines: list[str]) -> bool:
        return bool(lines) and lines[0].lstrip().startswith(("[", "{"))

    def parse(self, text: str, path: str | None, lenient: Warn | None) -> list[Neighbor]:
        start = text.find("[")
        brace = text.find("{")
        if start < 0 or (0 <= brace < start):
            start = brace
        if start < 0:
            raise ParseError("not `ip -j neigh` output: no JSON array", path=path)
        try:
            data, end = json.JSONDecoder().raw_decode(text, start)
        except json.JSONDecodeError as exc:
            line = text.count("\n", 0, exc.pos) + 1
            raise ParseError(f"not valid JSON ({exc.msg})", path=path, line_number=line) from None
        if text[end:].strip():
            line = text.count("\n", 0, end) + 1
            raise ParseError("text after the JSON array", path=path, line_number=line)
        items = data if isinstance(data, list) else [data]
        out = []
        skipped = 0
        for index, obj in enumerate(items):
            try:
                out.append(entry_from_object(obj))
            except NotAnObject as exc:
                if lenient is None:
                    raise ParseError(
                        f"entry {index}: {exc}", path=path, hint="check the JSON"
                    ) from None
                skipped += 1
                lenient(f"{path or '<input>'}: skipped entry {index}: {exc}")
        if lenient is not None and skipped:
            lenient(f"skipped {skipped} entries that were not neighbour entries")
        return out
