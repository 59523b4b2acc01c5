"""Every view of neighbour entries: table, iproute2 text, JSON, summary, events.

Pure functions of data to text; nothing below this package imports it.

Each view of entries is one class fed batches of rows (model.Row) — ``rows()``
returns the text it can print now, ``close()`` the rest — so `show` renders
a dump as it arrives; the ``render_*`` functions run the same view over a
list of Neighbor objects. The views load on first use (PEP 562): a command
that needs one submodule (the colour policy, the ip line, the one view it
prints) does not pay for the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol

from neighctl.model import Neighbor, Row, as_row

if TYPE_CHECKING:
    from neighctl.render.ip import IpView, ip_line, ip_lines, render_ip
    from neighctl.render.jsonview import JsonView, render_json, to_json_dict
    from neighctl.render.summary import SummaryView, render_summary, summary_json
    from neighctl.render.table import TableView, render_table

VIEWS = ("table", "json", "ip")

_EXPORTS: dict[str, str] = {
    "IpView": "ip",
    "ip_line": "ip",
    "ip_lines": "ip",
    "render_ip": "ip",
    "JsonView": "jsonview",
    "render_json": "jsonview",
    "to_json_dict": "jsonview",
    "SummaryView": "summary",
    "render_summary": "summary",
    "summary_json": "summary",
    "TableView": "table",
    "render_table": "table",
}

__all__ = [
    "VIEWS",
    "EntryView",
    "IpView",
    "JsonView",
    "SummaryView",
    "TableView",
    "entry_view",
    "ip_line",
    "ip_lines",
    "iter_entries",
    "render_entries",
    "render_ip",
    "render_json",
    "render_summary",
    "render_table",
    "row_batches",
    "summary_json",
    "to_json_dict",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


class EntryView(Protocol):
    """A view of entries fed batches of rows, in the order they are to be printed."""

    def rows(self, rows: Sequence[Row]) -> str:
        """Take a batch; return the text that can be printed now (may be "")."""
        ...

    def close(self) -> Iterator[str]:
        """The rest of the text, in pieces to print one after another."""
        ...


def entry_view(
    view: str = "table",
    *,
    stats: bool = False,
    color: bool = False,
    omit_dev: bool = False,
    summary: bool = False,
    width: int | None = None,
    ellipsis: str = "…",
) -> EntryView:
    """A view of VIEWS — ``table``, ``json`` (as `ip -j`), ``ip`` (as `ip neigh`) —
    or, with ``summary``, the counts per device and state (a table, or JSON with
    ``view="json"``). ``width`` (the terminal's columns, or None) and ``ellipsis``
    shape the tables only."""
    if summary:
        from neighctl.render.summary import SummaryView

        return SummaryView(color=color, width=width, json=view == "json")
    if view == "json":
        from neighctl.render.jsonview import JsonView

        return JsonView(stats=stats)
    if view == "ip":
        from neighctl.render.ip import IpView

        return IpView(stats=stats, omit_dev=omit_dev)
    from neighctl.render.table import TableView

    return TableView(stats=stats, color=color, width=width, ellipsis=ellipsis)


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
    out = entry_view(
        view, stats=stats, color=color, omit_dev=omit_dev, width=width, ellipsis=ellipsis
    )
    return out.rows([as_row(n) for n in entries]) + "".join(out.close())


CHUNK = 2048  # entries per batch when a list or a stream of Neighbors is rendered


def row_batches(entries: Iterable[Neighbor], size: int = CHUNK) -> Iterator[list[Row]]:
    """Entries as batches of rows, taken from ``entries`` as they arrive (a saved
    output is parsed as it is read; holding it whole is not needed)."""
    it = iter(entries)
    while batch := [as_row(n) for n in islice(it, size)]:
        yield batch


def iter_entries(
    entries: Iterable[Neighbor],
    view: str = "json",
    *,
    stats: bool = False,
    omit_dev: bool = False,
) -> Iterator[str]:
    """The ``json`` or ``ip`` view in pieces, as entries arrive (memory stays flat).

    The pieces joined equal render_entries(list(entries), view, ...); the
    table view needs every row for its widths and comes out only at the end
    (entry_view gives it batch by batch).
    """
    if view not in ("json", "ip"):
        raise ValueError(f"{view!r} cannot be streamed")
    out = entry_view(view, stats=stats, omit_dev=omit_dev)
    for rows in row_batches(entries):
        text = out.rows(rows)
        if text:
            yield text
    yield from out.close()
