"""`ip neigh show` text, with or without -s, any iproute2 version; `ip monitor neigh` rows.

Token by token, as iproute2's print_neigh writes them:
``[Deleted|miss] DST [dev DEV] [lladdr LL] [router] [proxy] [managed]
[extern_learn] [offload] [ref N] [used U/C/P[probes N]] [probes N] [STATE...]
[proto P]``. Statistics come in two spellings: `used 12/34/5 probes 1`
(iproute2 <= 5.15) and `used 12/34/5probes 1` (5.16 and later); old versions
also joined several states with commas, and older ones still wrote the state
as `nud reachable`. Prefixes of `ip monitor` (timestamps, labels) are taken
off by the reader before a line gets here.
"""

from __future__ import annotations

import re

from neighctl.model import (
    AF_INET,
    FLAG_BY_WORD,
    NO_FLAGS,
    PROTOCOL_BY_NAME,
    STATE_BY_NAME,
    Neighbor,
    NeighFlag,
    fast_neighbor,
    neigh_flags,
    nud_state,
)
from neighctl.parse.base import (
    DEL,
    MISS,
    NEW,
    Context,
    NotAnEntry,
    Record,
    canonical_address,
    is_lladdr,
)
from neighctl.parse.lines import monitor_prefixes

NAME = "ip"
_STATES = {name: int(value) for name, value in STATE_BY_NAME.items()}
_FLAGS = {word: int(flag) for word, flag in FLAG_BY_WORD.items()}
_EVENT_WORDS = {"Deleted": DEL, "delete": DEL, "miss": MISS}
# A line is an `ip neigh` row if its second word is one of these (after the address).
_KEYWORDS = frozenset(
    {"dev", "lladdr", "used", "ref", "probes", "proto", "protocol", "nud", *_STATES, *_FLAGS}
)
_ADDRESSISH = re.compile(r"[0-9A-Fa-f:.]+(?:%\S+)?")


def _int(text: str, what: str) -> int:
    if not text.isdigit():
        raise NotAnEntry(f"{what} should be a number, not {text!r}")
    return int(text)


# The common shapes, matched in one go by the regex engine (every repetition that
# can backtrack is bounded or anchored, so a long hostile line stays linear):
# `DST dev D [lladdr L] [[ref R] used U/C/P[ ]probes N] STATE` in either
# -s spelling. Anything else takes the token-by-token path below.
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_COMMON = re.compile(
    rf"(?:({_OCTET}(?:\.{_OCTET}){{3}})|([0-9a-fA-F:.]{{2,45}})) dev (\S+) (?:lladdr ([0-9a-f]{{2}}(?::[0-9a-f]{{2}})*) )?"
    r"(?: ?(?:ref (\d+) )?used (\d+/\d+/\d+) ?probes (\d+) )?"
    r"(INCOMPLETE|REACHABLE|STALE|DELAY|PROBE|FAILED|NOARP|PERMANENT) ?"
)  # group 1: an IPv4 address spelled as iproute2 spells it; group 2: IPv6
# The same, line by line over a whole chunk of text (one pass of the regex engine).
COMMON_LINES = re.compile(rf"^(?:{_COMMON.pattern})$\n?", re.MULTILINE)
STATE_MEMBERS = {name: nud_state(value) for name, value in _STATES.items()}


def ages(text: str, cache: dict[str, tuple[float, float, float]]) -> tuple[float, float, float]:
    """ "U/C/P" as three floats; a dump repeats the same few, so they are cached."""
    found = cache.get(text)
    if found is None:
        used, confirmed, updated = text.split("/")
        found = cache[text] = (float(used), float(confirmed), float(updated))
    return found


def _common_entry(line: str) -> Neighbor | None:
    """The entry on a line of a common shape; None if the line is not one."""
    m = _COMMON.fullmatch(line)
    if m is None:
        return None
    dst4, dst6, dev, lladdr, ref, age_text, probes, state = m.groups()
    if dst4 is not None:
        family, dst = AF_INET, dst4
    else:
        address = canonical_address(dst6)
        if address is None:
            return None
        family, dst = address
    if age_text is None:
        return fast_neighbor(
            family, dst, dev, STATE_MEMBERS[state], NO_FLAGS, lladdr, None,
            None, None, None, None, None, None,
        )  # fmt: skip
    used, confirmed, updated = ages(age_text, {})
    return fast_neighbor(
        family, dst, dev, STATE_MEMBERS[state], NO_FLAGS, lladdr, None,
        int(ref) if ref else 0, used, confirmed, updated, int(probes), None,
    )  # fmt: skip


def is_row_shaped(tokens: list[str]) -> bool:
    """An address first (after an event word), then nothing or an `ip neigh` keyword."""
    if tokens and tokens[0] in _EVENT_WORDS:
        tokens = tokens[1:]
    if not tokens or not _ADDRESSISH.fullmatch(tokens[0]):
        return False
    if len(tokens) == 1:
        return True
    second = tokens[1]
    return second in _KEYWORDS or ("," in second and second.split(",")[0] in _STATES)


def parse_line(line: str) -> Record:
    """(event, entry) for one line; event is "new", "del" or "miss". NotAnEntry otherwise."""
    if line.startswith("["):
        line = monitor_prefixes(line)[0]
    tokens = line.split()
    if not tokens:
        raise NotAnEntry("empty line")
    event = NEW
    if tokens[0] in _EVENT_WORDS:
        event = _EVENT_WORDS[tokens[0]]
        tokens = tokens[1:]
        if not tokens:
            raise NotAnEntry("an event word without an entry")
    address = canonical_address(tokens[0])
    if address is None:
        raise NotAnEntry(f"{tokens[0]!r} is not an IP address")
    family, dst = address
    dev = ""
    lladdr = None
    state = flags = 0
    refcnt = probes = protocol = None
    used = confirmed = updated = None
    i = 1
    count = len(tokens)
    try:
        while i < count:
            token = tokens[i]
            if token == "dev":
                dev = tokens[i + 1]
                i += 2
            elif token == "lladdr":
                lladdr = tokens[i + 1].lower()
                if not is_lladdr(lladdr):
                    raise NotAnEntry(f"{tokens[i + 1]!r} is not a link-layer address")
                i += 2
            elif token in _STATES:
                state |= _STATES[token]
                i += 1
            elif token in _FLAGS:
                flags |= _FLAGS[token]
                i += 1
            elif token == "nud":  # old iproute2: `nud reachable`
                word = tokens[i + 1].upper()
                if word not in _STATES:
                    raise NotAnEntry(f"unknown state {tokens[i + 1]!r} after `nud`")
                state |= _STATES[word]
                i += 2
            elif token == "used":
                # `used 1/2/3 probes 4` (<= 5.15) or `used 1/2/3probes 4` (5.16+)
                age_text, glued, _ = tokens[i + 1].partition("probes")
                parts = age_text.split("/")
                if len(parts) != 3 or not all(p.isdigit() for p in parts):
                    raise NotAnEntry(f"`used` wants U/C/P seconds, not {tokens[i + 1]!r}")
                used, confirmed, updated = float(parts[0]), float(parts[1]), float(parts[2])
                i += 2
                if glued:
                    probes = _int(tokens[i], "probes")
                    i += 1
            elif token == "probes":
                probes = _int(tokens[i + 1], "probes")
                i += 2
            elif token == "ref":
                refcnt = _int(tokens[i + 1], "ref")
                i += 2
            elif token in ("proto", "protocol"):
                name = tokens[i + 1]
                protocol = PROTOCOL_BY_NAME.get(name)
                if protocol is None:
                    protocol = _int(name, "proto")
                i += 2
            elif "," in token and all(part in _STATES for part in token.split(",")):
                for part in token.split(","):  # old iproute2: STALE,NOARP
                    state |= _STATES[part]
                i += 1
            else:
                raise NotAnEntry(f"unexpected {token!r}")
    except IndexError:
        raise NotAnEntry(f"{tokens[-1]!r} needs a value after it") from None
    if lladdr is not None and not state:
        # The kernel sends NDA_LLADDR only for NUD_VALID states (neigh_fill_info), and
        # iproute2 prints every state but NONE: this line lost its end.
        raise NotAnEntry("no state after the link-layer address: is the line cut short?")
    if used is not None and refcnt is None:
        refcnt = 0  # iproute2 prints `ref N` only when N is not 0
    entry = fast_neighbor(
        family, dst, dev, nud_state(state), neigh_flags(flags), lladdr, None,
        refcnt, used, confirmed, updated, probes, protocol,
    )  # fmt: skip
    return event, entry


def parse_events(text: str, path: str | None = None) -> list[Record]:
    """Every row as an event (a plain listing is all "new"; `ip monitor` adds del/miss)."""
    from neighctl.parse import read_records

    return read_records(text, "ip", path)


def table_of(events: list[Record]) -> list[Neighbor]:
    """The table the events leave behind: the last state of each entry, deletions removed."""
    table: dict[tuple[str, str, bool], Neighbor] = {}
    for event, n in events:
        key = (n.dst, n.dev, bool(n.flags & NeighFlag.PROXY))
        table.pop(key, None)  # a changed entry moves to the end, as in a fresh dump
        if event != DEL:
            table[key] = n
    return list(table.values())


class IpText:
    """`ip [-s] [-4|-6] neigh show` and `ip monitor neigh` rows."""

    name = NAME

    def row(self, line: str, ctx: Context) -> Record | None:
        found = _common_entry(line)
        if found is not None:
            return NEW, found
        tokens = line.split()
        if not is_row_shaped(tokens):
            return None
        return parse_line(line)

    def marker(self, line: str, ctx: Context) -> str | None:
        return None
