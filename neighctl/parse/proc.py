"""/proc/net/arp: IPv4 only, and only what the kernel's ATF_* flags say.

The kernel writes (net/ipv4/arp.c, arp_state_to_flags): ATF_PERM|ATF_COM for
PERMANENT, ATF_COM for any other valid state, nothing for INCOMPLETE and
FAILED; ATF_PUBL|ATF_PERM for proxy entries; NOARP and NONE entries are not
listed. So a row can only say *which set of states* the entry was in, and the
entry's state is that set (an honest "one of", never a guess):

| flags | state set |
|---|---|
| 0x6 (PERM, COM) | PERMANENT |
| 0x2 (COM) | REACHABLE, STALE, DELAY or PROBE |
| 0x0 | INCOMPLETE or FAILED (the MAC shown is stale; dropped) |
| 0xc (PUBL, PERM) | a proxy entry |
"""

from __future__ import annotations

from neighctl.errors import ParseError
from neighctl.model import (
    AF_INET,
    Neighbor,
    NeighFlag,
    NudState,
    fast_neighbor,
    neigh_flags,
    nud_state,
)
from neighctl.parse.base import LineErrors, Warn, canonical_address, meaningful_lines

NAME = "proc"
ATF_COM = 0x02
ATF_PERM = 0x04
ATF_PUBL = 0x08
RESOLVED = nud_state(int(NudState.REACHABLE | NudState.STALE | NudState.DELAY | NudState.PROBE))
UNRESOLVED = nud_state(int(NudState.INCOMPLETE | NudState.FAILED))
HEADER_START = "IP address"


def state_from_atf(flags: int) -> tuple[NudState, bool]:
    """(state set, is a proxy entry) for ATF_* flags."""
    if flags & ATF_PUBL:
        return NudState.NONE, True
    if flags & ATF_PERM:
        return NudState.PERMANENT, False
    if flags & ATF_COM:
        return RESOLVED, False
    return UNRESOLVED, False


def entry(address: str, flags: int, mac: str | None, dev: str) -> Neighbor | None:
    """An entry from one row's fields; None if the address is not IPv4."""
    found = canonical_address(address)
    if found is None or found[0] != AF_INET:
        return None
    state, proxy = state_from_atf(flags)
    if proxy and dev == "*":
        dev = ""  # a proxy entry for every device (arp_format_pneigh_entry prints *)
    lladdr = mac.lower() if mac and (flags & ATF_COM) and not proxy else None
    return fast_neighbor(
        AF_INET, found[1], dev, state, neigh_flags(int(NeighFlag.PROXY) if proxy else 0),
        lladdr, None, None, None, None, None, None, None,
    )  # fmt: skip


class ProcNetArp:
    """`cat /proc/net/arp`."""

    name = NAME

    def detect(self, lines: list[str]) -> bool:
        return bool(lines) and lines[0].lstrip().startswith(HEADER_START)

    def parse(self, text: str, path: str | None, lenient: Warn | None) -> list[Neighbor]:
        errors = LineErrors(path, lenient)
        out: list[Neighbor] = []
        seen_header = False
        for number, line in meaningful_lines(text):
            if line.lstrip().startswith(HEADER_START):
                seen_header = True
                continue
            if not seen_header:
                raise ParseError(
                    "not /proc/net/arp output: its header line (IP address  HW type ...) is missing",
                    path=path, line_number=number, line=line.strip(),
                )  # fmt: skip
            fields = line.split()
            n = None
            if len(fields) == 6 and fields[1].startswith("0x") and fields[2].startswith("0x"):
                try:
                    n = entry(fields[0], int(fields[2], 16), fields[3], fields[5])
                except ValueError:
                    n = None
            if n is None:
                errors.bad(number, line, "not a /proc/net/arp row")
            else:
                out.append(n)
        errors.finish()
        return out
