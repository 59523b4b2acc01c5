"""`ip [-6] route show [table all]` and `bridge [-s] [-d] fdb show` text -> Route, FdbEntry.

Routes as iproute2 prints them (ip/iproute.c, print_route): ``[TYPE] DST
[via GW] [dev DEV] [table T] [proto P] [scope S] [src A] [metric M]
[onlink] ...``, a multipath route's hops on following ``nexthop`` lines.
FDB entries (bridge/fdb.c, print_fdb): ``MAC [dev DEV] [vlan N] [dst IP]
[vni N] [port N] [via DEV] [used U/P] [self] [master M | master] [router]
[extern_learn] [offload] [sticky] [permanent | static | stale]``.
"""

from __future__ import annotations

import re

from neighctl.model import AF_INET, AF_INET6, PROTOCOL_BY_NAME, NeighFlag, NudState
from neighctl.snapshot import FdbEntry, Route

ROUTE_TYPES: dict[str, int] = {
    "unicast": 1,
    "local": 2,
    "broadcast": 3,
    "anycast": 4,
    "multicast": 5,
    "blackhole": 6,
    "unreachable": 7,
    "prohibit": 8,
    "throw": 9,
    "nat": 10,
}
SCOPES: dict[str, int] = {
    "global": 0,
    "universe": 0,
    "site": 200,
    "link": 253,
    "host": 254,
    "nowhere": 255,
}
TABLES: dict[str, int] = {"default": 253, "main": 254, "local": 255}
_PREFIX = re.compile(r"^(?:default|[0-9A-Fa-f:.]+(?:/\d{1,3})?)$")


def _word_after(words: list[str], key: str) -> str | None:
    try:
        return words[words.index(key) + 1]
    except (ValueError, IndexError):
        return None


def _number(text: str | None, names: dict[str, int]) -> int | None:
    if text is None:
        return None
    if text in names:
        return names[text]
    return int(text) if text.isdigit() else None


def parse_route(line: str, family: int | None = None) -> Route | None:
    """One route line; None if the line is not one."""
    words = line.split()
    if not words:
        return None
    kind = ROUTE_TYPES.get(words[0])
    if kind is not None:
        words = words[1:]
    if not words or not _PREFIX.match(words[0]):
        return None
    dst = words[0]
    gateway = _word_after(words, "via")
    if gateway in ("inet", "inet6"):  # `via inet6 fe80::1` (RTA_VIA)
        gateway = _word_after(words, gateway)
    if family is None:
        v6 = ":" in dst or (gateway is not None and ":" in gateway) or "pref" in words
        family = AF_INET6 if v6 else AF_INET
    if dst != "default" and "/" not in dst:
        dst = f"{dst}/{128 if family == AF_INET6 else 32}"
    table = _number(_word_after(words, "table"), TABLES)
    return Route(
        family=family,
        dst=dst,
        dev=_word_after(words, "dev"),
        gateway=gateway,
        table=254 if table is None else table,
        protocol=_number(_word_after(words, "proto"), PROTOCOL_BY_NAME),
        scope=_number(_word_after(words, "scope"), SCOPES),
        type=kind or 1,
        onlink="onlink" in words,
    )


def parse_routes(text: str, family: int | None = None) -> list[Route]:
    """Every route in the text; a multipath route takes its first hop's device and gateway."""
    out: list[Route] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("nexthop") and out:
            last = out[-1]
            if last.dev is None and last.gateway is None:
                words = stripped.split()
                out[-1] = Route(
                    family=last.family,
                    dst=last.dst,
                    dev=_word_after(words, "dev"),
                    gateway=_word_after(words, "via"),
                    table=last.table,
                    protocol=last.protocol,
                    scope=last.scope,
                    type=last.type,
                    onlink="onlink" in words,
                )
            continue
        route = parse_route(stripped, family)
        if route is not None:
            out.append(route)
    return out


_MAC = re.compile(r"^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$")
_FDB_FLAGS = {
    "self": int(NeighFlag.SELF),
    "router": int(NeighFlag.ROUTER),
    "extern_learn": int(NeighFlag.EXT_LEARNED),
    "offload": int(NeighFlag.OFFLOADED),
    "sticky": int(NeighFlag.STICKY),
}
_FDB_STATES = {
    "permanent": int(NudState.PERMANENT),
    "static": int(NudState.NOARP),
    "stale": int(NudState.STALE),
}
_FDB_VALUES = frozenset(
    ["dev", "vlan", "dst", "vni", "port", "via", "used", "src_vni", "nhid", "state"]
)


def parse_fdb_line(line: str) -> FdbEntry | None:
    """One `bridge fdb show` line; None if the line is not one."""
    words = line.split()
    if not words or not _MAC.match(words[0]):
        return None
    mac = words[0].lower()
    values: dict[str, str] = {}
    flags = 0
    state = int(NudState.REACHABLE)
    master = None
    i = 1
    while i < len(words):
        word = words[i]
        if word in _FDB_VALUES and i + 1 < len(words):
            values[word] = words[i + 1]
            i += 2
            continue
        if word == "master":
            follower = words[i + 1] if i + 1 < len(words) else None
            if follower is None or follower in _FDB_FLAGS or follower in _FDB_STATES:
                flags |= int(NeighFlag.MASTER)
                i += 1
            else:
                master = follower
                i += 2
            continue
        if word in _FDB_FLAGS:
            flags |= _FDB_FLAGS[word]
        elif word in _FDB_STATES:
            state = _FDB_STATES[word]
        i += 1
    return FdbEntry(
        mac=mac,
        dev=values.get("dev", ""),
        dst=values.get("dst"),
        vni=int(values["vni"]) if values.get("vni", "").isdigit() else None,
        vlan=int(values["vlan"]) if values.get("vlan", "").isdigit() else None,
        master=master,
        state=state,
        flags=flags,
    )


def parse_fdb(text: str) -> list[FdbEntry]:
    return [e for e in (parse_fdb_line(line) for line in text.splitlines()) if e is not None]


def looks_like_fdb(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    return bool(lines) and all(parse_fdb_line(line) is not None for line in lines[:5])


_ROUTE_ONLY = frozenset(
    ["via", "proto", "scope", "metric", "table", "src", "pref", "onlink", "nhid"]
)


def looks_like_routes(text: str) -> bool:
    """Whether the first lines are routes (a prefix, `default` or a route-only word on each)."""
    lines = [line for line in text.splitlines()[:20] if line.strip() and not line[:1].isspace()]

    def is_route(line: str) -> bool:
        words = line.split()
        if words[0] in ROUTE_TYPES:
            return True
        return parse_route(line) is not None and (
            "/" in words[0] or words[0] == "default" or any(w in _ROUTE_ONLY for w in words)
        )

    return bool(lines) and all(is_route(line) for line in lines[:5])
