"""A prometheus_client custom collector: reads the kernel at scrape time, one read at a time.

Single flight: scrapes that arrive while a read is under way wait for it and
share its result, and a result younger than ``max_age`` seconds is served
again, so concurrent or back-to-back scrapes cost one read. Only the
aggregated samples are kept between scrapes, never the dump itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from prometheus_client.core import Metric

from neighctl.metrics.events import EventCounts
from neighctl.metrics.families import snapshot_families
from neighctl.metrics.source import Source
from neighctl.snapshot import Snapshot

DEFAULT_MAX_AGE = 1.0  # seconds


class NeighCollector:
    """Collects neighctl's metrics from ``source`` (and ``events``, if a watcher feeds them).

    ``on_snapshot`` sees each fresh snapshot before it is dropped (the
    exporter starts and stops watchers from it).
    """

    def __init__(
        self,
        source: Source,
        *,
        netns_label: bool = False,
        per_address: bool = False,
        events: EventCounts | None = None,
        on_snapshot: Callable[[Snapshot], None] | None = None,
        max_age: float = DEFAULT_MAX_AGE,
    ) -> None:
        self.source = source
        self.netns_label = netns_label
        self.per_address = per_address
        self.events = events
        self.on_snapshot = on_snapshot
        self.max_age = max_age
        self.reads = 0  # kernel reads done (the single-flight test counts them)
        self._lock = threading.Lock()
        self._generation = 0
        self._cached: list[Metric] = []
        self._cached_at = float("-inf")

    def describe(self) -> Iterable[Metric]:
        """Nothing: registering must not read the kernel (names are checked at exposition)."""
        return []

    def collect(self) -> Iterable[Metric]:
        metrics = self._snapshot_metrics()
        if self.events is not None:
            metrics = metrics + self.events.families(self.netns_label)
        return metrics

    def _snapshot_metrics(self) -> list[Metric]:
        seen = self._generation
        with self._lock:
            fresh = time.monotonic() - self._cached_at < self.max_age
            if self._generation != seen or fresh:
                return self._cached  # a read finished while we waited, or a recent one
            start = time.perf_counter()
            snapshot, report = self.source()
            self.reads += 1
            if self.on_snapshot is not None:
                self.on_snapshot(snapshot)
            metrics = snapshot_families(
                snapshot,
                report,
                netns_label=self.netns_label,
                per_address=self.per_address,
                collect_seconds=time.perf_counter() - start,
            )
            del snapshot, report  # keep the samples, not the dump
            self._cached = metrics
            self._cached_at = time.monotonic()
            self._generation += 1
            return metrics
