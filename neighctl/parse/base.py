"""What every text format shares: the row-format shape, errors, addresses, state sets."""

from __future__ import annotations

import re
import socket
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from neighctl.errors import ParseError
from neighctl.model import AF_INET, AF_INET6, Neighbor, NudState, nud_state

Warn = Callable[[str], None]
Context = dict[str, Any]  # a format's memory within one part (a Windows interface block, ...)

# Event kinds of a row: a listing is all "new"; `ip monitor` adds "del" and "miss".
NEW, DEL, MISS = "new", "del", "miss"
Record = tuple[str, Neighbor]

# State sets for tools that cannot tell one state from another (never a guess):
# a resolved dynamic entry, and an entry without a link-layer address.
RESOLVED = nud_state(int(NudState.REACHABLE | NudState.STALE | NudState.DELAY | NudState.PROBE))
UNRESOLVED = nud_state(int(NudState.INCOMPLETE | NudState.FAILED))


class NotAnEntry(ValueError):
    """The line has a row's shape but cannot be read (the message says why)."""


class RowFormat(Protocol):
    """A line-oriented table format: one row a line, maybe headers and trailers."""

    name: str

    def row(self, line: str, ctx: Context) -> Record | None:
        """The entry of a row; None if the line does not have this format's row shape.

        Raises NotAnEntry when it has the shape but cannot be read.
        """
        ...

    def marker(self, line: str, ctx: Context) -> str | None:
        """lines.HEADER or lines.TRAILER if the line is one of this format's; else None."""
        ...


def canonical_address(text: str) -> tuple[int, str] | None:
    """(family, iproute2's spelling) of an IP address, or None."""
    family = AF_INET6 if ":" in text else AF_INET
    try:
        return family, socket.inet_ntop(family, socket.inet_pton(family, text))
    except (OSError, ValueError):
        return None


# iproute2's ll_addr_n2a prints two hex digits a byte, or an IPv4/IPv6 address for
# the tunnels whose link-layer address is one (ipip, sit, gre; ip6tnl, ip6gre).
_LLADDR = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2})*")


def is_lladdr(text: str) -> bool:
    """Whether ``text`` (lower case) is a link-layer address as iproute2 prints one."""
    return bool(_LLADDR.fullmatch(text)) or canonical_address(text) is not None


_MAC_PARTS = re.compile(r"[0-9A-Fa-f]{1,2}(?:[:-][0-9A-Fa-f]{1,2}){5}")


def ethernet_mac(text: str) -> str | None:
    """A 48-bit MAC in any common spelling (`2:0:0:0:0:1`, `02-00-...`) as iproute2 prints it."""
    if not _MAC_PARTS.fullmatch(text):
        return None
    return ":".join(part.rjust(2, "0") for part in re.split("[:-]", text.lower()))


def cut(text: str, size: int = 120) -> str:
    """The start of a long line or reason, enough to find it in the file (a message stays
    one readable line, not a 50 KB one)."""
    return text if len(text) <= size else text[:size] + "..."


class LineErrors:
    """Raise on a bad line, or (lenient) warn, count and go on."""

    def __init__(self, path: str | None, warn: Warn | None) -> None:
        self.path = path
        self.warn = warn
        self.skipped = 0  # lines
        self.skipped_entries = 0  # objects of a JSON document
        self.ignored_keys: Counter[str] = Counter()  # JSON keys neighctl does not know

    def bad(self, number: int, line: str, why: str, hint: str | None = None) -> None:
        line, why = cut(line.strip()), cut(why, 200)
        if self.warn is None:
            raise ParseError(why, path=self.path, line_number=number, line=line, hint=hint)
        self.skipped += 1
        where = f"{self.path or '<input>'}:{number}"
        self.warn(f"{where}: skipped: {why}: {line!r}")

    def finish(self) -> None:
        if self.warn is None:
            return
        if self.skipped == 1:
            self.warn("skipped 1 line that was not a neighbour entry")
        elif self.skipped:
            self.warn(f"skipped {self.skipped} lines that were not neighbour entries")
        if self.skipped_entries:
            entries = "entry" if self.skipped_entries == 1 else "entries"
            self.warn(f"skipped {self.skipped_entries} JSON {entries} that could not be read")
