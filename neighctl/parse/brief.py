"""`ip -br neigh`: address, device and link-layer address in padded columns, no state.

iproute2 (ip/ipneigh.c, print_neigh with `-br`) prints ``%-39s %-16s LLADDR``
and no state word. The kernel sends a link-layer address only for the NUD_VALID
states (PERMANENT, NOARP, REACHABLE, STALE, DELAY, PROBE), so an entry with
one is "one of those" and an entry without is "INCOMPLETE or FAILED" (or NONE,
which a set of state bits cannot hold) — sets, never a guessed state.
"""

from __future__ import annotations

import re

from neighctl.model import NO_FLAGS, NudState, fast_neighbor, nud_state
from neighctl.parse.base import NEW, UNRESOLVED, Context, NotAnEntry, Record, canonical_address
from neighctl.parse.iptext import is_row_shaped

NAME = "ip-brief"
VALID = nud_state(
    int(
        NudState.REACHABLE
        | NudState.STALE
        | NudState.DELAY
        | NudState.PROBE
        | NudState.NOARP
        | NudState.PERMANENT
    )
)
# Columns are padded: two spaces or more between the address and the device.
_ROW = re.compile(r"^(?P<addr>[0-9A-Fa-f:.]+)\s{2,}(?P<dev>\S+)(?:\s+(?P<ll>\S+))?\s*$")
_LLADDR = re.compile(
    r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*|\d+\.\d+\.\d+\.\d+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*"
)


class IpBrief:
    """`ip -br [-4|-6] neigh`."""

    name = NAME

    def row(self, line: str, ctx: Context) -> Record | None:
        m = _ROW.match(line)
        if m is None or is_row_shaped(line.split()):
            return None
        address = canonical_address(m["addr"])
        if address is None:
            raise NotAnEntry(f"{m['addr']!r} is not an IP address")
        lladdr = m["ll"]
        if lladdr is not None and not _LLADDR.fullmatch(lladdr):
            return None
        state = VALID if lladdr else UNRESOLVED
        return NEW, fast_neighbor(
            address[0], address[1], m["dev"], state, NO_FLAGS,
            lladdr.lower() if lladdr else None, None, None, None, None, None, None, None,
        )  # fmt: skip

    def marker(self, line: str, ctx: Context) -> str | None:
        return None
