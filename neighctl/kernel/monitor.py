"""Neighbour notifications (RTNLGRP_NEIGH) as transition events: the library side of `watch`.

A plain NETLINK_ROUTE socket bound to the neighbour group, decoded by our
struct decoder, not pyroute2: under a storm pyroute2's per-message decoder
cannot keep up and the kernel drops notifications far sooner (the
measurements are in docs/design.md, "watch").

Order matters: we subscribe first, then read the table, so nothing that
happens in between is lost (at worst it is seen twice, and the tracker
drops an event that changes nothing). When the kernel drops notifications
(ENOBUFS), we open a fresh subscription, drop the old socket and its queue
of stale messages, re-read the table and emit the differences as resync
events: after that, the queue holds every change since the new
subscription, in order, so the table converges to the kernel's.
"""

from __future__ import annotations

import errno
import select
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

from neighctl.events import (
    DEVICE_BACK,
    DEVICE_GONE,
    DEVICE_RENAMED,
    NOTIFY_DEL,
    NOTIFY_MISS,
    NOTIFY_NEW,
    Event,
    EventFilter,
    LinkEvent,
    Tracker,
)
from neighctl.filters import ALL_STATES, NeighFilter
from neighctl.kernel.decode import LinkChange, LinkInfo, decode_neigh_events
from neighctl.kernel.device import link_index
from neighctl.kernel.dump import dump_neighbors, read_links
from neighctl.kernel.netlink import RouteSocket
from neighctl.kernel.netns import entered
from neighctl.kernel.proto import (
    NETLINK_ROUTE,
    RTM_DELLINK,
    RTM_DELNEIGH,
    RTM_GETNEIGH,
    RTM_NEWNEIGH,
    RTMGRP_LINK,
    RTMGRP_NEIGH,
)
from neighctl.model import Neighbor

SO_RCVBUFFORCE = 33  # root may exceed net.core.rmem_max
# The kernel doubles the request and charges ~830 bytes per queued ~100-byte
# notification (measured: 4 MiB held 10,082), so 8 MiB holds ~20,000: a burst
# that size is printed without a resync. iproute2's `ip monitor` asks for 1 MiB.
DEFAULT_RCVBUF = 8 << 20
RECV_SIZE = 1 << 16
__all__ = ["DEFAULT_RCVBUF", "RTMGRP_NEIGH", "Watcher", "set_rcvbuf", "subscribe"]

NOTIFY_BY_TYPE: dict[int, str] = {
    RTM_NEWNEIGH: NOTIFY_NEW,
    RTM_DELNEIGH: NOTIFY_DEL,
    RTM_GETNEIGH: NOTIFY_MISS,
}


def set_rcvbuf(sock: socket.socket, size: int) -> int:
    """Ask for a receive buffer of ``size`` bytes; return what the kernel granted.

    SO_RCVBUFFORCE (root) ignores net.core.rmem_max; otherwise SO_RCVBUF,
    which the kernel caps there. The kernel doubles the value for overhead.
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, size)
    except PermissionError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)
    return int(sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))


def subscribe(
    netns: str | int | None = None, rcvbuf: int = DEFAULT_RCVBUF, groups: int = RTMGRP_NEIGH
) -> socket.socket:
    """A non-blocking socket receiving the notifications of ``groups`` (RTMGRP_* bits;
    neighbours by default) in ``netns`` (a name, an open namespace fd, or None)."""
    with entered(netns):
        sock = socket.socket(
            socket.AF_NETLINK,
            socket.SOCK_RAW | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK,
            NETLINK_ROUTE,
        )
    try:
        set_rcvbuf(sock, rcvbuf)
        sock.bind((0, groups))
    except BaseException:
        sock.close()
        raise
    return sock


GONE = -1  # self.ifindex while the --dev device does not exist
WATCH_GROUPS = RTMGRP_NEIGH | RTMGRP_LINK


class Watcher:
    """Subscribe, read the table, then turn notifications into filtered events.

    ``tracker`` holds the watcher's view of the whole table (of the device
    given in the filter, if any), whatever the rest of the filter says.

    Link notifications keep device names right: a renamed device's entries
    take its new name (a LinkEvent says so). A device named by the filter
    that is deleted is reported gone, and when a device of that name appears
    again (flannel and Calico re-create theirs) it is reported back and
    followed under its new index.
    """

    def __init__(
        self,
        filt: NeighFilter | None = None,
        *,
        netns: str | None = None,
        rcvbuf: int = DEFAULT_RCVBUF,
        on_overflow: Callable[[], None] | None = None,
    ) -> None:
        self.filt = filt or NeighFilter(states=ALL_STATES)
        self.passes = EventFilter(self.filt)
        self.netns = netns
        self.rcvbuf = rcvbuf
        self.on_overflow = on_overflow
        self.overflows = 0
        self.received = 0  # notifications decoded (before filtering)
        self.unknown_links: set[int] = set()  # looked up once, still not there
        self.dev_name = self.filt.dev  # the name asked for: what a re-created device has
        self.sock = subscribe(netns, rcvbuf, WATCH_GROUPS)  # first: nothing after the read is lost
        try:
            self.route = RouteSocket(netns)
            try:
                dev = self.filt.dev
                self.ifindex = link_index(self.route, dev) if dev is not None else 0
                self.links: LinkInfo = read_links(self.route)
                self.tracker = Tracker(self.read_table())
            except BaseException:
                self.route.close()
                raise
        except BaseException:
            self.sock.close()
            raise

    def close(self) -> None:
        self.sock.close()
        self.route.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read_table(self) -> list[Neighbor]:
        """The whole table now (both the neighbour and the proxy tables), device-filtered."""
        base = NeighFilter(dev=self.filt.dev, states=ALL_STATES)
        entries = dump_neighbors(self.route, base, ifindex=self.ifindex, links=self.links)
        entries += dump_neighbors(
            self.route, replace(base, proxy=True), ifindex=self.ifindex, links=self.links
        )
        return entries

    def events(
        self, *, until: float | None = None, idle: float | None = None
    ) -> Iterator[Event | LinkEvent]:
        """Events that pass the filter, and LinkEvents, as they come.

        Stops at monotonic time ``until``, or after ``idle`` seconds without a
        notification; with neither, runs until the caller stops iterating.
        """
        buf = bytearray(RECV_SIZE)
        view = memoryview(buf)
        batch: list[tuple[int, Neighbor]] = []
        link_batch: list[tuple[int, int, LinkChange]] = []
        apply = self.tracker.apply
        passes = self.passes
        kinds = NOTIFY_BY_TYPE
        only = self.ifindex
        poller = select.poll()
        sock = self.sock
        poller.register(sock, select.POLLIN)
        last = time.monotonic()
        while True:
            try:
                size = sock.recv_into(buf)
            except BlockingIOError:
                timeout = _timeout(time.monotonic(), until, idle, last)
                if timeout is not None and timeout <= 0:
                    return
                poller.poll(None if timeout is None else _poll_ms(timeout))
                continue
            except OSError as exc:
                if exc.errno != errno.ENOBUFS:
                    raise
                poller.unregister(sock)
                yield from self._resync()
                sock = self.sock
                poller.register(sock, select.POLLIN)
                last = time.monotonic()
                continue
            decode_neigh_events(view[:size], self.links, batch, link_batch)
            now = time.monotonic()
            wall = time.time()
            self.received += len(batch)
            links = iter(link_batch)
            pending = next(links, None)
            for position, (kind, n) in enumerate(batch):
                while pending is not None and pending[0] <= position:
                    yield from self._link(pending[1], pending[2], now, wall)
                    only, passes = self.ifindex, self.passes
                    pending = next(links, None)
                if only and n.ifindex != only:
                    continue  # --dev: track only that device, as the initial read does
                if n.ifindex and n.ifindex not in self.links.names:
                    n = self._rename(n, n.ifindex)
                event = apply(kinds[kind], n, now=now, wall=wall)
                if event is not None and passes(event):
                    yield event
            while pending is not None:
                yield from self._link(pending[1], pending[2], now, wall)
                only, passes = self.ifindex, self.passes
                pending = next(links, None)
            batch.clear()
            link_batch.clear()
            last = now
            if until is not None and now >= until:
                return

    def _link(
        self, kind: int, link: LinkChange, now: float, wall: float
    ) -> Iterator[LinkEvent | Event]:
        """Apply one link notification: names, the followed device, its entries."""
        index, name = link.ifindex, link.name
        old = self.links.names.get(index)
        followed = self.dev_name is not None
        if kind == RTM_DELLINK:
            self.links.names.pop(index, None)
            self.links.types.pop(index, None)
            had = self.tracker.drop_device(index)
            if followed and index == self.ifindex:
                self.ifindex = GONE
                self._follow(self.dev_name)
                yield LinkEvent(DEVICE_GONE, old or name, index, wall)
            elif not followed and had:
                yield LinkEvent(DEVICE_GONE, old or name, index, wall)
            return
        self.links.names[index] = name
        self.links.types[index] = link.link_type
        self.unknown_links.discard(index)
        if old is None:
            if followed and self.ifindex == GONE and name == self.dev_name:
                self.ifindex = index
                yield LinkEvent(DEVICE_BACK, name, index, wall)
                yield from self._entries_on(index, now, wall)
        elif old != name:
            had = self.tracker.on_device(index)
            self.tracker.rename(index, name)
            if followed and index == self.ifindex:
                self._follow(name)
                yield LinkEvent(DEVICE_RENAMED, name, index, wall, previous_dev=old)
            elif not followed and had:
                yield LinkEvent(DEVICE_RENAMED, name, index, wall, previous_dev=old)

    def _follow(self, name: str | None) -> None:
        """Filter on device ``name`` from now on (the followed device's current name)."""
        self.filt = replace(self.filt, dev=name)
        self.passes = EventFilter(self.filt)

    def _entries_on(self, index: int, now: float, wall: float) -> Iterator[Event]:
        """Entries a re-created device already has when we hear of it, as events."""
        base = NeighFilter(dev=self.dev_name, states=ALL_STATES)
        found = dump_neighbors(self.route, base, ifindex=index, links=self.links)
        found += dump_neighbors(
            self.route, replace(base, proxy=True), ifindex=index, links=self.links
        )
        for n in found:
            event = self.tracker.apply(NOTIFY_NEW, n, now=now, wall=wall)
            if event is not None and self.passes(event):
                yield event

    def _resync(self) -> Iterator[Event]:
        """After ENOBUFS: a fresh subscription, a fresh read, the differences."""
        self.overflows += 1
        if self.on_overflow is not None:
            self.on_overflow()
        old = self.sock
        self.sock = subscribe(self.netns, self.rcvbuf, WATCH_GROUPS)
        old.close()  # its queue predates the gap: the re-read supersedes it
        self.links = read_links(self.route)
        if self.dev_name is not None:
            # The followed device may have gone or come back during the gap.
            index = next((i for i, n in self.links.names.items() if n == self.filt.dev), 0)
            index = index or next(
                (i for i, n in self.links.names.items() if n == self.dev_name), GONE
            )
            self.ifindex = index
            if index == GONE:
                self._follow(self.dev_name)
                for event in self.tracker.resync([]):
                    if self.passes(event):
                        yield event
                return
            self._follow(self.links.names[index])
        for event in self.tracker.resync(self.read_table()):
            if self.passes(event):
                yield event

    def _rename(self, n: Neighbor, ifindex: int) -> Neighbor:
        """An entry on a device created after we listed devices: list them again."""
        if ifindex not in self.unknown_links:
            self.links = read_links(self.route)
        name = self.links.names.get(ifindex)
        if name is None:
            self.unknown_links.add(ifindex)
            return n
        return replace(n, dev=name)


MAX_POLL_MS = (1 << 31) - 1  # poll() takes a C int; a longer wait just polls again


def _poll_ms(timeout: float) -> int:
    """poll()'s timeout for ``timeout`` seconds: at least 1 ms, at most MAX_POLL_MS."""
    return min(MAX_POLL_MS, max(1, int(timeout * 1000 + 0.999)))


def _timeout(now: float, until: float | None, idle: float | None, last: float) -> float | None:
    limits = []
    if until is not None:
        limits.append(until - now)
    if idle is not None:
        limits.append(last + idle - now)
    return min(limits) if limits else None
