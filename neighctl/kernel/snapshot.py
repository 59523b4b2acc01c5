"""The live node as a neighctl.snapshot.Snapshot: what the doctor and metrics read.

Per namespace: neighbours and proxy entries through our own dump (the hot
path, neighctl.kernel.dump), links with their vxlan details, addresses,
routes of every table and the bridge FDB through pyroute2 (imported here,
lazily, and only ever as a plain ``IPRoute()`` opened inside a namespace we
entered ourselves, so no namespace is ever created), sysctls from /proc/sys
read inside the namespace, and each device's neighbour parameters over
RTM_GETNEIGHTBL (neighctl.kernel.ntable: pyroute2 lacks fields we need).
The tables' thresholds and counters are global: read once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Iterator
from dataclasses import replace
from typing import Any

from neighctl.errors import (
    NamespaceNotFoundError,
    NeighctlError,
    NotANamespaceError,
    UsageError,
)
from neighctl.filters import ALL_STATES, NeighFilter
from neighctl.kernel.dump import dump_neighbors, read_links
from neighctl.kernel.namespaces import (
    NamespaceRef,
    current_ref,
    list_namespaces,
    named_ref,
    open_ref,
)
from neighctl.kernel.netlink import RouteSocket
from neighctl.kernel.netns import entered
from neighctl.kernel.ntable import decode_message, dump_ntables
from neighctl.kernel.rtnl import open_iproute
from neighctl.kernel.sysctl import read_sysctls
from neighctl.model import AF_INET, AF_INET6, Neighbor
from neighctl.snapshot import (
    Address,
    FdbEntry,
    Link,
    NamespaceSnapshot,
    Route,
    Snapshot,
    Vxlan,
)
from neighctl.timers import NeighParms, TableParms

AF_BRIDGE = 7
RTNH_F_ONLINK = 4

# What take_snapshot can read; ``parts`` picks a subset (neighbours and links
# are enough to count the tables' entries).
PARTS = frozenset({"neighbors", "links", "addresses", "routes", "fdb", "parms", "sysctls"})


def take_snapshot(
    netns: str | None = None,
    *,
    all_namespaces: bool = False,
    parts: Collection[str] | None = None,
) -> Snapshot:
    """Read the node: the current namespace, namespace ``netns``, or every namespace.

    With ``all_namespaces`` each namespace is read once (named and unnamed,
    by nsfs inode); one that cannot be read becomes a NamespaceSnapshot with
    ``error`` set, and one that vanished during the walk is left out (its
    entries vanished with it). A named ``netns`` that does not exist raises
    NamespaceNotFoundError (it is never created); one that cannot be entered
    raises PermissionDeniedError. ``parts`` limits what is read (see PARTS).
    """
    if netns is not None and all_namespaces:
        raise UsageError("--netns and --all-namespaces exclude each other")
    wanted = PARTS if parts is None else frozenset(parts)
    unknown = wanted - PARTS
    if unknown:
        raise ValueError(f"unknown snapshot parts: {sorted(unknown)}")
    if all_namespaces:
        refs = list_namespaces()
    elif netns is not None:
        refs = [named_ref(netns)]
    else:
        refs = [current_ref()]
    namespaces: list[NamespaceSnapshot] = []
    for ref in refs:
        try:
            namespaces.append(read_namespace(ref, wanted))
        except NamespaceNotFoundError as exc:
            if not all_namespaces:
                raise
            if isinstance(exc, NotANamespaceError):  # there, but not enterable: a finding
                namespaces.append(_unreadable(ref, exc))
                continue
            # Gone since the walk (its last process exited, or it was deleted):
            # its devices and entries went with it, so nothing is missing.
            continue
        except (NeighctlError, OSError) as exc:
            if not all_namespaces:
                raise
            namespaces.append(_unreadable(ref, exc))
    return Snapshot(
        namespaces=namespaces,
        tables=read_tables(),
        complete=all_namespaces,
        source="live",
        taken_at=time.time(),
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def read_tables() -> dict[int, TableParms]:
    """The ARP and ND tables' thresholds and counters (global to the kernel)."""
    with RouteSocket() as sock:
        messages = dump_ntables(sock)
    tables: dict[int, TableParms] = {}
    for msg in messages:
        table, _, _ = decode_message(msg)
        if table is not None:
            tables[table.family] = table
    return tables


def _unreadable(ref: NamespaceRef, exc: BaseException) -> NamespaceSnapshot:
    """A namespace that is there but could not be read: its error, no data."""
    return NamespaceSnapshot(
        name=ref.name,
        inode=ref.inode,
        current=ref.current,
        path=None if ref.current else ref.path,
        error=_reason(exc),
    )


def read_namespace(ref: NamespaceRef, parts: Collection[str] = PARTS) -> NamespaceSnapshot:
    """One namespace's state; raises NeighctlError or OSError if it cannot be entered."""
    parts = frozenset(parts)
    fd = open_ref(ref)
    ipr: Any = None
    try:
        # Sockets opened inside stay bound to the namespace after we leave it.
        sock = RouteSocket(fd, ref.label)
        try:
            if parts & {"links", "addresses", "routes", "fdb"}:
                ipr = open_iproute(fd)
            if "sysctls" in parts:
                with entered(fd, ref.label):
                    sysctls = read_sysctls()
            else:
                sysctls = None
        except BaseException:
            sock.close()
            raise
    finally:
        if fd is not None:
            os.close(fd)
    try:
        info = read_links(sock)
        names = info.names
        links = [_link(m, names) for m in ipr.get_links()] if "links" in parts else None
        neighbors: list[Neighbor] | None = None
        if "neighbors" in parts:
            neighbors = dump_neighbors(sock, NeighFilter(states=ALL_STATES), links=info)
            neighbors += dump_neighbors(
                sock, NeighFilter(states=ALL_STATES, proxy=True), links=info
            )
        addresses = routes = fdb = None
        if "addresses" in parts:
            addresses = [a for a in (_address(m, names) for m in ipr.get_addr()) if a]
        if "routes" in parts:
            routes = [r for m in ipr.get_routes() for r in _routes(m, names)]
        if "fdb" in parts:
            fdb = [f for f in (_fdb(m, names) for m in ipr.fdb("dump")) if f]
        parms = _parms(sock, names) if "parms" in parts else None
    finally:
        sock.close()
        if ipr is not None:
            ipr.close()
    return NamespaceSnapshot(
        name=ref.name,
        inode=ref.inode,
        current=ref.current,
        path=None if ref.current else ref.path,
        neighbors=neighbors,
        links=links,
        addresses=addresses,
        routes=routes,
        fdb=fdb,
        parms=parms,
        sysctls=sysctls,
    )


# --- pyroute2 messages -> snapshot objects ----------------------------------


def _link(msg: Any, names: dict[int, str]) -> Link:
    master = msg.get_attr("IFLA_MASTER")
    kind = None
    vxlan = None
    info = msg.get_attr("IFLA_LINKINFO")
    if info is not None:
        kind = info.get_attr("IFLA_INFO_KIND")
        data = info.get_attr("IFLA_INFO_DATA")
        if kind == "vxlan" and data is not None and hasattr(data, "get_attr"):
            underlay = data.get_attr("IFLA_VXLAN_LINK")
            learning = data.get_attr("IFLA_VXLAN_LEARNING")
            vxlan = Vxlan(
                vni=data.get_attr("IFLA_VXLAN_ID"),
                local=data.get_attr("IFLA_VXLAN_LOCAL") or data.get_attr("IFLA_VXLAN_LOCAL6"),
                group=data.get_attr("IFLA_VXLAN_GROUP") or data.get_attr("IFLA_VXLAN_GROUP6"),
                port=data.get_attr("IFLA_VXLAN_PORT"),
                underlay=names.get(underlay) if underlay else None,
                learning=None if learning is None else bool(learning),
            )
    index = int(msg["index"])
    return Link(
        index=index,
        # Our own decoder's name, as the neighbours, routes and FDB entries carry it
        # (pyroute2 hands over bytes for a name that is not UTF-8).
        name=names.get(index) or _text(msg.get_attr("IFLA_IFNAME")),
        kind=kind,
        mac=msg.get_attr("IFLA_ADDRESS"),
        flags=int(msg["flags"]),
        mtu=msg.get_attr("IFLA_MTU"),
        master=names.get(master) if master else None,
        vxlan=vxlan,
    )


def _text(value: str | bytes | None) -> str:
    if isinstance(value, bytes):
        return value.split(b"\0", 1)[0].decode("utf-8", "replace")
    return value or ""


def _address(msg: Any, names: dict[int, str]) -> Address | None:
    address = msg.get_attr("IFA_LOCAL") or msg.get_attr("IFA_ADDRESS")
    if address is None:
        return None
    return Address(
        family=int(msg["family"]),
        address=address,
        prefixlen=int(msg["prefixlen"]),
        dev=names.get(int(msg["index"]), str(msg["index"])),
        broadcast=msg.get_attr("IFA_BROADCAST"),
    )


def _routes(msg: Any, names: dict[int, str]) -> Iterator[Route]:
    """One Route per next hop (a multipath route gives several)."""
    family = int(msg["family"])
    if family not in (AF_INET, AF_INET6):
        return
    length = int(msg["dst_len"])
    dst = msg.get_attr("RTA_DST")
    prefix = "default" if length == 0 else f"{dst}/{length}"
    table = msg.get_attr("RTA_TABLE") or int(msg["table"])
    base = Route(
        family=family,
        dst=prefix,
        table=int(table),
        protocol=int(msg["proto"]),
        scope=int(msg["scope"]),
        type=int(msg["type"]),
    )
    hops = msg.get_attr("RTA_MULTIPATH")
    if hops:
        for hop in hops:
            oif = hop.get("oif")
            yield replace(
                base,
                dev=names.get(oif) if oif else None,
                gateway=hop.get_attr("RTA_GATEWAY"),
                onlink=bool(int(hop.get("flags", 0)) & RTNH_F_ONLINK),
            )
        return
    oif = msg.get_attr("RTA_OIF")
    yield replace(
        base,
        dev=names.get(oif) if oif else None,
        gateway=msg.get_attr("RTA_GATEWAY"),
        onlink=bool(int(msg["flags"]) & RTNH_F_ONLINK),
    )


def _fdb(msg: Any, names: dict[int, str]) -> FdbEntry | None:
    mac = msg.get_attr("NDA_LLADDR")
    if mac is None:
        return None
    master = msg.get_attr("NDA_MASTER")
    return FdbEntry(
        mac=mac,
        dev=names.get(int(msg["ifindex"]), str(msg["ifindex"])),
        dst=msg.get_attr("NDA_DST"),
        vni=msg.get_attr("NDA_VNI"),
        vlan=msg.get_attr("NDA_VLAN"),
        master=names.get(master) if master else None,
        state=int(msg["state"]),
        flags=int(msg["flags"]),
    )


def _parms(sock: RouteSocket, names: dict[int, str]) -> list[NeighParms]:
    """Each device's ARP and ND parameters in the socket's namespace (RTM_GETNEIGHTBL).

    The table's own defaults (dev None) are the initial namespace's; a
    namespace's dump lists its own devices only (net/core/neighbour.c,
    neightbl_dump_info).
    """
    out: list[NeighParms] = []
    for msg in dump_ntables(sock):
        table, ifindex, parms = decode_message(msg)
        if parms is None:
            continue
        if table is not None:
            out.append(parms)
        elif ifindex and ifindex in names:
            out.append(parms._replace(dev=names[ifindex]))
    return out
