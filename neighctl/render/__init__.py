"""Every view of neighbour entries: table, iproute2 text, JSON, summary, events.

Pure functions of data to text; nothing below this package imports it. The
views load on first use (PEP 562): a command that needs one submodule (the
colour policy, the ip line) does not pay for the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from neighctl.model import Neighbor

VIEWS = ("table", "json", "ip")

_EXPORTS: dict[str, str] = {
    "ip_line": "neighctl.render.ip",
    "render_ip": "neighctl.render.ip",
    "render_json": "neighctl.render.jsonview",
    "to_json_dict": "neighctl.render.jsonview",
    "render_summary": "neighctl.render.summary",
    "summary_json": "neighctl.render.summary",
    "render_table": "neighctl.render.table",
}

__all__ = [
    "VIEWS",
    "ip_line",
    "iter_entries",
    "render_entries",
    "render_ip",
    "render_json",
    "render_summary",
    "render_table",
    "summary_json",
    "to_json_dict",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'neighctl.render' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from neighctl.render.ip import ip_line, render_ip
    from neighctl.render.jsonview import render_json, to_json_dict
    from neighctl.render.summary import render_summary, summary_json
    from neighctl.render.table import render_table


def render_entries(
    entries: Sequence[Neighbor],
    view: str = "table",
    *,
    stats: bool = False,
    color: bool = False,
    omit_dev: bool = False,
    width: int | None = None,
    ellipsis: str = "…",
) -> str:
    """Entries as one of VIEWS: ``table``, ``json`` (as `ip -j`) or ``ip`` (as `ip neigh`).

    ``width`` (the terminal's columns, or None) and ``ellipsis`` shape the table only.
    """
    if view == "json":
        from neighctl.render.jsonview import render_json

        return render_json(entries, stats=stats)
    if view == "ip":
        from neighctl.render.ip import render_ip

        return render_ip(entries, stats=stats, omit_dev=omit_dev)
    from neighctl.render.table import render_table

    return render_table(entries, stats=stats, color=color, width=width, ellipsis=ellipsis)


CHUNK = 2048  # entries per piece of streamed output


def iter_entries(
    entries: Iterable[Neighbor],
    view: str = "json",
    *,
    stats: bool = False,
    omit_dev: bool = False,
) -> Iterator[str]:
    """The ``json`` or ``ip`` view in pieces, as entries arrive (memory stays flat).

    The pieces joined equal render_entries(list(entries), view, ...); the
    table view needs every row for its widths and is not streamed.
    """
    it = iter(entries)
    if view == "ip":
        from neighctl.render.ip import ip_line

        while batch := list(islice(it, CHUNK)):
            yield "".join(ip_line(n, stats=stats, omit_dev=omit_dev) + "\n" for n in batch)
        return
    if view != "json":
        raise ValueError(f"{view!r} cannot be streamed")
    from neighctl.render.jsonview import json_object

    first = True
    dev_json: dict[str, str] = {}
    # The "[" goes out with the first batch: a capture refused while the first
    # batch is read leaves nothing on standard output, not half a document.
    while batch := list(islice(it, CHUNK)):
        body = ",".join(json_object(n, stats, dev_json) for n in batch)
        yield ("[" if first else ",") + body
        first = False
    yield "[]\n" if first else "]\n"
