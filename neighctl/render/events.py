"""Watch's views of an event: one timestamped line, or one JSON object a line."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from neighctl.events import DEL, DEVICE_BACK, DEVICE_GONE, DEVICE_RENAMED, Event, LinkEvent
from neighctl.model import flag_words, state_words
from neighctl.render.cells import MAC_CHANGE_COLOR, STATE_CELL, STATE_COLORS, paint
from neighctl.render.jsonview import to_json_dict


def _clock(wall: float) -> str:
    return datetime.fromtimestamp(wall).astimezone().isoformat(timespec="milliseconds")


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def event_json(event: Event) -> dict[str, Any]:
    """The -o json object: time, event, the entry as in show -o json, previous, resync."""
    obj: dict[str, Any] = {"time": _clock(event.time), "event": event.kind}
    obj.update(to_json_dict(event.entry))
    prev = event.previous
    obj["previous"] = (
        None
        if prev is None
        else {"state": state_words(prev.state), "lladdr": prev.lladdr, "seconds": _secs(event)}
    )
    obj["resync"] = event.resync
    return obj


def _secs(event: Event) -> float | None:
    return None if event.seconds is None else round(event.seconds, 3)


def event_json_line(event: Event) -> str:
    return json.dumps(event_json(event), separators=(",", ":")) + "\n"


def event_line(event: Event, *, color: bool = False, arrow: str = "→") -> str:
    """One timestamped table line, e.g. `... change 10.0.0.2 dev veth0 REACHABLE → STALE`."""
    n, prev = event.entry, event.previous
    wall = datetime.fromtimestamp(event.time).strftime("%H:%M:%S.%f")[:-3]
    parts = [wall, event.kind.ljust(6), n.dst, "dev", n.dev or "-"]

    def st(state: int) -> str:
        word = STATE_CELL[state]
        return paint(word, STATE_COLORS.get(word.split("|", 1)[0]), color)

    if event.lladdr_changed and prev is not None:
        change = f"lladdr {prev.lladdr} {arrow} {n.lladdr}"
        parts.append(paint(change, MAC_CHANGE_COLOR, color))
    elif n.lladdr is not None:
        parts.append(f"lladdr {n.lladdr}")
    words = flag_words(n.flags)
    if words:
        parts.append(",".join(words))
    if event.kind == DEL:
        parts.append(f"{st(n.state)} {arrow} deleted")
    elif prev is not None and prev.state != n.state:
        parts.append(f"{st(prev.state)} {arrow} {st(n.state)}")
    else:
        parts.append(st(n.state))
    if prev is not None and event.seconds is not None:
        parts.append(f"({STATE_CELL[prev.state]} for {_duration(event.seconds)})")
    if event.resync:
        parts.append("[resync]")
    return " ".join(parts) + "\n"


_LINK_WORDS = {
    DEVICE_GONE: "gone",
    DEVICE_BACK: "back",
    DEVICE_RENAMED: "renamed",
}


def link_event_json(event: LinkEvent) -> dict[str, Any]:
    """The -o json object of a device event: time, event, dev, ifindex, previous_dev."""
    return {
        "time": _clock(event.time),
        "event": event.kind,
        "dev": event.dev,
        "ifindex": event.ifindex,
        "previous_dev": event.previous_dev,
    }


def link_event_line(event: LinkEvent, *, arrow: str = "→") -> str:
    """One timestamped line, e.g. `... device flannel.1 gone (ifindex 5); waiting for it`."""
    wall = datetime.fromtimestamp(event.time).strftime("%H:%M:%S.%f")[:-3]
    word = _LINK_WORDS.get(event.kind, event.kind)
    text = f"{wall} device {event.dev} {word} (ifindex {event.ifindex})"
    if event.kind == DEVICE_GONE:
        text += "; watching for it to come back"
    elif event.kind == DEVICE_RENAMED:
        text = f"{wall} device {event.previous_dev} {arrow} {event.dev} (ifindex {event.ifindex})"
    return text + "\n"


def any_event_line(event: Event | LinkEvent, *, color: bool = False, arrow: str = "→") -> str:
    if isinstance(event, LinkEvent):
        return link_event_line(event, arrow=arrow)
    return event_line(event, color=color, arrow=arrow)


def any_event_json_line(event: Event | LinkEvent) -> str:
    obj = link_event_json(event) if isinstance(event, LinkEvent) else event_json(event)
    return json.dumps(obj, separators=(",", ":")) + "\n"
