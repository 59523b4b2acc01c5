"""Cells shared by every view: state and flag words per value, colours, protocol names.

Per-value strings are indexed by the int value of a state (0..255) or flags
(0..511): the hot loops must not do IntFlag arithmetic per entry.
"""

from __future__ import annotations

from collections.abc import Callable

from neighctl.model import FLAG_BITS, FLAG_VALUES, PROTOCOL_NAMES, flag_words, state_words

# ANSI SGR colours by what a state means for traffic.
STATE_COLORS: dict[str, str] = {
    "REACHABLE": "32",  # green: confirmed working
    "STALE": "33",  # yellow: usable, unconfirmed
    "DELAY": "36",  # cyan: being re-checked
    "PROBE": "36",
    "INCOMPLETE": "35",  # magenta: resolving, traffic queued
    "FAILED": "1;31",  # bold red: traffic is being dropped
    "PERMANENT": "34",  # blue: static
    "NOARP": "2",  # dim: no resolution needed
    "NONE": "2",
}
MAC_CHANGE_COLOR = "1;33"
# Views cache the text of each distinct triple of ages; at most this many
# (a long-lived table can have a triple per entry).
AGE_CACHE = 4096
HEADER_COLOR = "1"


def paint(text: str, code: str | None, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def protocol_name(protocol: int) -> str:
    return PROTOCOL_NAMES.get(protocol, str(protocol))


def _state_text(value: int) -> str:
    return "".join(f"{name} " for name in state_words(value))


def _flag_text(value: int) -> str:
    return "".join(f"{word} " for word in flag_words(value))


# Per-value strings, indexed by the int value of a state (0..255) or flags
# (0..FLAG_VALUES-1): the hot loops below must not do IntFlag arithmetic per entry.
_KNOWN_FLAGS = 0
for _bit, _ in FLAG_BITS:
    _KNOWN_FLAGS |= _bit
# Each flags value's printable bits, worked out once for every table below (the
# tables are built at import, on every start of `show`).
_PRINTABLE = tuple(map(_KNOWN_FLAGS.__and__, range(FLAG_VALUES)))


def by_flags(make: Callable[[int], str]) -> tuple[str, ...]:
    """A table over every flags value, computed once per printable combination."""
    distinct = {k: make(k) for k in set(_PRINTABLE)}
    return tuple(map(distinct.__getitem__, _PRINTABLE))


STATE_TEXT: tuple[str, ...] = tuple(_state_text(v) for v in range(256))
FLAG_TEXT: tuple[str, ...] = by_flags(_flag_text)


STATE_CELL: tuple[str, ...] = tuple("|".join(state_words(v)) or "NONE" for v in range(256))
FLAG_CELL: tuple[str, ...] = by_flags(lambda v: ",".join(flag_words(v)))


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: 2 for wide (CJK) characters, 0 for combining
    marks and format characters, 1 otherwise (the rule of rich.cells.cell_len)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    import unicodedata

    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def printable_name(name: str) -> str:
    """A device name safe to put on a terminal: control characters and bytes that are
    not UTF-8 (surrogate escapes) as ``\\xNN``; ordinary names unchanged."""
    if name.isprintable() and (name.isascii() or not any(0xDC80 <= ord(c) <= 0xDCFF for c in name)):
        return name
    out = []
    for c in name:
        code = ord(c)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif c.isprintable() and c != "\\":
            out.append(c)
        else:
            out.append(c.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns."""
    return text + " " * (width - cell_width(text))
