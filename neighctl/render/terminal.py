"""What an output stream can take: its width and its encoding (colour: color.py).

Documents a person reads (explain, doctor, ntable) wrap to the terminal's
width; files and pipes get 80 columns, so that saved output does not depend
on the window it was made in. ``COLUMNS`` overrides both, as for most tools.
"""

from __future__ import annotations

import os
from typing import TextIO

from neighctl.errors import UsageError

PIPE_COLUMNS = 80
MAX_COLUMNS = 120  # wider prose is hard to read; COLUMNS may still ask for more
MIN_COLUMNS = 40

# Stand-ins for the non-ASCII punctuation our texts use, for an ASCII-only stream.
ASCII_FALLBACK = str.maketrans(
    {
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2192": "->",
        "\u2190": "<-",
        "\u00d7": "x",
        "\u2265": ">=",
        "\u2264": "<=",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def columns(stream: TextIO) -> int:
    """The columns to lay a document out in for ``stream``."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return max(int(env), MIN_COLUMNS)
    try:
        if stream.isatty():
            size = os.get_terminal_size(stream.fileno()).columns
            if size > 0:  # 0: a pseudo-terminal nobody gave a size (script, docker exec -t)
                return min(max(size, MIN_COLUMNS), MAX_COLUMNS)
    except (AttributeError, ValueError, OSError):  # not a real file, or closed
        pass
    return PIPE_COLUMNS


def layout_width(stream: TextIO) -> int:
    """The text width for ``stream``: one column spare, as terminals wrap at the last one."""
    return columns(stream) - 1


def encodable(text: str, encoding: str | None) -> bool:
    if not encoding:
        return True
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


GENERIC_HINT = "use a UTF-8 locale (e.g. LANG=C.UTF-8) or PYTHONIOENCODING=utf-8"


def fit_encoding(text: str, encoding: str | None, hint: str = GENERIC_HINT) -> str:
    """``text`` as the stream's encoding can carry it: ASCII arrows, dashes and
    quotes when it cannot take the typographic ones.

    Raises UsageError when letters remain that it cannot carry (Chinese text on
    an ASCII stream): the words would be lost, not just their typography.
    """
    if encodable(text, encoding):
        return text
    plain = text.translate(ASCII_FALLBACK)
    if encodable(plain, encoding):
        return plain
    raise UsageError(f"the output encoding ({encoding}) cannot show this text", hint)
