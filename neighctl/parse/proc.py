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

from neighctl.model import (
    AF_INET,
    Neighbor,
    NeighFlag,
    NudState,
    fast_neighbor,
    neigh_flags,
)
from neighctl.parse.base import (
    NEW,
    RESOLVED,
    UNRESOLVED,
    Context,
    NotAnEntry,
    Record,
    canonical_address,
)
from neighctl.parse.lines import HEADER

NAME = "proc"
ATF_COM = 0x02
ATF_PERM = 0x04
ATF_PUBL = 0x08
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
    """`cat /proc/net/arp`: IP address, HW type, Flags, HW address, Mask, Device."""

    name = NAME

    def row(self, line: str, ctx: Context) -> Record | None:
        fields = line.split()
        if len(fields) != 6 or not fields[1].startswith("0x") or not fields[2].startswith("0x"):
            return None
        try:
            flags = int(fields[2], 16)
        except ValueError:
            raise NotAnEntry(f"flags {fields[2]!r} are not a hex number") from None
        n = entry(fields[0], flags, fields[3], fields[5])
        if n is None:
            raise NotAnEntry(f"{fields[0]!r} is not an IPv4 address")
        return NEW, n

    def marker(self, line: str, ctx: Context) -> str | None:
        stripped = line.strip()
        if stripped.startswith(HEADER_START) and "HW type" in stripped:
            return HEADER
        return None
