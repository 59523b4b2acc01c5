"""Saved outputs -> the same objects the kernel reader returns.

Neighbour tables from whatever a colleague pastes (`ip neigh` of any
iproute2, `ip -j`, `ip -br`, `ip monitor` in all its variants, /proc/net/arp,
Linux, BSD, macOS and Windows `arp`, `ndp -an`), each line's format decided by
evidence (parse/reader.py); a sosreport or any directory of command outputs
as a whole Snapshot (parse/sosreport.py: links, addresses, routes, FDB,
sysctls too).

``iter_path`` streams a file's entries with memory bounded by what the caller
keeps; ``read_path``/``read_text`` return lists; ``read_snapshot`` reads a
directory or file into a neighctl.snapshot.Snapshot.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from neighctl.errors import PermissionDeniedError, UsageError
from neighctl.model import Neighbor
from neighctl.parse.base import Record, Warn
from neighctl.parse.reader import FORMATS, ROW_FORMATS, Note, Reader
from neighctl.parse.stream import Progress, TextStream

if TYPE_CHECKING:
    from neighctl.snapshot import Snapshot

__all__ = [
    "FORMATS",
    "ROW_FORMATS",
    "detect",
    "iter_path",
    "iter_text",
    "read_path",
    "read_snapshot",
    "read_text",
]


def iter_text(
    text: str,
    fmt: str = "auto",
    path: str | None = None,
    lenient: Warn | None = None,
    note: Note | None = None,
) -> Iterator[Neighbor]:
    """The entries in ``text``, as they are read."""
    stream = TextStream(io.BytesIO(text.encode("utf-8", "surrogatepass")), path, lenient=lenient)
    for batch in Reader(fmt, path, lenient, note).batches(stream):
        yield from batch


def read_text(
    text: str,
    fmt: str = "auto",
    path: str | None = None,
    lenient: Warn | None = None,
    note: Note | None = None,
) -> list[Neighbor]:
    """The entries in ``text``. With ``lenient`` (a warning callback) bad lines are
    skipped and reported through it; without, the first one raises ParseError.
    ``note`` receives one message counting the non-table lines that were skipped."""
    return list(iter_text(text, fmt, path, lenient, note))


def read_records(text: str, fmt: str = "auto", path: str | None = None) -> list[Record]:
    """Every row as (event, entry), without replaying `ip monitor` events into a table."""
    stream = TextStream(io.BytesIO(text.encode("utf-8", "surrogatepass")), path)
    return Reader(fmt, path, events=True).records(stream)


def detect(text: str) -> str | None:
    """The format of the first row in ``text`` (a name from FORMATS), or None if it has none."""
    reader = Reader("auto", lenient=lambda _message: None)
    stream = TextStream(io.BytesIO(text.encode("utf-8", "surrogatepass")))
    try:
        for _batch in reader.batches(stream):
            if reader.part_format is not None:
                break
    except UsageError:
        return None
    return reader.part_format


def _open(path: str) -> tuple[BinaryIO, str]:
    if path == "-":
        return sys.stdin.buffer, "<stdin>"
    try:
        return open(path, "rb"), path
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except PermissionError:
        raise PermissionDeniedError(
            f"{path}: permission denied", "run with sudo or copy the file"
        ) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None


def iter_path(
    path: str,
    fmt: str = "auto",
    lenient: Warn | None = None,
    note: Note | None = None,
    progress: Progress | None = None,
) -> Iterator[Neighbor]:
    """Entries from a file, standard input (``-``) or a directory of command outputs.

    Read in blocks: memory holds a block and the entries the caller keeps.
    ``progress`` is called with the number of bytes read after each block.
    """
    if path != "-" and os.path.isdir(path):
        from neighctl.parse.sosreport import directory_neighbors

        yield from directory_neighbors(path, fmt, lenient, note)
        return
    reader = Reader(fmt, path if path != "-" else "<stdin>", lenient, note)
    source, name = _open(path)
    try:
        stream = TextStream(source, name, progress=progress, lenient=lenient)
        try:
            for batch in reader.batches(stream):
                yield from batch
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    finally:
        if source is not sys.stdin.buffer:
            source.close()


def read_path(
    path: str,
    fmt: str = "auto",
    lenient: Warn | None = None,
    note: Note | None = None,
) -> list[Neighbor]:
    """Entries from a file, standard input (``-``) or a directory, as a list."""
    return list(iter_path(path, fmt, lenient, note))


def read_snapshot(path: str, *, lenient: Warn | None = None) -> Snapshot:
    """A sosreport, a directory of command outputs, or one file, as a Snapshot."""
    from neighctl.parse.sosreport import read_snapshot as read

    return read(path, lenient=lenient)
