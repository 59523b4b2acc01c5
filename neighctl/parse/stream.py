"""A file or standard input as decoded text, read block by block.

Memory holds one block plus what the reader has not consumed yet, never the
whole input: a 200 MB capture is read in 1 MiB blocks. Binary data (a NUL
byte) is an error as soon as the block holding it is read, so `--from
/dev/zero` fails at once instead of reading forever. UTF-8 is the encoding;
a UTF-16 byte-order mark (PowerShell's `>` writes UTF-16) switches to UTF-16,
and a UTF-8 byte-order mark is dropped.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import BinaryIO

from neighctl.errors import ParseError

BLOCK = 1 << 20

Progress = Callable[[int], None]


class TextStream:
    """Decoded text with a cursor: ``buf[pos:]`` is not consumed yet.

    ``line`` is the 1-based number of the line ``pos`` is on; ``eof`` is True
    once the source is exhausted. ``progress`` is called with the number of
    bytes read so far after each block.
    """

    def __init__(
        self,
        source: BinaryIO,
        name: str | None = None,
        *,
        progress: Progress | None = None,
        block: int = BLOCK,
        lenient: Callable[[str], None] | None = None,
    ) -> None:
        self.source = source
        self.name = name
        self.progress = progress
        self.block = block
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.bytes_read = 0
        self._decoder: codecs.IncrementalDecoder | None = None
        self._wide = False
        self._encoding = "utf-8"
        # With --lenient, bytes that are not UTF-8 become U+FFFD (one warning).
        self.lenient = lenient

    # -- reading ---------------------------------------------------------------

    def fill(self) -> bool:
        """Append the next block to the buffer (dropping what was consumed); False at EOF."""
        if self.eof:
            return False
        data = self.source.read(self.block)
        if self._decoder is None:
            self._decoder = self._pick_decoder(data)
        final = not data
        if data:
            self.bytes_read += len(data)
            if not self._wide and b"\0" in data:
                at = data.index(b"\0")
                raise ParseError(
                    "binary data, not the text output of a command",
                    path=self.name,
                    line_number=self._line_of_byte(data, at),
                    hint="--from reads text that ip, arp, bridge or sysctl printed",
                )
        state = self._decoder.getstate()
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            where = self._line_of_byte(data, exc.start)
            if self.lenient is None:
                raise ParseError(
                    "not UTF-8 text",
                    path=self.name,
                    line_number=where,
                    hint="--lenient reads it with U+FFFD for the bytes that are not",
                ) from None
            self.lenient(
                f"{self.name or '<input>'}:{where}: not UTF-8 text: "
                "read with U+FFFD for the bytes that are not"
            )
            self._decoder = codecs.getincrementaldecoder(self._encoding)(errors="replace")
            self._decoder.setstate(state)
            text = self._decoder.decode(data, final)
        if self.bytes_read == len(data) and text.startswith("\ufeff"):
            text = text[1:]
        if self.pos:
            self.buf = self.buf[self.pos :] + text
            self.pos = 0
        else:
            self.buf += text
        if final:
            self.eof = True
        if self.progress is not None:
            self.progress(self.bytes_read)
        return not final

    def _pick_decoder(self, data: bytes) -> codecs.IncrementalDecoder:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self._wide = True
            self._encoding = "utf-16"
        return codecs.getincrementaldecoder(self._encoding)()

    def _line_of_byte(self, data: bytes, offset: int) -> int:
        """The line number of byte ``offset`` of the block just read."""
        return self.line + self.buf.count("\n", self.pos) + data.count(b"\n", 0, offset)

    # -- cursor ----------------------------------------------------------------

    def next_lines(self) -> tuple[str, bool] | None:
        """(whole lines from the cursor, whether the text is unfinished); None at the end.

        About one block of whole lines ending in a newline, or the tail at EOF.
        "Unfinished" is a block's worth of text without any newline: no table
        row is that long, so it is a one-line JSON document or not text at all.
        """
        while not self.eof and len(self.buf) - self.pos < self.block:
            self.fill()
        if self.pos >= len(self.buf):
            return None
        cut = self.buf.rfind("\n", self.pos)
        if cut < 0:
            text = self.buf[self.pos :]
            if self.eof:
                self.advance(len(text))
                return text, False
            return text, True
        text = self.buf[self.pos : cut + 1]
        self.advance(len(text))
        return text, False

    def advance(self, count: int) -> None:
        self.line += self.buf.count("\n", self.pos, self.pos + count)
        self.pos += count

    def rewind(self, count: int) -> None:
        """Un-consume the last ``count`` characters (the caller read too far)."""
        self.pos -= count
        self.line -= self.buf.count("\n", self.pos, self.pos + count)

    def ensure(self, count: int = 1) -> bool:
        """At least ``count`` unconsumed characters, reading more as needed; False at EOF short."""
        while len(self.buf) - self.pos < count:
            if not self.fill():
                return len(self.buf) - self.pos >= count
        return True

    def skip_space(self) -> bool:
        """Move past whitespace; False if the text ends first."""
        while True:
            buf, pos, size = self.buf, self.pos, len(self.buf)
            while pos < size and buf[pos] in " \t\r\n":
                pos += 1
            self.advance(pos - self.pos)
            if pos < size:
                return True
            if not self.fill():
                return False


def read_all(source: BinaryIO, name: str | None = None) -> str:
    """The whole text (small inputs only: sysctl dumps, link lists), with the same checks."""
    stream = TextStream(source, name)
    while stream.fill():
        pass
    return stream.buf[stream.pos :]
