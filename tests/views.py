"""The views of entries as `show` streams them, for tests on both sides of the kernel line."""

from __future__ import annotations

import typing

from neighctl.model import Neighbor, Row
from neighctl.render import EntryView, render_ip, render_json, render_summary, render_table

# Every view `show` can stream, as entry_view() keyword arguments.
VIEW_OPTIONS: list[dict[str, typing.Any]] = [
    {"view": view, "stats": stats, "color": color, "omit_dev": omit_dev}
    for view in ("table", "json", "ip")
    for stats in (False, True)
    for color in (False, True)
    for omit_dev in (False, True)
] + [{"summary": True, "color": color} for color in (False, True)]


def whole(entries: list[Neighbor], options: dict[str, typing.Any]) -> str:
    """The view over the whole list, by the Neighbor-list functions."""
    if options.get("summary"):
        return render_summary(entries, color=options["color"])
    view = options["view"]
    if view == "json":
        return render_json(entries, stats=options["stats"])
    if view == "ip":
        return render_ip(entries, stats=options["stats"], omit_dev=options["omit_dev"])
    return render_table(entries, stats=options["stats"], color=options["color"])


def streamed(view: EntryView, batches: list[list[Row]]) -> str:
    text = "".join(view.rows(rows) for rows in batches)
    return text + "".join(view.close())
