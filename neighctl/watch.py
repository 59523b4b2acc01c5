"""Neighbour events as transitions: a table of what we last saw, and the diffs.

Pure: no netlink. The kernel tells us an entry's new state; this module
remembers the old one, so an event reads `REACHABLE → STALE` or
`lladdr A → B`, with the time the entry spent in the state it left.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from neighctl.filters import NeighFilter
from neighctl.model import Neighbor, flag_words, state_words
from neighctl.render import MAC_CHANGE_COLOR, STATE_CELL, STATE_COLORS, paint, to_json_dict

NEW = "new"
CHANGE = "change"
DEL = "del"
MISS = "miss"

# What a kernel notification says happened, before we compare with the table.
NOTIFY_NEW = "new"  # RTM_NEWNEIGH: created or changed
NOTIFY_DEL = "del"  # RTM_DELNEIGH
NOTIFY_MISS = "miss"  # RTM_GETNEIGH: the kernel asks user space to resolve (app_solicit)

Key = tuple[int, int, str, bool]


def key_of(n: Neighbor) -> Key:
    """What identifies an entry: family, device index, address, proxy table."""
    return (n.family, n.ifindex or 0, n.dst, n.is_proxy)


def _same(a: Neighbor, b: Neighbor) -> bool:
    return a.state == b.state and a.lladdr == b.lladdr and a.flags == b.flags


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened to one entry.

    ``previous`` is the entry as it was before (None if we never saw it);
    ``seconds`` is how long it had been in that state (None if unknown);
    ``resync`` marks an event inferred by re-reading the table after the
    kernel dropped notifications.
    """

    kind: str
    entry: Neighbor
    time: float  # wall clock, seconds since the epoch
    previous: Neighbor | None = None
    seconds: float | None = None
    resync: bool = False

    @property
    def state_changed(self) -> bool:
        return self.previous is not None and self.previous.state != self.entry.state

    @property
    def lladdr_changed(self) -> bool:
        """A MAC change between two known addresses (a failover, or spoofing)."""
        p = self.previous
        return (
            p is not None
            and p.lladdr is not None
            and self.entry.lladdr is not None
            and p.lladdr != self.entry.lladdr
        )


class Tracker:
    """The entries we know, with the monotonic time each entered its state (None: unknown)."""

    def __init__(self, entries: Iterable[Neighbor] = (), now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self.entries: dict[Key, Neighbor] = {}
        self.since: dict[Key, float | None] = {}
        for n in entries:
            self._put(key_of(n), n, _entered(n, now))

    def _put(self, key: Key, n: Neighbor, since: float | None) -> None:
        self.entries[key] = n
        self.since[key] = since

    def table(self) -> list[Neighbor]:
        return list(self.entries.values())

    def apply(
        self, notify: str, n: Neighbor, *, now: float | None = None, wall: float | None = None
    ) -> Event | None:
        """Fold one kernel notification into the table; the event, or None if nothing changed."""
        now = time.monotonic() if now is None else now
        wall = time.time() if wall is None else wall
        key = key_of(n)
        old = self.entries.get(key)
        seconds = self._held(key, now) if old is not None else None
        if notify == NOTIFY_DEL:
            if old is not None:
                del self.entries[key]
                del self.since[key]
            return Event(DEL, n, wall, old, seconds)
        if old is not None and _same(old, n):
            if notify == NOTIFY_MISS:
                return Event(MISS, n, wall, old, seconds)
            # A notification we already saw in the initial read, or a refresh.
            self.entries[key] = n
            return None
        # The clock restarts when the state changes, not when only the address does.
        self._put(key, n, now if old is None or old.state != n.state else self.since[key])
        if notify == NOTIFY_MISS:
            return Event(MISS, n, wall, old, seconds)
        return Event(NEW if old is None else CHANGE, n, wall, old, seconds)

    def resync(
        self, entries: Iterable[Neighbor], *, now: float | None = None, wall: float | None = None
    ) -> list[Event]:
        """Replace the table with a fresh read; the differences, as resync events."""
        now = time.monotonic() if now is None else now
        wall = time.time() if wall is None else wall
        events: list[Event] = []
        fresh: dict[Key, Neighbor] = {key_of(n): n for n in entries}
        for key, gone in list(self.entries.items()):
            if key not in fresh:
                events.append(Event(DEL, gone, wall, gone, self._held(key, now), resync=True))
                del self.entries[key]
                del self.since[key]
        for key, n in fresh.items():
            old = self.entries.get(key)
            if old is None:
                events.append(Event(NEW, n, wall, None, None, resync=True))
                self._put(key, n, _entered(n, now))
            elif not _same(old, n):
                events.append(Event(CHANGE, n, wall, old, self._held(key, now), resync=True))
                since = _entered(n, now) if old.state != n.state else self.since[key]
                self._put(key, n, since)
            else:
                self.entries[key] = n
        return events

    def _held(self, key: Key, now: float) -> float | None:
        since = self.since.get(key)
        return None if since is None else max(0.0, now - since)


def _entered(n: Neighbor, now: float) -> float | None:
    # The kernel's `updated` age is reset when the state or the address changes.
    return None if n.updated is None else now - n.updated


class EventFilter:
    """A show filter applied to events: it passes if the entry matched before or after.

    So `--state reachable` also shows an entry leaving REACHABLE. watch has
    no --proxy: proxy entries pass the same filter as the others.
    """

    def __init__(self, filt: NeighFilter) -> None:
        self.plain = replace(filt, proxy=False)
        self.proxy = replace(filt, proxy=True)

    def matches(self, n: Neighbor) -> bool:
        return (self.proxy if n.is_proxy else self.plain).matches(n)

    def __call__(self, event: Event) -> bool:
        if self.matches(event.entry):
            return True
        return event.previous is not None and self.matches(event.previous)


# --- rendering --------------------------------------------------------------


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
