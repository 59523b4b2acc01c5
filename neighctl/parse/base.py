"""What every text source shares: the Source shape, line cleaning, errors."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from typing import Protocol

from neighctl.errors import ParseError
from neighctl.model import AF_INET, AF_INET6, Neighbor

Warn = Callable[[str], None]

# A pasted shell prompt and command ("$ ip neigh", "# ip ne", "$ip neighbor",
# "[root@node ~]# arp -an", "sudo cat /proc/net/arp"), or a Markdown fence.
_PROMPT = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*)?[\w@.~:/-]*[$#%>]\s*(?:sudo\s+)?"
    r"(?:ip|arp|cat|neighctl|ip6?neigh)(?:\s|$)"
)
_FENCE = re.compile(r"^\s*(```|~~~)")


class Source(Protocol):
    """A text format: recognise it, and read it into entries."""

    name: str

    def detect(self, lines: list[str]) -> bool:
        """Whether the first meaningful lines look like this format."""
        ...

    def parse(self, text: str, path: str | None, lenient: Warn | None) -> list[Neighbor]:
        """Every entry in ``text``; ParseError (or a warning when lenient) for other lines."""
        ...


def is_noise(line: str) -> bool:
    """Blank lines, pasted prompts and command lines, Markdown fences."""
    stripped = line.strip()
    return not stripped or bool(_PROMPT.match(line)) or bool(_FENCE.match(line))


_DIGITS = frozenset("0123456789")


def meaningful_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line without trailing whitespace) for lines that carry data."""
    digits = _DIGITS
    for number, line in enumerate(text.splitlines(), start=1):
        # Most lines start with an address's first digit: no prompt, no fence.
        if line[:1] in digits or not is_noise(line):
            yield number, line.rstrip()


def first_lines(text: str, count: int = 5) -> list[str]:
    """The first ``count`` meaningful lines, without splitting the whole text."""
    out: list[str] = []
    start = 0
    size = len(text)
    while start < size and len(out) < count:
        end = text.find("\n", start)
        if end < 0:
            end = size
        line = text[start:end]
        if not is_noise(line):
            out.append(line.rstrip())
        start = end + 1
    return out


def canonical_address(text: str) -> tuple[int, str] | None:
    """(family, iproute2's spelling) of an IP address, or None."""
    family = AF_INET6 if ":" in text else AF_INET
    try:
        return family, socket.inet_ntop(family, socket.inet_pton(family, text))
    except (OSError, ValueError):
        return None


class LineErrors:
    """Raise on a bad line, or (lenient) warn, count and go on."""

    def __init__(self, path: str | None, warn: Warn | None) -> None:
        self.path = path
        self.warn = warn
        self.skipped = 0

    def bad(self, number: int, line: str, why: str) -> None:
        if self.warn is None:
            raise ParseError(why, path=self.path, line_number=number, line=line.strip())
        self.skipped += 1
        where = f"{self.path or '<input>'}:{number}"
        self.warn(f"{where}: skipped: {why}: {line.strip()!r}")

    def finish(self) -> None:
        if self.warn is not None and self.skipped:
            self.warn(
                f"skipped {self.skipped} line{'s' if self.skipped != 1 else ''} that were not neighbour entries"
            )
