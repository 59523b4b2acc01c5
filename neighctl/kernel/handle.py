"""``Kernel``: one network namespace, looked up once, for every request of a command.

    with Kernel(netns="blue") as k:
        entries = k.neighbors(NeighFilter(dev="eth0"))
        k.add(add_request("10.0.0.5", "02:00:00:00:00:05", "eth0"))

The namespace is opened by name once (never created: a missing one is
NamespaceNotFoundError); each socket is opened inside it when first needed
— the fast netlink socket for dumps, pyroute2's IPRoute for everything else
(imported only then) — and stays bound to it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from neighctl.filters import ALL_STATES, NeighFilter
from neighctl.kernel import mutate, rtnl
from neighctl.kernel.dump import dump_neighbors, link_index
from neighctl.kernel.netlink import RouteSocket
from neighctl.kernel.netns import open_namespace
from neighctl.model import Neighbor
from neighctl.timers import NeighParms, TableParms
from neighctl.validate import DeviceInfo, NeighRequest

if TYPE_CHECKING:
    from neighctl.kernel.entry import Whereabouts


class Kernel:
    """The kernel as seen from namespace ``netns`` (a /run/netns name; None: our own)."""

    def __init__(self, netns: str | None = None) -> None:
        self.netns = netns
        self._fd: int | None = open_namespace(netns) if netns is not None else None
        self._route: RouteSocket | None = None
        self._ipr: Any = None

    # --- life cycle ---------------------------------------------------------------
    def close(self) -> None:
        if self._route is not None:
            self._route.close()
            self._route = None
        if self._ipr is not None:
            rtnl.close(self._ipr)
            self._ipr = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str | int | None:
        """What netns.entered() takes to enter this namespace again (an fd), or None."""
        return self._fd

    @property
    def route(self) -> RouteSocket:
        """Our own NETLINK_ROUTE socket (the bulk dump, ntable)."""
        if self._route is None:
            self._route = RouteSocket(self._fd, label=self.netns)
        return self._route

    @property
    def ipr(self) -> Any:
        """pyroute2's IPRoute, bound in this namespace (imports pyroute2 on first use)."""
        if self._ipr is None:
            self._ipr = rtnl.open_iproute(self._fd)
        return self._ipr

    # --- reading ------------------------------------------------------------------
    def neighbors(self, filt: NeighFilter | None = None) -> list[Neighbor]:
        """The entries that pass ``filt`` (default: `ip neigh show`'s default filter)."""
        filt = filt or NeighFilter()
        sock = self.route
        ifindex = link_index(sock, filt.dev) if filt.dev is not None else 0
        return dump_neighbors(sock, filt, ifindex=ifindex)

    def device(self, name: str) -> DeviceInfo:
        """Device ``name``'s index, link type and address families; NoSuchDeviceError."""
        return rtnl.device_info(self.ipr, name)

    def get(self, req: NeighRequest) -> Neighbor | None:
        """The entry for req.dst on req.dev by exact lookup (`ip neigh get`), or None."""
        from neighctl.kernel.entry import get_entry

        return get_entry(self, req)

    def whereabouts(self, req: NeighRequest) -> Whereabouts:
        """Where else req.dst has entries: the other table, other devices (for hints)."""
        from neighctl.kernel.entry import whereabouts

        return whereabouts(self, req)

    def parms(self, dev: str) -> list[tuple[NeighParms, TableParms]]:
        """The ARP and ND parameters of ``dev`` with their tables (see kernel.ntable)."""
        from neighctl.kernel.ntable import parms_of

        return parms_of(self.route, dev)

    # --- changing -----------------------------------------------------------------
    def add(
        self, req: NeighRequest, *, replace: bool = False, dry_run: bool = False
    ) -> mutate.Change:
        return mutate.add_neighbor_in(self, req, replace=replace, dry_run=dry_run)

    def delete(self, req: NeighRequest, *, dry_run: bool = False) -> mutate.Change:
        return mutate.delete_neighbor_in(self, req, dry_run=dry_run)

    def select_for_flush(self, filt: NeighFilter) -> list[Neighbor]:
        return [n for n in self.neighbors(filt) if mutate.flush_matches(filt, n)]

    def held_back(self, filt: NeighFilter) -> list[Neighbor]:
        """Entries that match ``filt`` in all but their state: what its state mask keeps
        (PERMANENT and NOARP under flush's default), for saying why nothing was flushed."""
        every = dataclasses.replace(filt, states=ALL_STATES)
        return [
            n
            for n in self.neighbors(every)
            if mutate.flush_matches(every, n) and not mutate.flush_matches(filt, n)
        ]

    def delete_entries(
        self, entries: list[Neighbor], *, filt: NeighFilter | None = None
    ) -> mutate.FlushResult:
        return mutate.delete_entries_in(self, entries, filt=filt)

    def flush(self, filt: NeighFilter) -> mutate.FlushResult:
        """Delete every entry ``filt`` selects (see mutate.flush_matches)."""
        return self.delete_entries(self.select_for_flush(filt), filt=filt)


# --- one call per change, for Python callers who do not hold a Kernel ----------------


def add_neighbor(
    req: NeighRequest, *, replace: bool = False, netns: str | None = None, dry_run: bool = False
) -> mutate.Change:
    """mutate.add_neighbor_in() in namespace ``netns``."""
    with Kernel(netns) as k:
        return mutate.add_neighbor_in(k, req, replace=replace, dry_run=dry_run)


def delete_neighbor(
    req: NeighRequest, *, netns: str | None = None, dry_run: bool = False
) -> mutate.Change:
    """mutate.delete_neighbor_in() in namespace ``netns``."""
    with Kernel(netns) as k:
        return mutate.delete_neighbor_in(k, req, dry_run=dry_run)


def select_for_flush(filt: NeighFilter, *, netns: str | None = None) -> list[Neighbor]:
    """The entries a flush with ``filt`` would delete (its ``states`` as given)."""
    with Kernel(netns) as k:
        return k.select_for_flush(filt)


def delete_entries(
    entries: Sequence[Neighbor], *, filt: NeighFilter | None = None, netns: str | None = None
) -> mutate.FlushResult:
    """mutate.delete_entries_in() in namespace ``netns``."""
    with Kernel(netns) as k:
        return mutate.delete_entries_in(k, entries, filt=filt)


def flush_neighbors(filt: NeighFilter, *, netns: str | None = None) -> mutate.FlushResult:
    """Delete every entry ``filt`` selects (see flush_matches)."""
    with Kernel(netns) as k:
        return k.flush(filt)
