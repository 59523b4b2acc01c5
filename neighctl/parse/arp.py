"""Linux `arp`: net-tools (`arp -a/-an`, `arp`/`-n`/`-e`/`-v`) and BusyBox (`arp -a/-n`).

Both read /proc/net/arp, so they carry the same flags and lose the same
things (see parse/proc.py): `PERM`/`M` is PERMANENT, a resolved MAC without it
is "REACHABLE, STALE, DELAY or PROBE", `<incomplete>`/`(incomplete)` is
"INCOMPLETE or FAILED", `PUB`/`P` is a proxy entry. BusyBox pads with two
spaces where a field is empty (`[ether]  on br0`, `<incomplete>  on br0`) and
spells a proxy entry `at * PERM PUP` (sic, networking/arp.c).
"""

from __future__ import annotations

import re

from neighctl.model import Neighbor
from neighctl.parse.base import NEW, Context, NotAnEntry, Record
from neighctl.parse.lines import HEADER, TRAILER
from neighctl.parse.proc import ATF_COM, ATF_PERM, ATF_PUBL, entry

NAME = "arp"
# ? (10.0.0.2) at 02:00:00:00:01:02 [ether] PERM PUB on veth0
_A_ROW = re.compile(
    r"^(?P<host>\S+) \((?P<addr>[^)]+)\) at (?P<hw>\S+)(?: \[(?P<type>[^\]]*)\])?"
    r"(?P<flags>(?: +(?:PERM|PUB|PUP))*)(?: netmask \S+)? +on (?P<dev>\S+)$"
)
_E_HEADER = re.compile(r"^Address\s+HWtype\s+HWaddress\s+Flags\s+Mask\s+Iface")
_TRAILER = re.compile(
    r"^(?:Entries:\s*\d+\s+Skipped:\s*\d+\s+Found:\s*\d+|arp: in \d+ entries no match found\.?)$"
)
_MAC = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+")
_HWTYPES = frozenset(
    [
        "ether",
        "*",
        "loop",
        "netrom",
        "ax25",
        "rose",
        "arcnet",
        "dlci",
        "fddi",
        "hippi",
        "irda",
        "x25",
        "infiniband",
        "eui64",
        "ieee802",
        "tr",
    ]
)
_UNRESOLVED_HW = ("<incomplete>", "<from_interface>", "*")


def _flags(perm: bool, pub: bool, resolved: bool) -> int:
    return (ATF_PERM if perm else 0) | (ATF_PUBL if pub else 0) | (ATF_COM if resolved else 0)


def parse_a(line: str) -> Neighbor | None:
    """A row of `arp -a` (net-tools or BusyBox); None if the line is not one."""
    m = _A_ROW.match(line.strip())
    if m is None:
        return None
    words = m["flags"].split()
    hw = m["hw"]
    resolved = bool(_MAC.fullmatch(hw))
    if not resolved and hw not in _UNRESOLVED_HW:
        raise NotAnEntry(f"{hw!r} is not a link-layer address")
    pub = "PUB" in words or "PUP" in words
    n = entry(m["addr"], _flags("PERM" in words, pub, resolved), hw, m["dev"])
    if n is None:
        raise NotAnEntry(f"{m['addr']!r} is not an IPv4 address")
    return n


def parse_e(line: str) -> Neighbor | None:
    """A row of `arp -e`: Address HWtype HWaddress Flags Mask Iface (Mask often blank)."""
    fields = line.split()
    if len(fields) < 3 or len(fields) > 6:
        return None
    address, dev = fields[0], fields[-1]
    middle = fields[1:-1]
    if middle == ["(incomplete)"]:
        n = entry(address, 0, None, dev)
    elif len(middle) in (3, 4) and middle[0] in _HWTYPES:
        hw, flags = middle[1], middle[2]
        if not set(flags) <= set("CMPT"):
            raise NotAnEntry(f"unknown flags {flags!r}")
        resolved = bool(_MAC.fullmatch(hw))
        if not resolved and hw != "<from_interface>":
            raise NotAnEntry(f"{hw!r} is not a link-layer address")
        n = entry(address, _flags("M" in flags, "P" in flags, "C" in flags and resolved), hw, dev)
    else:
        return None
    if n is None:
        raise NotAnEntry(f"{address!r} is not an IPv4 address (a host name? capture with `arp -n`)")
    return n


class LinuxArp:
    """`arp -a`, `arp -an`, `arp`, `arp -n`, `arp -e`, `arp -v` (net-tools and BusyBox)."""

    name = NAME

    def row(self, line: str, ctx: Context) -> Record | None:
        n = parse_a(line) if " at " in line else parse_e(line)
        return None if n is None else (NEW, n)

    def marker(self, line: str, ctx: Context) -> str | None:
        stripped = line.strip()
        if _E_HEADER.match(stripped):
            return HEADER
        if _TRAILER.match(stripped):
            return TRAILER
        return None
