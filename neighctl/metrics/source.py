"""Where a scrape's snapshot comes from: the live kernel, read at scrape time.

A stop-gap until neighctl.kernel.snapshot.take_snapshot (every namespace,
links, routes, FDB, sysctls) lands: one namespace's neighbour and proxy
tables, its links (for the loopback exemption) and the per-family tables,
over one socket. It reads no other namespace and runs no doctor check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from neighctl.diagnose.findings import Report
from neighctl.errors import UsageError
from neighctl.filters import ALL_STATES, NeighFilter
from neighctl.kernel.dump import dump_neighbors, read_links
from neighctl.kernel.netlink import RouteSocket
from neighctl.kernel.ntable import decode_message, dump_ntables
from neighctl.snapshot import IFF_LOOPBACK, Link, NamespaceSnapshot, Snapshot
from neighctl.timers import TableParms

ARPHRD_LOOPBACK = 772  # include/uapi/linux/if_arp.h

Source = Callable[[], tuple[Snapshot, Report | None]]


def read_namespace(netns: str | None) -> tuple[NamespaceSnapshot, dict[int, TableParms]]:
    """One namespace's entries (both tables, every state) and the kernel's per-family tables."""
    with RouteSocket(netns) as sock:
        info = read_links(sock)
        every = NeighFilter(states=ALL_STATES)
        entries = dump_neighbors(sock, every, links=info)
        entries += dump_neighbors(sock, replace(every, proxy=True), links=info)
        messages = dump_ntables(sock)
    tables: dict[int, TableParms] = {}
    for msg in messages:
        table, _, _ = decode_message(msg)
        if table is not None:
            tables[table.family] = table
    links = [
        Link(index, name, flags=IFF_LOOPBACK if info.types.get(index) == ARPHRD_LOOPBACK else 0)
        for index, name in info.names.items()
    ]
    ns = NamespaceSnapshot(
        name=netns, current=netns is None, neighbors=entries, links=links, parms=None
    )
    return ns, tables


def live_source(netns: str | None = None, *, all_namespaces: bool = False) -> Source:
    """A function reading the kernel each time it is called; checks its arguments now."""
    if all_namespaces:
        raise UsageError("--all-namespaces is not available yet in this build")

    def take() -> tuple[Snapshot, Report | None]:
        ns, tables = read_namespace(netns)
        return Snapshot(namespaces=[ns], tables=tables, taken_at=time.time()), None

    return take
