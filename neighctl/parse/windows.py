"""Windows `arp -a`: an `Interface:` block per interface, then address, MAC and type.

```
Interface: 192.0.2.5 --- 0xb
  Internet Address      Physical Address      Type
  192.0.2.1             02-00-00-00-00-01     dynamic
```

The device of each entry is the interface index as `arp -a` prints it
(`0xb`): Windows names no device there. `static` is PERMANENT; `dynamic` is a
resolved entry, "REACHABLE, STALE, DELAY or PROBE" (`arp -a` does not say
which); `invalid` is "INCOMPLETE or FAILED".
"""

from __future__ import annotations

import re

from neighctl.model import AF_INET, NO_FLAGS, NudState, fast_neighbor
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
from neighctl.parse.lines import HEADER, TRAILER

NAME = "windows-arp"
_INTERFACE = re.compile(r"^Interface:\s+(?P<addr>\S+)\s+---\s+(?P<index>0x[0-9a-fA-F]+)$")
_HEADER = re.compile(r"^Internet Address\s+Physical Address\s+Type$")
_NO_ENTRIES = re.compile(r"^No ARP Entries Found\.?$")
_TYPES = {"static": NudState.PERMANENT, "dynamic": RESOLVED, "invalid": UNRESOLVED}
_DASHED = re.compile(r"[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}")


class WindowsArp:
    """`arp -a` of Windows (cmd or PowerShell)."""

    name = NAME

    def row(self, line: str, ctx: Context) -> Record | None:
        fields = line.split()
        if len(fields) != 3 or not _DASHED.fullmatch(fields[1]):
            return None
        addr, hw, kind = fields
        address = canonical_address(addr)
        if address is None or address[0] != AF_INET:
            raise NotAnEntry(f"{addr!r} is not an IPv4 address")
        state = _TYPES.get(kind.lower())
        if state is None:
            raise NotAnEntry(f"unknown type {kind!r} (static, dynamic or invalid)")
        mac = ethernet_mac(hw)
        if state is UNRESOLVED or mac == "00:00:00:00:00:00":
            mac = None
        dev = ctx.get("interface", "")
        return NEW, fast_neighbor(
            AF_INET, address[1], dev, state, NO_FLAGS, mac, None,
            None, None, None, None, None, None,
        )  # fmt: skip

    def marker(self, line: str, ctx: Context) -> str | None:
        stripped = line.strip()
        m = _INTERFACE.match(stripped)
        if m is not None:
            ctx["interface"] = m["index"].lower()
            return HEADER
        if _HEADER.match(stripped):
            return HEADER
        if _NO_ENTRIES.match(stripped):
            return TRAILER
        return None
