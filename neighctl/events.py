"""Neighbour events as transitions: a table of what we last saw, and the diffs.

Pure: no netlink, no rendering. The kernel tells us an entry's new state; this module
remembers the old one, so an event reads `REACHABLE → STALE` or
`lladdr A → B`, with the time the entry spent in the state it left.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from neighctl.filters import NeighFilter
from neighctl.model import Neighbor

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


DEVICE_GONE = "device_gone"
DEVICE_BACK = "device_back"
DEVICE_RENAMED = "device_renamed"


@dataclass(frozen=True, slots=True)
class LinkEvent:
    """A device that watch follows went away, came back, or was renamed.

    ``dev`` is the device's name now (for a rename, the new name;
    ``previous_dev`` the old one); ``ifindex`` its index (a re-created
    device has a new one; ``previous_ifindex`` is the old).
    """

    kind: str
    dev: str
    ifindex: int
    time: float  # wall clock, seconds since the epoch
    previous_dev: str | None = None
    previous_ifindex: int | None = None


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

    def on_device(self, ifindex: int) -> list[Neighbor]:
        return [n for key, n in self.entries.items() if key[1] == ifindex]

    def rename(self, ifindex: int, name: str) -> None:
        """A device was renamed: its entries carry the new name from now on."""
        for key, n in list(self.entries.items()):
            if key[1] == ifindex and n.dev != name:
                self.entries[key] = replace(n, dev=name)

    def drop_device(self, ifindex: int) -> list[Neighbor]:
        """A device is gone, and its entries with it: forget them; return them."""
        gone = []
        for key in [k for k in self.entries if k[1] == ifindex]:
            gone.append(self.entries.pop(key))
            del self.since[key]
        return gone

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
