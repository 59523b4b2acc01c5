"""Sources of neighbour entries from text: ip neigh, ip -j, /proc/net/arp, arp -an.

``read_text(text)`` detects the format (or takes ``fmt``) and returns
Neighbor objects, the same objects the kernel reader returns; ``read_path``
does the same for a file or ``-`` (standard input).
"""

from __future__ import annotations

import sys

from neighctl.errors import ParseError, PermissionDeniedError, UsageError
from neighctl.model import Neighbor
from neighctl.parse.arp import NetToolsArp
from neighctl.parse.base import Source, Warn, first_lines
from neighctl.parse.ipjson import IpJson
from neighctl.parse.iptext import IpText
from neighctl.parse.proc import ProcNetArp

# Detection order: the unambiguous shapes first, ip text (the most lenient) last.
SOURCES: dict[str, Source] = {
    "ip-json": IpJson(),
    "proc": ProcNetArp(),
    "arp": NetToolsArp(),
    "ip": IpText(),
}
FORMATS = ("auto", *SOURCES)


def detect(text: str) -> str | None:
    """The name of the format ``text`` is in, or None if none fits."""
    lines = first_lines(text)
    if not lines:
        return None
    for name, source in SOURCES.items():
        if source.detect(lines):
            return name
    return None


def read_text(
    text: str, fmt: str = "auto", path: str | None = None, lenient: Warn | None = None
) -> list[Neighbor]:
    """The entries in ``text``. With ``lenient`` (a warning callback) bad lines are
    skipped and reported through it; without, the first one raises ParseError."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown input format {fmt!r}", "use one of " + ", ".join(FORMATS))
    if "\0" in text:
        raise ParseError("binary data, not text output of ip or arp", path=path)
    if fmt == "auto":
        if not first_lines(text):
            return []  # an empty file is an empty table
        found = detect(text)
        if found is None:
            line = first_lines(text, 1)[0]
            raise ParseError(
                "not a neighbour table in any format neighctl reads",
                path=path,
                line_number=_line_number(text, line),
                line=line.strip(),
                hint="formats: ip neigh [-s], ip -j neigh, ip monitor neigh, /proc/net/arp, arp -an/-en",
            )
        fmt = found
    elif first_lines(text) and not SOURCES[fmt].detect(first_lines(text)):
        line = first_lines(text, 1)[0]
        raise ParseError(
            f"this does not look like {fmt} output",
            path=path,
            line_number=_line_number(text, line),
            line=line.strip(),
            hint=f"it looks like {detect(text) or 'no format neighctl reads'}; try --input-format auto",
        )
    return SOURCES[fmt].parse(text, path, lenient)


def _line_number(text: str, line: str) -> int | None:
    for number, candidate in enumerate(text.splitlines(), start=1):
        if candidate.rstrip() == line:
            return number
    return None


def read_path(path: str, fmt: str = "auto", lenient: Warn | None = None) -> list[Neighbor]:
    """Entries from a file, or from standard input for ``-``."""
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a saved `ip neigh` output") from None
    except PermissionError:
        raise PermissionDeniedError(
            f"{path}: permission denied", "run with sudo or copy the file"
        ) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    if b"\0" in data:
        raise ParseError("binary data, not text output of ip or arp", path=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError("not UTF-8 text", path=name, line_number=line) from None
    return read_text(text, fmt, name, lenient)
