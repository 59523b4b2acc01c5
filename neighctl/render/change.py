"""JSON views of changes: what add, del and flush did, or would do (--dry-run)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from neighctl.model import Neighbor
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
