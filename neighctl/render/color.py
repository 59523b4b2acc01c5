"""The one colour policy every command follows.

`--color always` wins, then `--color never`; with `auto` (the default):
NO_COLOR (any non-empty value, no-color.org) turns colour off, FORCE_COLOR
(non-empty) turns it on, TERM=dumb turns it off, and otherwise colour
follows whether the stream is a terminal.
"""

from __future__ import annotations

import os
from typing import TextIO

CHOICES = ("auto", "always", "never")


def use_color(choice: str, stream: TextIO) -> bool:
    """Whether to colour what goes to ``stream`` under ``choice`` (auto|always|never)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
