"""Counters fed by the watcher's events: MAC changes, state transitions, creations, deletions.

Pure and thread-safe: watcher threads call ``record`` and ``resynced``, scrape
threads call ``families``. Events come from neighctl.events.Tracker, which
compares each notification with what it last saw, so a notification that
changes nothing (a refresh, or one the initial read or a resync already
reflected) is no event and is not counted; after the kernel drops
notifications, the re-read's differences arrive as events marked resync and
are counted once, like any other.
"""

from __future__ import annotations

import threading
from collections import Counter

from prometheus_client.core import Metric

from neighctl.events import CHANGE, DEL, NEW, Event
from neighctl.metrics import catalogue as cat
from neighctl.metrics.families import family_label, new_family, state_label


class EventCounts:
    """Monotonic counts per namespace label; a namespace's counts go when it is dropped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Keys start with the netns label: (netns, family, dev) for lladdr,
        # (netns, family, from, to) for transitions, (netns, family, state) for the others.
        self.lladdr: Counter[tuple[str, ...]] = Counter()
        self.transitions: Counter[tuple[str, ...]] = Counter()
        self.created: Counter[tuple[str, ...]] = Counter()
        self.deleted: Counter[tuple[str, ...]] = Counter()
        self.resyncs: Counter[str] = Counter()
        self.watched: set[str] = set()

    def start(self, netns: str) -> None:
        """A watcher runs for ``netns``: its counters are exported (from zero)."""
        with self._lock:
            self.watched.add(netns)
            self.resyncs[netns] += 0

    def drop(self, netns: str) -> None:
        """The watcher for ``netns`` ended (the namespace went away): forget its counters."""
        with self._lock:
            self.watched.discard(netns)
            for counter in (self.lladdr, self.transitions, self.created, self.deleted):
                for key in [k for k in counter if k[0] == netns]:
                    del counter[key]
            self.resyncs.pop(netns, None)

    def record(self, netns: str, event: Event) -> None:
        """Count one event (MISS events, resolution requests, are not counted)."""
        entry = event.entry
        if entry.is_proxy:
            return  # proxy entries have no state and no MAC to change
        fam = family_label(entry.family)
        with self._lock:
            if event.kind == NEW:
                self.created[(netns, fam, state_label(entry.state))] += 1
            elif event.kind == DEL:
                self.deleted[(netns, fam, state_label(entry.state))] += 1
            elif event.kind == CHANGE and event.previous is not None:
                if event.state_changed:
                    before = state_label(event.previous.state)
                    self.transitions[(netns, fam, before, state_label(entry.state))] += 1
                if event.lladdr_changed:
                    self.lladdr[(netns, fam, entry.dev)] += 1

    def resynced(self, netns: str) -> None:
        with self._lock:
            self.resyncs[netns] += 1

    def families(self, netns_label: bool) -> list[Metric]:
        """The counters as metric families (the netns label only with ``netns_label``)."""
        with self._lock:
            tables: list[tuple[cat.MetricSpec, dict[tuple[str, ...], int]]] = [
                (cat.LLADDR_CHANGES, dict(self.lladdr)),
                (cat.TRANSITIONS, dict(self.transitions)),
                (cat.CREATED, dict(self.created)),
                (cat.DELETED, dict(self.deleted)),
            ]
            resyncs = dict(self.resyncs)
            watched = len(self.watched)
        out: list[Metric] = []
        for spec, values in tables:
            merged: Counter[tuple[str, ...]] = Counter()
            for key, count in values.items():
                merged[key if netns_label else key[1:]] += count
            family = new_family(spec, netns_label)
            for labels in sorted(merged):
                family.add_metric(list(labels), merged[labels])
            out.append(family)
        family = new_family(cat.RESYNCS, netns_label)
        if netns_label:
            for netns in sorted(resyncs):
                family.add_metric([netns], resyncs[netns])
        elif resyncs:
            family.add_metric([], sum(resyncs.values()))
        out.append(family)
        gauge = new_family(cat.WATCHED, False)
        gauge.add_metric([], watched)
        out.append(gauge)
        return out
