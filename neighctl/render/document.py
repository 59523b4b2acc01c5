"""A rich console that renders into a string: the documents a person reads (doctor, ntable).

rich is imported here, inside the function, so that commands which never
print such a document do not pay for it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any


def render_to_text(
    draw: Callable[[Any], None], *, color: bool = False, width: int | None = None
) -> str:
    """Call ``draw(console)`` on a rich Console writing to a string; return the text.

    ``width`` None means the terminal's width (COLUMNS, else 80 off a terminal).
    Without colour no escape sequences are written.
    """
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    draw(console)
    text = buffer.getvalue()
    if color:
        return text
    # rich pads grid cells to the console width; without styles, drop the padding.
    return "\n".join(line.rstrip() for line in text.split("\n"))
