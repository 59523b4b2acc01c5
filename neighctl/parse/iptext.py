"""`ip neigh show` text, with or without -s, any iproute2 version; `ip monitor neigh`.

Token by token, as iproute2's print_neigh writes them:
``[Deleted|miss] DST [dev DEV] [lladdr LL] [router] [proxy] [managed]
[extern_learn] [offload] [ref N] [used U/C/P[probes N]] [probes N] [STATE...]
[proto P]``. Statistics come in two spellings: `used 12/34/5 probes 1`
(iproute2 <= 5.15) and `used 12/34/5probes 1` (5.16 and later); old versions
also joined several states with commas.
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
from neighctl.parse.base import LineErrors, Warn, canonical_address, is_noise

NAME = "ip"
_LLADDR = re.compile(
    r"[0-9A-Fa-f]{1,2}(?::[0-9A-Fa-f]{1,2})*|\d+\.\d+\.\d+\.\d+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*"
)
_STATES = {name: int(value) for name, value in STATE_BY_NAME.items()}
_FLAGS = {word: int(flag) for word, flag in FLAG_BY_WORD.items()}

_EVENT_WORDS = {"Deleted": "del", "delete": "del", "miss": "miss"}
_MONITOR_PREFIX = re.compile(r"^(?:\[[^\]]*\]\s*)+")  # `ip monitor -t`/`all`: [NEIGH], [time]


class NotAnEntry(ValueError):
    """This line is not a neighbour entry (the message says why)."""


def _int(text: str, what: str) -> int:
    if not text.isdigit():
        raise NotAnEntry(f"{what} should be a number, not {text!r}")
    return int(text)


# The common shapes, matched in one go by the regex engine:
# `DST dev D [lladdr L] [[ref R] used U/C/P[ ]probes N] STATE` in either
# -s spelling. Anything else takes the token-by-token loop below.
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_COMMON = re.compile(
    rf"(?:({_OCTET}(?:\.{_OCTET}){{3}})|(\S*:\S*)) dev (\S+) (?:lladdr ([0-9a-f]{{2}}(?::[0-9a-f]{{2}})*) )?"
    r"(?: ?(?:ref (\d+) )?used (\d+/\d+/\d+) ?probes (\d+) )?"
    r"(INCOMPLETE|REACHABLE|STALE|DELAY|PROBE|FAILED|NOARP|PERMANENT) ?"
)  # group 1: an IPv4 address spelled as iproute2 spells it; group 2: IPv6
# The same, line by line over a whole text (one pass of the regex engine).
_COMMON_LINES = re.compile(rf"^(?:{_COMMON.pattern})$\n?", re.MULTILINE)
_STATE_MEMBERS = {name: nud_state(value) for name, value in _STATES.items()}


def _ages(text: str, cache: dict[str, tuple[float, float, float]]) -> tuple[float, float, float]:
    """ "U/C/P" as three floats; a dump repeats the same few, so they are cached."""
    ages = cache.get(text)
    if ages is None:
        used, confirmed, updated = text.split("/")
        ages = cache[text] = (float(used), float(confirmed), float(updated))
    return ages


def _common_entry(line: str) -> Neighbor | None:
    """The entry on a line of a common shape; None if the line is not one."""
    m = _COMMON.fullmatch(line)
    if m is None:
        return None
    dst4, dst6, dev, lladdr, ref, ages, probes, state = m.groups()
    if dst4 is not None:
        family, dst = AF_INET, dst4
    else:
        address = canonical_address(dst6)
        if address is None:
            return None
        family, dst = address
    if ages is None:
        return fast_neighbor(
            family, dst, dev, _STATE_MEMBERS[state], NO_FLAGS, lladdr, None,
            None, None, None, None, None, None,
        )  # fmt: skip
    used, confirmed, updated = _ages(ages, {})
    return fast_neighbor(
        family, dst, dev, _STATE_MEMBERS[state], NO_FLAGS, lladdr, None,
        int(ref) if ref else 0, used, confirmed, updated, int(probes), None,
    )  # fmt: skip


def parse_line(line: str) -> tuple[str, Neighbor]:
    """(event, entry) for one line; event is "new", "del" or "miss"."""
    tokens = line.split()
    if tokens and tokens[0].startswith("["):
        tokens = _MONITOR_PREFIX.sub("", line).split()
    if not tokens:
        raise NotAnEntry("empty line")
    event = "new"
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
                if not _LLADDR.fullmatch(lladdr):
                    raise NotAnEntry(f"{tokens[i + 1]!r} is not a link-layer address")
                i += 2
            elif token in _STATES:
                state |= _STATES[token]
                i += 1
            elif token in _FLAGS:
                flags |= _FLAGS[token]
                i += 1
            elif token == "used":
                # `used 1/2/3 probes 4` (<= 5.15) or `used 1/2/3probes 4` (5.16+)
                ages, glued, _ = tokens[i + 1].partition("probes")
                parts = ages.split("/")
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
    if used is not None and refcnt is None:
        refcnt = 0  # iproute2 prints `ref N` only when N is not 0
    entry = fast_neighbor(
        family, dst, dev, nud_state(state), neigh_flags(flags), lladdr, None,
        refcnt, used, confirmed, updated, probes, protocol,
    )  # fmt: skip
    return event, entry


def parse_events(
    text: str, path: str | None = None, lenient: Warn | None = None
) -> list[tuple[str, Neighbor]]:
    """Every line as an event: a plain listing is all "new"; `ip monitor` adds del/miss."""
    entries, kinds = _parse(text, path, lenient)
    return [(kinds.get(i, "new"), n) for i, n in enumerate(entries)]


def _parse(
    text: str, path: str | None, lenient: Warn | None
) -> tuple[list[Neighbor], dict[int, str]]:
    """The entries, and the event kind of those that are not "new" (by position).

    Lines of the common shapes are found in one regex pass over the text; the
    lines between them (other shapes, prompts, monitor events, errors) go
    through parse_line one by one.
    """
    errors = LineErrors(path, lenient)
    out: list[Neighbor] = []
    kinds: dict[int, str] = {}
    append = out.append
    states = _STATE_MEMBERS
    build = fast_neighbor
    no_flags = NO_FLAGS
    age_cache: dict[str, tuple[float, float, float]] = {}
    counted = [0, 1]  # (offset, its line number): line numbers only when needed

    def other_lines(start: int, end: int) -> None:
        number = counted[1] + text.count("\n", counted[0], start)
        counted[0], counted[1] = start, number
        for raw in text[start:end].splitlines():
            line = raw.rstrip()
            if line and not is_noise(line) and not line.startswith("Timestamp:"):
                found = _common_entry(line)
                if found is not None:
                    append(found)
                else:
                    try:
                        kind, entry = parse_line(line)
                    except NotAnEntry as exc:
                        errors.bad(number, line, f"not a neighbour entry ({exc})")
                    else:
                        if kind != "new":
                            kinds[len(out)] = kind
                        append(entry)
            number += 1

    pos = 0
    for m in _COMMON_LINES.finditer(text):
        start = m.start()
        if start != pos:
            other_lines(pos, start)
        pos = m.end()
        dst, _, dev, lladdr, ref, ages, probes, state = m.groups()
        if dst is None:  # IPv6: canonical spelling and validation first
            other_lines(start, pos)
            continue
        if ages is None:
            append(build(
                AF_INET, dst, dev, states[state], no_flags, lladdr, None,
                None, None, None, None, None, None,
            ))  # fmt: skip
        else:
            used, confirmed, updated = age_cache.get(ages) or _ages(ages, age_cache)
            append(build(
                AF_INET, dst, dev, states[state], no_flags, lladdr, None,
                int(ref) if ref else 0, used, confirmed, updated, int(probes), None,
            ))  # fmt: skip
    if pos < len(text):
        other_lines(pos, len(text))
    errors.finish()
    return out, kinds


def table_of(events: list[tuple[str, Neighbor]]) -> list[Neighbor]:
    """The table the events leave behind: the last state of each entry, deletions removed."""
    table: dict[tuple[str, str, bool], Neighbor] = {}
    for event, n in events:
        key = (n.dst, n.dev, bool(n.flags & NeighFlag.PROXY))
        if event == "del":
            table.pop(key, None)
        else:
            table.pop(key, None)  # a changed entry moves to the end, as in a fresh dump
            table[key] = n
    return list(table.values())


class IpText:
    """`ip [-s] [-4|-6] neigh show` and `ip monitor neigh` text."""

    name = NAME

    def detect(self, lines: list[str]) -> bool:
        try:
            parse_line(lines[0])
        except (NotAnEntry, IndexError):
            return False
        return True

    def parse(self, text: str, path: str | None, lenient: Warn | None) -> list[Neighbor]:
        entries, kinds = _parse(text, path, lenient)
        # A dump lists each entry once; `ip monitor` text repeats them as they change.
        if not kinds and (
            len({n.dst for n in entries}) == len(entries)
            or len({(n.dst, n.dev, int(n.flags) & 8) for n in entries}) == len(entries)
        ):
            return entries
        return table_of([(kinds.get(i, "new"), n) for i, n in enumerate(entries)])
