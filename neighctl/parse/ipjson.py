"""`ip -j [-p] [-s] neigh` JSON (and neighctl's own `-o json`, a superset), read as a stream."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
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
from neighctl.parse.base import LineErrors, canonical_address, cut, is_lladdr
from neighctl.parse.stream import TextStream

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


def entry_from_object(obj: Any, ignored: Counter[str] | None = None) -> Neighbor:
    """One `ip -j neigh` object as an entry.

    Keys neighctl does not know (another iproute2 version's) are left out and
    counted in ``ignored``; a missing or malformed ``dst``, ``state`` or
    ``flags`` raises NotAnObject, so other objects' JSON is still refused.
    """
    if not isinstance(obj, dict):
        raise NotAnObject(f"expected an object, not {type(obj).__name__}")
    if ignored is not None and not obj.keys() <= _KNOWN:
        ignored.update(obj.keys() - _KNOWN)
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
    words = obj.get("flags", []) or []
    if not isinstance(words, list):
        raise NotAnObject(f"'flags' should be a list, not {words!r}")
    for word in words:
        if not isinstance(word, str) or word not in FLAG_BY_WORD:
            raise NotAnObject(f"unknown flag {word!r}")
        flags |= int(FLAG_BY_WORD[word])
    protocol = obj.get("protocol")
    if protocol is not None:
        if not isinstance(protocol, (str, int)) or isinstance(protocol, bool):
            raise NotAnObject(f"unknown protocol {protocol!r}")
        protocol = (
            PROTOCOL_BY_NAME.get(protocol, protocol) if isinstance(protocol, str) else protocol
        )
        if not isinstance(protocol, int):
            if isinstance(protocol, str) and protocol.isdigit():
                protocol = int(protocol)
            else:
                raise NotAnObject(f"unknown protocol {obj['protocol']!r}")
    dev = obj.get("dev", "")
    lladdr = obj.get("lladdr")
    if not isinstance(dev, str) or not (lladdr is None or isinstance(lladdr, str)):
        raise NotAnObject("'dev' and 'lladdr' should be strings")
    if lladdr is not None and not is_lladdr(lladdr.lower()):
        raise NotAnObject(f"{lladdr!r} is not a link-layer address")
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


_START = re.compile(r"\s*(?:\[\s*(?:[\[{\]]|$)|\{\s*(?:\"|$))")
# One entry is a few hundred bytes; a value this long without its end is not one.
MAX_VALUE = 1 << 20


def starts_json(line: str) -> bool:
    """Whether a line opens a JSON array of objects or an object (`[{`, `[`, `[]`, `{"`)."""
    return bool(_START.match(line))


def read_json(stream: TextStream, errors: LineErrors) -> Iterator[Neighbor]:
    """The entries of the JSON array (or single object) at the stream's cursor.

    Objects are decoded one at a time, so a one-line 150 MB `ip -j` output
    never sits in memory whole. Leaves the cursor after the closing bracket.
    """
    decoder = json.JSONDecoder()
    stream.skip_space()
    start_line = stream.line
    if stream.buf[stream.pos] == "{":
        yield from _entries(decoder, stream, errors, 0, single=True)
        return
    stream.advance(1)  # the "["
    index = 0
    while True:
        if not stream.skip_space():
            raise ParseError(
                "the JSON array is not closed", path=errors.path, line_number=start_line
            )
        if stream.buf[stream.pos] == "]":
            stream.advance(1)
            return
        if index:
            if stream.buf[stream.pos] != ",":
                raise ParseError(
                    "not valid JSON (expecting ',' between entries)",
                    path=errors.path,
                    line_number=stream.line,
                )
            stream.advance(1)
            stream.skip_space()
        yield from _entries(decoder, stream, errors, index)
        index += 1


def _entries(
    decoder: json.JSONDecoder,
    stream: TextStream,
    errors: LineErrors,
    index: int,
    single: bool = False,
) -> Iterator[Neighbor]:
    line = stream.line
    while True:
        try:
            value, end = decoder.raw_decode(stream.buf, stream.pos)
        except json.JSONDecodeError as exc:
            if stream.eof or len(stream.buf) - stream.pos > MAX_VALUE:
                where = line + stream.buf.count("\n", stream.pos, exc.pos)
                raise ParseError(
                    f"not valid JSON ({exc.msg})", path=errors.path, line_number=where
                ) from None
            stream.fill()
            continue
        except RecursionError:
            raise ParseError(
                "not valid input: JSON nested too deeply", path=errors.path, line_number=line
            ) from None
        break
    stream.advance(end - stream.pos)
    try:
        yield entry_from_object(value, errors.ignored_keys)
    except NotAnObject as exc:
        what = "the JSON object" if single else f"entry {index}"
        why = cut(str(exc), 200)
        if errors.warn is None:
            raise ParseError(f"{what}: {why}", path=errors.path, line_number=line) from None
        errors.skipped_entries += 1
        errors.warn(f"{errors.path or '<input>'}:{line}: skipped {what}: {why}")
