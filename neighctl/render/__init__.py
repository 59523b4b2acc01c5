"""Every view of neighbour entries: table, iproute2 text, JSON, summary, events.

Pure functions of data to text; nothing below this package imports it.
"""

from __future__ import annotations

from collections.abc import Sequence

from neighctl.model import Neighbor
from neighctl.render.ip import ip_line, render_ip
from neighctl.render.jsonview import render_json, to_json_dict
from neighctl.render.summary import render_summary, summary_json
from neighctl.render.table import render_table

VIEWS = ("table", "json", "ip")

__all__ = [
    "VIEWS",
    "ip_line",
    "render_entries",
    "render_ip",
    "render_json",
    "render_summary",
    "render_table",
    "summary_json",
    "to_json_dict",
]


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
        return render_json(entries, stats=stats)
    if view == "ip":
        return render_ip(entries, stats=stats, omit_dev=omit_dev)
    return render_table(entries, stats=stats, color=color, width=width, ellipsis=ellipsis)
