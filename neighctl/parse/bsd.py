"""FreeBSD and macOS `arp -an` and `ndp -an` (pasted from the other end of a link).

`arp -an` (usr.sbin/arp/arp.c, print_entry): ``? (ADDR) at MAC on IF
[ifscope] [permanent | expires in N seconds | expired] [published [(proxy
only)]] [[ethernet]]``; macOS prints MACs without leading zeros
(`2:0:0:0:0:1`) and no expiry. `ndp -an` (usr.sbin/ndp/ndp.c): a header, then
``ADDR[%IF] MAC IF EXPIRE STATE FLAGS [PROBES]`` with one-letter states.

BSD tables are not Linux's, so states map to the set that means the same:
`permanent` is PERMANENT; a resolved dynamic ARP entry is "REACHABLE, STALE,
DELAY or PROBE" (BSD ARP keeps no such distinction); `(incomplete)` is
"INCOMPLETE or FAILED"; ndp's letters are the ND states themselves (R, S, D,
P, I), N (no state) is NONE and W (waiting for deletion after failing) is FAILED.
"""

from __future__ import annotations

import re

from neighctl.model import AF_INET, AF_INET6, NeighFlag, NudState, fast_neighbor, neigh_flags
from neighctl.parse.base import (
    NEW,
    RESOLVED,
    UNRESOLVED,
    Context,
    NotAnEntry,
    Record,
    canonical_address,
    ethernet_mac,
)
from neighctl.parse.lines import HEADER

ARP_NAME = "bsd-arp"
NDP_NAME = "ndp"

_ARP_ROW = re.compile(
    r"^(?P<host>\S+) \((?P<addr>[^)]+)\) at (?P<hw>\S+) on (?P<dev>\S+)(?P<rest>.*)$"
)
_ARP_REST = re.compile(
    r"^(?: ifscope)?(?: (?P<perm>permanent)| expires in -?\d+ seconds?| expired)?"
    r"(?: (?P<pub>published)(?: \(proxy only\))?)?(?:\(weird\))?(?: \[[\w-]+\])?$"
)


class BsdArp:
    """FreeBSD and macOS `arp -a`/`arp -an`."""

    name = ARP_NAME

    def row(self, line: str, ctx: Context) -> Record | None:
        m = _ARP_ROW.match(line.strip())
        if m is None:
            return None
        rest = _ARP_REST.match(m["rest"])
        if rest is None:
            # Linux `arp -a` puts `on DEV` last: not this format's row.
            return None
        address = canonical_address(m["addr"])
        if address is None or address[0] != AF_INET:
            raise NotAnEntry(f"{m['addr']!r} is not an IPv4 address")
        hw = m["hw"]
        mac = None
        if hw != "(incomplete)":
            mac = ethernet_mac(hw)
            if mac is None:
                raise NotAnEntry(f"{hw!r} is not a link-layer address")
        state = NudState.PERMANENT if rest["perm"] else RESOLVED if mac else UNRESOLVED
        flags = neigh_flags(int(NeighFlag.PROXY) if rest["pub"] else 0)
        return NEW, fast_neighbor(
            AF_INET, address[1], m["dev"], state, flags, mac, None,
            None, None, None, None, None, None,
        )  # fmt: skip

    def marker(self, line: str, ctx: Context) -> str | None:
        return None


_NDP_HEADER = re.compile(r"^Neighbor\s+Linklayer Address\s+Netif\s+Expire\s+(?:S|St)\b")
_NDP_STATES = {
    "R": NudState.REACHABLE,
    "S": NudState.STALE,
    "D": NudState.DELAY,
    "P": NudState.PROBE,
    "I": NudState.INCOMPLETE,
    "N": NudState.NONE,
    "W": NudState.FAILED,
}
_NDP_ANY = NudState(int(UNRESOLVED | RESOLVED))  # "?": a state ndp itself did not know
_EXPIRE = re.compile(r"^(?:permanent|expired|\d+[smhd](?:\d+[smhd])*|-)$")


class Ndp:
    """FreeBSD and macOS `ndp -an`."""

    name = NDP_NAME

    def row(self, line: str, ctx: Context) -> Record | None:
        fields = line.split()
        if len(fields) < 5 or len(fields) > 7 or not _EXPIRE.match(fields[3]):
            return None
        addr, hw, dev, expire, letter = fields[:5]
        if ":" not in addr:
            return None
        address = canonical_address(addr.partition("%")[0])
        if address is None or address[0] != AF_INET6:
            raise NotAnEntry(f"{addr!r} is not an IPv6 address")
        mac = None
        if hw != "(incomplete)":
            mac = ethernet_mac(hw)
            if mac is None:
                raise NotAnEntry(f"{hw!r} is not a link-layer address")
        if letter == "?":
            state = _NDP_ANY
        elif letter in _NDP_STATES:
            state = _NDP_STATES[letter]
        else:
            raise NotAnEntry(f"unknown ndp state {letter!r}")
        if expire == "permanent":
            state = NudState.PERMANENT
        flags = 0
        for extra in fields[5:]:
            if extra.isdigit():
                continue  # probes sent
            if not set(extra) <= set("Rp"):
                raise NotAnEntry(f"unknown ndp flags {extra!r}")
            flags |= (int(NeighFlag.ROUTER) if "R" in extra else 0) | (
                int(NeighFlag.PROXY) if "p" in extra else 0
            )
        return NEW, fast_neighbor(
            AF_INET6, address[1], dev, state, neigh_flags(flags), mac, None,
            None, None, None, None, None, None,
        )  # fmt: skip

    def marker(self, line: str, ctx: Context) -> str | None:
        return HEADER if _NDP_HEADER.match(line.strip()) else None
