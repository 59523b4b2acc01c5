"""JSON views of changes: what add, del and flush did, or would do (--dry-run)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from neighctl.model import Neighbor, flag_words, state_words
from neighctl.render.jsonview import to_json_dict


def change_json(
    action: str,
    *,
    dry_run: bool,
    commands: Sequence[str],
    before: Sequence[Neighbor],
    after: Sequence[Neighbor],
) -> str:
    """One JSON object, one line: the entries before and after, and the `ip` commands.

    ``action`` is add, replace, del or flush. In a dry run ``after`` holds the
    entries as they would be (as requested; the kernel may add details such
    as ``ifindex``), and nothing was changed.
    """
    doc: dict[str, Any] = {
        "action": action,
        "dry_run": dry_run,
        "commands": list(commands),
        "before": [to_json_dict(n) for n in before],
        "after": [to_json_dict(n) for n in after],
    }
    return json.dumps(doc, separators=(",", ":")) + "\n"


def flush_json(
    *,
    deleted: Sequence[Neighbor],
    left: Sequence[tuple[Neighbor, str]],
    failed: Sequence[tuple[Neighbor, str, int]],
    not_tried: Sequence[Neighbor] = (),
    interrupted: bool = False,
) -> str:
    """What a flush did: deleted entries, entries left (with why), failures, the rest."""
    doc: dict[str, Any] = {
        "action": "flush",
        "dry_run": False,
        "deleted": [to_json_dict(n) for n in deleted],
        "left": [{"entry": to_json_dict(n), "reason": why} for n, why in left],
        "failed": [
            {"entry": to_json_dict(n), "error": error, "exit_code": code}
            for n, error, code in failed
        ],
        "not_tried": [to_json_dict(n) for n in not_tried],
        "interrupted": interrupted,
    }
    return json.dumps(doc, separators=(",", ":")) + "\n"


def describe_change(before: Neighbor, after: Neighbor, arrow: str = "→") -> str:
    """What differs between two versions of an entry, as ``before → after`` phrases.

    ``lladdr 02:00:00:00:00:05 → 02:00:00:00:00:06, STALE → PERMANENT, kept router``;
    "no change" when nothing the user can see differs.
    """
    if (before.lladdr, int(before.state), int(before.flags)) == (
        after.lladdr,
        int(after.state),
        int(after.flags),
    ):
        return "no change"
    parts = []
    if before.lladdr != after.lladdr:
        parts.append(f"lladdr {before.lladdr or 'none'} {arrow} {after.lladdr or 'none'}")
    if int(before.state) != int(after.state):
        old = "|".join(state_words(before.state)) or "NONE"
        new = "|".join(state_words(after.state)) or "NONE"
        parts.append(f"{old} {arrow} {new}")
    old_flags, new_flags = set(flag_words(before.flags)), set(flag_words(after.flags))
    for word in flag_words(before.flags | after.flags):
        if word in old_flags and word in new_flags and word != "proxy":
            parts.append(f"kept {word}")
        elif word in old_flags - new_flags:
            parts.append(f"dropped {word}")
        elif word in new_flags - old_flags:
            parts.append(f"added {word}")
    return ", ".join(parts) or "no change"
