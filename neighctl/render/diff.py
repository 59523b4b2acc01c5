"""Views of a table difference (`neighctl diff`): an aligned table and JSON.

Takes the three lists of neighctl.diff.Diff (added, removed, and changes as
(before, after, fields) triples) rather than the Diff itself: views depend on
data, not on the module that computes it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from neighctl.model import Neighbor, flag_words, state_words
from neighctl.render.cells import HEADER_COLOR, MAC_CHANGE_COLOR, STATE_CELL, STATE_COLORS, paint
from neighctl.render.jsonview import to_json_dict

Changed = Sequence[tuple[Neighbor, Neighbor, Sequence[str]]]
HEADER = ("", "ADDRESS", "DEVICE", "LLADDR", "STATE", "FLAGS")
_MARK = {"added": "+", "removed": "-", "changed": "~"}
_MARK_COLOR = {"added": "32", "removed": "31", "changed": "33"}


def _flags(n: Neighbor) -> str:
    words = flag_words(n.flags)
    if n.is_proxy and "proxy" not in words:
        words.append("proxy")
    return ",".join(words) or "-"


def _cells(n: Neighbor) -> tuple[str, str, str]:
    return n.lladdr or "-", STATE_CELL[int(n.state)], _flags(n)


def render_diff_table(
    added: Sequence[Neighbor],
    removed: Sequence[Neighbor],
    changed: Changed,
    *,
    color: bool = False,
) -> str:
    """One row per added (+) or removed (-) entry; a changed (~) entry shows `old → new` in
    each field that changed. Ends with a count line; "no differences" when there are none."""
    rows: list[tuple[str, list[str], list[str | None]]] = []
    for kind, entries in (("removed", removed), ("added", added)):
        for n in entries:
            ll, state, flags = _cells(n)
            rows.append(
                (
                    kind,
                    [n.dst, n.dev or "-", ll, state, flags],
                    [None, None, None, STATE_COLORS.get(state.split("|")[0]), None],
                )
            )
    for before, after, fields in changed:
        old, new = _cells(before), _cells(after)
        cells = [after.dst, after.dev or "-"]
        colors: list[str | None] = [None, None]
        for i, name in enumerate(("lladdr", "state", "flags")):
            if name in fields:
                cells.append(f"{old[i]} → {new[i]}")
                colors.append(MAC_CHANGE_COLOR)
            else:
                cells.append(new[i])
                colors.append(None)
        rows.append(("changed", cells, colors))
    if not rows:
        return "no differences\n"
    order = {"removed": 0, "changed": 1, "added": 2}
    rows.sort(key=lambda r: (r[1][1], order[r[0]], r[1][0]))
    widths = [max(len(h), *(len(r[1][i]) for r in rows)) for i, h in enumerate(HEADER[1:])]
    lines = [
        paint(
            "  ".join(
                ["  ", *(h.ljust(w) for h, w in zip(HEADER[1:], widths, strict=True))]
            ).rstrip(),
            HEADER_COLOR,
            color,
        )
    ]
    for kind, cells, colors in rows:
        parts = [paint(_MARK[kind] + " ", _MARK_COLOR[kind], color)]
        for cell, width, code in zip(cells, widths, colors, strict=True):
            parts.append(paint(cell.ljust(width), code, color))
        lines.append("  ".join(parts).rstrip())
    lines.append(f"{len(added)} added, {len(removed)} removed, {len(changed)} changed")
    return "\n".join(lines) + "\n"


def _entry(n: Neighbor) -> dict[str, Any]:
    obj = to_json_dict(n)
    obj.pop("ifindex", None)
    return obj


def diff_json_dict(
    added: Sequence[Neighbor], removed: Sequence[Neighbor], changed: Changed
) -> dict[str, Any]:
    """``{"added": [...], "removed": [...], "changed": [{"dst", "dev", "proxy", "fields",
    "before", "after"}], "summary": {...}}``; entries in `ip -j neigh`'s keys."""
    return {
        "added": [_entry(n) for n in added],
        "removed": [_entry(n) for n in removed],
        "changed": [
            {
                "dst": after.dst,
                "dev": after.dev,
                "proxy": after.is_proxy,
                "fields": list(fields),
                "before": {
                    "lladdr": before.lladdr,
                    "state": state_words(before.state),
                    "flags": flag_words(before.flags),
                },
                "after": {
                    "lladdr": after.lladdr,
                    "state": state_words(after.state),
                    "flags": flag_words(after.flags),
                },
            }
            for before, after, fields in changed
        ],
        "summary": {"added": len(added), "removed": len(removed), "changed": len(changed)},
    }


def render_diff_json(
    added: Sequence[Neighbor], removed: Sequence[Neighbor], changed: Changed
) -> str:
    return json.dumps(diff_json_dict(added, removed, changed)) + "\n"
