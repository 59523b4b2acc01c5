"""Watcher threads feeding EventCounts, one per namespace, started and stopped from snapshots.

Each thread runs neighctl.kernel.monitor.Watcher (subscribe, read the table,
then fold notifications; on ENOBUFS a fresh subscription and a re-read whose
differences are events marked resync). Namespaces are the ones the snapshot
read that can be entered by name: the current one and those under
/run/netns; a namespace without a name (most containers') is read by each
scrape but not watched.
"""

from __future__ import annotations

import os
import sys
import threading

from neighctl.errors import NamespaceNotFoundError, NeighctlError
from neighctl.events import Event
from neighctl.kernel.netns import NETNS_RUN_DIR
from neighctl.metrics.events import EventCounts
from neighctl.snapshot import Snapshot

IDLE_POLL = 0.5  # seconds: how often an idle watcher looks at its stop flag


class WatchThread:
    """One namespace's watcher in a daemon thread."""

    def __init__(self, netns: str | None, label: str, counts: EventCounts, rcvbuf: int) -> None:
        self.netns = netns
        self.label = label
        self.counts = counts
        self.rcvbuf = rcvbuf
        self.stop = threading.Event()
        self.ready = threading.Event()  # set once subscribed and the table read (or failed)
        self.error: str | None = None
        self.gone = False  # ended because the name no longer points at that namespace
        self.thread = threading.Thread(
            target=self._run, name=f"neighctl-watch-{label}", daemon=True
        )
        self.thread.start()

    def _run(self) -> None:
        from neighctl.kernel.monitor import Watcher

        label = self.label
        counts = self.counts
        identity = self._identity()
        try:
            with Watcher(
                netns=self.netns, rcvbuf=self.rcvbuf, on_overflow=lambda: counts.resynced(label)
            ) as watcher:
                counts.start(label)
                self.ready.set()
                while not self.stop.is_set():
                    for event in watcher.events(idle=IDLE_POLL):
                        if isinstance(event, Event):  # device events count nothing here
                            counts.record(label, event)
                        if self.stop.is_set():
                            break
                    if identity is not None and self._identity() != identity:
                        # `ip netns del`: our sockets would keep the namespace alive.
                        self.gone = True
                        counts.drop(label)
                        return
        except NamespaceNotFoundError:
            self.gone = True  # deleted since the snapshot listed it: nothing to say
            counts.drop(label)
        except (NeighctlError, OSError) as exc:
            self.error = str(exc)
            if not self.stop.is_set():
                sys.stderr.write(f"neighctl: warning: watching namespace {label} stopped: {exc}\n")
        finally:
            self.ready.set()

    def _identity(self) -> int | None:
        """The nsfs inode the name points at now (None: the current namespace, or gone)."""
        if self.netns is None:
            return None
        try:
            return os.stat(os.path.join(NETNS_RUN_DIR, self.netns)).st_ino
        except OSError:
            return -1

    @property
    def alive(self) -> bool:
        return self.thread.is_alive()

    def close(self, timeout: float = 2.0) -> None:
        self.stop.set()
        self.thread.join(timeout)


class WatchPool:
    """The running watchers, reconciled with the namespaces of each snapshot."""

    def __init__(self, counts: EventCounts, rcvbuf: int | None = None) -> None:
        from neighctl.kernel.monitor import DEFAULT_RCVBUF

        self.counts = counts
        self.rcvbuf = rcvbuf or DEFAULT_RCVBUF
        self.threads: dict[str, WatchThread] = {}
        self._lock = threading.Lock()

    def start(self, netns: str | None, label: str, *, wait: float = 0.0) -> WatchThread:
        with self._lock:
            thread = self.threads.get(label)
            if thread is None or not thread.alive:
                thread = self.threads[label] = WatchThread(netns, label, self.counts, self.rcvbuf)
        if wait:
            thread.ready.wait(wait)
        return thread

    def sync(self, snapshot: Snapshot) -> None:
        """Watch every nameable namespace of ``snapshot``; stop watching the ones gone."""
        wanted = {
            ns.label: ns.name
            for ns in snapshot.namespaces
            if ns.error is None and (ns.name is not None or ns.current)
        }
        for label, name in wanted.items():
            thread = self.threads.get(label)
            # A watcher that failed stays down (one warning, not one a scrape);
            # one whose namespace was deleted starts again if the name is reused.
            if thread is None or (not thread.alive and (thread.error is None or thread.gone)):
                self.start(name, label)
        with self._lock:
            gone = [label for label in self.threads if label not in wanted]
            stale = [t for label, t in self.threads.items() if label in gone]
            for label in gone:
                del self.threads[label]
        for thread in stale:
            thread.close(timeout=0)
            self.counts.drop(thread.label)

    def wait_ready(self, timeout: float) -> None:
        """Wait until every watcher has read its table (or failed), at most ``timeout`` s."""
        import time

        deadline = time.monotonic() + timeout
        for thread in list(self.threads.values()):
            thread.ready.wait(max(0.0, deadline - time.monotonic()))

    def close(self) -> None:
        with self._lock:
            threads = list(self.threads.values())
            self.threads.clear()
        for thread in threads:
            thread.stop.set()
        for thread in threads:
            thread.thread.join(2.0)
