"""JSON: iproute2's `ip -j [-s] neigh` objects, plus family, ifindex and a flags list."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from neighctl.model import FAMILY_NAMES, Neighbor, Row, as_row, flag_words, state_words
from neighctl.render.cells import AGE_CACHE, by_flags, protocol_name


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


def json_string(text: str) -> str:
    """``json.dumps(text)``: by hand for the plain names every table has (no json import)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    import json

    return json.dumps(text)


def _json_words(words: list[str]) -> str:
    """``json.dumps(words, separators=(",", ":"))`` for state and flag words (plain ASCII)."""
    return "[" + ",".join(f'"{word}"' for word in words) + "]"


_JSON_FLAG_NULLS = by_flags(lambda v: "".join(f',"{word}":null' for word in flag_words(v)))
_JSON_FLAG_LIST = by_flags(lambda v: _json_words(flag_words(v)))
_JSON_STATE = tuple((',"state":' + _json_words(state_words(v))) if v else "" for v in range(256))
_JSON_FAMILY = {family: f'"{name}"' for family, name in FAMILY_NAMES.items()}


class JsonView:
    """`show -o json` a batch of rows at a time: one JSON array, one line, like `ip -j`.

    Equal to json.dumps([to_json_dict(n) ...]) (a test checks it), but built as
    strings: addresses and MACs never need escaping, device names are escaped
    once per device.
    """

    def __init__(self, *, stats: bool = False) -> None:
        self.stats = stats
        self._dev_json: dict[str, str] = {"": ""}
        self._tails: dict[tuple[int, int, int | None, int, int | None], str] = {}
        self._ages: dict[tuple[float, float | None, float | None], str] = {}
        self._lead = "["  # before the next object: "[" until one was written, then ","

    def rows(self, rows: Sequence[Row]) -> str:
        """The objects of these rows (with the array's opening bracket before the first)."""
        if not rows:
            return ""
        text = self._lead + ",".join(self._objects(rows))
        self._lead = ","
        return text

    def close(self) -> Iterator[str]:
        yield "[]\n" if self._lead == "[" else "]\n"

    def _objects(self, rows: Iterable[Row]) -> list[str]:
        dev_json = self._dev_json
        tails = self._tails
        ages = self._ages
        stats = self.stats
        nulls = _JSON_FLAG_NULLS
        out: list[str] = []
        append = out.append
        counters = ""
        for (family, dst, dev, state, flags, lladdr, ifindex,
             refcnt, used, confirmed, updated, probes, protocol) in rows:  # fmt: skip
            d = dev_json.get(dev)
            if d is None:
                d = dev_json[dev] = ',"dev":' + json_string(dev) if dev else ""
            # Everything from "state" on depends on few values that repeat.
            key = (state, flags, protocol, family, ifindex)
            tail = tails.get(key)
            if tail is None:
                tail = tails[key] = _tail(*key)
            if stats:
                counters = f',"refcnt":{refcnt}' if refcnt else ""
                if used is not None:
                    age_key = (used, confirmed, updated)
                    age = ages.get(age_key)
                    if age is None:
                        if len(ages) > AGE_CACHE:
                            ages.clear()
                        age = ages[age_key] = (
                            f',"used":{int(used)},"confirmed":{int(confirmed or 0)}'
                            f',"updated":{int(updated or 0)}'
                        )
                    counters += age
                if probes is not None:
                    counters += f',"probes":{probes}'
            if lladdr is None:
                append(f'{{"dst":"{dst}"{d}{nulls[flags]}{counters}{tail}')
            else:
                append(f'{{"dst":"{dst}"{d},"lladdr":"{lladdr}"{nulls[flags]}{counters}{tail}')
        return out


def _tail(state: int, flags: int, protocol: int | None, family: int, ifindex: int | None) -> str:
    """An object's members from "state" to the end, and its closing brace."""
    proto = ',"protocol":"' + protocol_name(protocol) + '"' if protocol else ""
    fam = _JSON_FAMILY.get(family) or f'"{family}"'
    index = "null" if ifindex is None else ifindex
    return (
        f'{_JSON_STATE[state]}{proto},"family":{fam},"ifindex":{index}'
        f',"flags":{_JSON_FLAG_LIST[flags]}}}'
    )


def render_json(entries: Iterable[Neighbor], *, stats: bool = False) -> str:
    """One JSON array, one line, newline-terminated (like `ip -j`)."""
    view = JsonView(stats=stats)
    return view.rows([as_row(n) for n in entries]) + "".join(view.close())
