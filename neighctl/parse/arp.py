"""net-tools `arp -a`/`arp -an` and `arp -e`/`arp -en` output.

net-tools reads /proc/net/arp, so it carries the same flags and loses the same
things (see parse/proc.py): `PERM`/`M` is PERMANENT, a resolved MAC without it
is "REACHABLE, STALE, DELAY or PROBE", `<incomplete>` is "INCOMPLETE or
FAILED", `PUB`/`P` is a proxy entry.
"""

from __future__ import annotations

import re

from neighctl.model import Neighbor
from neighctl.parse.base import LineErrors, Warn, meaningful_lines
from neighctl.parse.proc import ATF_COM, ATF_PERM, ATF_PUBL, entry

NAME = "arp"
# ? (10.0.0.2) at 02:00:00:00:01:02 [ether] PERM PUB on veth0
_BSD = re.compile(
    r"^(?P<host>\S+) \((?P<addr>[^)]+)\) at (?P<hw>\S+)(?: \[(?P<type>[^\]]*)\])?"
    r"(?P<flags>(?: (?:PERM|PUB))*)(?: netmask \S+)? on (?P<dev>\S+)$"
)
_E_HEADER = re.compile(r"^Address\s+HWtype\s+HWaddress\s+Flags\s+Mask\s+Iface")
_NOISE = re.compile(r"^(Entries: \d+|arp: in \d+ entries no match found)")
_MAC = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+")


def _flags(perm: bool, pub: bool, resolved: bool) -> int:
    return (ATF_PERM if perm else 0) | (ATF_PUBL if pub else 0) | (ATF_COM if resolved else 0)


def parse_bsd(line: str) -> Neighbor | None:
    m = _BSD.match(line.strip())
    if m is None:
        return None
    words = m["flags"].split()
    hw = m["hw"]
    resolved = bool(_MAC.fullmatch(hw))
    if not resolved and hw not in ("<incomplete>", "<from_interface>"):
        return None
    return entry(m["addr"], _flags("PERM" in words, "PUB" in words, resolved), hw, m["dev"])


def parse_e(line: str) -> Neighbor | None:
    """A row of `arp -e`: Address HWtype HWaddress Flags Mask Iface (Mask often blank)."""
    fields = line.split()
    if len(fields) < 3:
        return None
    address, dev = fields[0], fields[-1]
    middle = fields[1:-1]
    if "(incomplete)" in middle:
        return entry(address, 0, None, dev)
    if len(middle) < 3:
        return None
    hw, flags = middle[1], middle[2]
    if not set(flags) <= set("CMPT"):
        return None
    resolved = bool(_MAC.fullmatch(hw))
    if not resolved and hw != "<from_interface>":
        return None
    return entry(address, _flags("M" in flags, "P" in flags, "C" in flags and resolved), hw, dev)


class NetToolsArp:
    """`arp -a`, `arp -an`, `arp -e`, `arp -en`."""

    name = NAME

    def detect(self, lines: list[str]) -> bool:
        return bool(lines) and (
            bool(_E_HEADER.match(lines[0].strip())) or parse_bsd(lines[0]) is not None
        )

    def parse(self, text: str, path: str | None, lenient: Warn | None) -> list[Neighbor]:
        errors = LineErrors(path, lenient)
        out: list[Neighbor] = []
        e_format = False
        for number, line in meaningful_lines(text):
            stripped = line.strip()
            if _E_HEADER.match(stripped):
                e_format = True
                continue
            if _NOISE.match(stripped):
                continue
            n = parse_e(line) if e_format else parse_bsd(line)
            if n is None:
                errors.bad(number, line, "not an `arp` entry")
            else:
                out.append(n)
        errors.finish()
        return out
