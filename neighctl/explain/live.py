"""What `explain ADDR` reads from the kernel, entering the namespace once.

One socket opened inside the namespace serves the link list, the entry dump
(neighbours and proxies) and the ntable dump; the sysctls that decide whether
a proxy entry answers are read from /proc/sys while still inside, since
/proc/sys/net shows the namespace of the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from neighctl.errors import NoSuchDeviceError
from neighctl.filters import ALL_STATES, NeighFilter
from neighctl.model import AF_INET6, Neighbor
from neighctl.proxyrule import Sysctls
from neighctl.timers import DEFAULT_TABLES, NeighParms, TableParms

ParmsPair = tuple[NeighParms, TableParms]


@dataclass
class LiveTable:
    """The entries of one family (all states, proxies too) and what explains them."""

    entries: list[Neighbor]
    dev: str | None = None  # the device asked for, by name
    parms: dict[tuple[str, int], ParmsPair] = field(default_factory=dict)  # (dev, family)
    sysctls: dict[str, Sysctls] = field(default_factory=dict)  # by device, for proxies


def with_route(s: Sysctls, dst: str, names: dict[int, str]) -> Sysctls:
    """``s`` with how the namespace we are in routes ``dst`` (pyroute2, imported here:
    only an IPv4 proxy entry on a forwarding device needs it)."""
    from neighctl.kernel.rtnl import route_to

    kind, oif = route_to(dst)
    return s._replace(route=kind, route_dev=None if oif is None else names.get(oif))


def read_table(
    family: int,
    dev: str | None,
    netns: str | None,
    chosen: Callable[[Neighbor], bool] = lambda n: True,
    *,
    index_ok: bool = False,
) -> LiveTable:
    """Every entry of ``family`` (on ``dev`` if given), with the parameters and
    sysctls of the devices that hold the ``chosen`` entries.

    ``index_ok``: ``dev`` may be an interface index when no device has that name
    (an IPv6 zone, RFC 4007). Raises NamespaceNotFoundError, NoSuchDeviceError,
    PermissionDeniedError.
    """
    from neighctl.kernel.dump import dump_neighbors, link_index, read_links
    from neighctl.kernel.netlink import RouteSocket
    from neighctl.kernel.netns import entered
    from neighctl.kernel.ntable import decode_message, dump_ntables
    from neighctl.kernel.sysctl import proxy_sysctls

    with entered(netns), RouteSocket() as sock:
        links = read_links(sock)
        ifindex = 0
        if dev is not None:
            try:
                ifindex = link_index(sock, dev)
            except NoSuchDeviceError:
                if not (index_ok and dev.isdigit() and int(dev) in links.names):
                    raise
                ifindex, dev = int(dev), links.names[int(dev)]
        entries: list[Neighbor] = []
        for proxy in (False, True):
            filt = NeighFilter(family=family, dev=dev, states=ALL_STATES, proxy=proxy)
            entries += dump_neighbors(sock, filt, ifindex=ifindex, links=links)
        picked = [n for n in entries if chosen(n)]
        table = LiveTable(entries, dev)
        if not picked:
            return table
        messages = dump_ntables(sock, family)
        table.sysctls = {
            n.dev: proxy_sysctls(family, n.dev) for n in picked if n.is_proxy and n.dev
        }
        for n in picked:
            s = table.sysctls.get(n.dev)
            if s is not None and family != AF_INET6 and s.forwarding:
                table.sysctls[n.dev] = with_route(s, n.dst, links.names)
    tables: dict[int, TableParms] = {}
    by_index: dict[int, NeighParms] = {}
    for msg in messages:
        tbl, index, parms = decode_message(msg)
        if tbl is not None:
            tables[tbl.family] = tbl
        if parms is not None and index and parms.family == family:
            by_index[index] = parms
    for index, parms in by_index.items():
        name = links.names.get(index)
        if name is not None:
            pair = (parms._replace(dev=name), tables.get(family, DEFAULT_TABLES[family]))
            table.parms[(name, family)] = pair
    return table
