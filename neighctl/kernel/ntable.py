"""Neighbour-table parameters and statistics over RTM_GETNEIGHTBL (`ip ntable show`).

Decoded here with struct: pyroute2's ndtmsg lacks NDTPA_MCAST_REPROBES
(mcast_resolicit), NDTPA_INTERVAL_PROBE_TIME_MS and the table_fulls
counter of NDTA_STATS, and importing it would cost a quarter of a second.
The socket is the plain one of kernel/netlink.py, which never creates a
namespace (unlike pyroute2's NetNS without flags=0).
"""

from __future__ import annotations

import struct
from typing import Any

from neighctl.kernel.device import link_index
from neighctl.kernel.netlink import RouteSocket
from neighctl.kernel.proto import (
    NDT_CONFIG,
    NDTA_CONFIG,
    NDTA_GC_INTERVAL,
    NDTA_NAME,
    NDTA_PARMS,
    NDTA_STATS,
    NDTA_THRESH1,
    NDTA_THRESH2,
    NDTA_THRESH3,
    NDTMSG,
    NDTPA_IFINDEX,
    NLMSGHDR,
    RTM_GETNEIGHTBL,
    RTM_NEWNEIGHTBL,
    U32,
    U64,
    attributes,
    messages,
)
from neighctl.model import AF_INET, AF_INET6
from neighctl.timers import DEFAULT_TABLES, STATS_FIELDS, NeighParms, TableParms

# NDTPA_* attribute -> (NeighParms field, struct format); times are u64 milliseconds.
NDTPA: dict[int, tuple[str, str]] = {
    3: ("reachable_time", "=Q"),
    4: ("base_reachable_time", "=Q"),
    5: ("retrans_time", "=Q"),
    6: ("gc_stale_time", "=Q"),
    7: ("delay_first_probe_time", "=Q"),
    8: ("queue_len", "=I"),
    9: ("app_solicit", "=I"),
    10: ("ucast_solicit", "=I"),
    11: ("mcast_solicit", "=I"),
    12: ("anycast_delay", "=Q"),
    13: ("proxy_delay", "=Q"),
    14: ("proxy_qlen", "=I"),
    15: ("locktime", "=Q"),
    16: ("unres_qlen_bytes", "=I"),
    17: ("mcast_resolicit", "=I"),
    19: ("interval_probe_time_ms", "=Q"),
}


def _attrs(buf: bytes, start: int, end: int) -> list[tuple[int, bytes]]:
    return [(kind, buf[a:b]) for kind, a, b in attributes(buf, start, end)]


def decode_stats(payload: bytes) -> dict[str, int]:
    """NDTA_STATS; older kernels send fewer counters (no table_fulls before 4.x)."""
    count = min(len(payload) // 8, len(STATS_FIELDS))
    values = struct.unpack_from(f"={count}Q", payload)
    return dict(zip(STATS_FIELDS[:count], values, strict=True))


def decode_parms(payload: bytes, family: int) -> tuple[int, NeighParms]:
    """A nested NDTA_PARMS: (ifindex, parameters); ifindex 0 for defaults."""
    ifindex = 0
    values: dict[str, Any] = {}
    for kind, data in _attrs(payload, 0, len(payload)):
        if kind == NDTPA_IFINDEX:
            (ifindex,) = U32.unpack_from(data)
        elif kind in NDTPA:
            name, fmt = NDTPA[kind]
            (values[name],) = struct.unpack_from(fmt, data)
    return ifindex, NeighParms(family=family, **values)


def decode_message(msg: bytes) -> tuple[TableParms | None, int, NeighParms | None]:
    """One RTM_NEWNEIGHTBL: the table part (if present) and the parms part."""
    family = NDTMSG.unpack_from(msg, NLMSGHDR.size)[0]
    table: dict[str, object] = {}
    stats: dict[str, int] = {}
    ifindex, parms = 0, None
    start = NLMSGHDR.size + NDTMSG.size
    for kind, data in _attrs(msg, start, len(msg)):
        if kind == NDTA_NAME:
            table["name"] = data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
        elif kind in (NDTA_THRESH1, NDTA_THRESH2, NDTA_THRESH3):
            table[f"gc_thresh{kind - 1}"] = U32.unpack_from(data)[0]
        elif kind == NDTA_GC_INTERVAL:
            table["gc_interval"] = U64.unpack_from(data)[0]
        elif kind == NDTA_CONFIG:
            table["entries"] = NDT_CONFIG.unpack_from(data)[2]
        elif kind == NDTA_STATS:
            stats = decode_stats(data)
        elif kind == NDTA_PARMS:
            ifindex, parms = decode_parms(data, family)
    if "gc_thresh1" not in table:
        return None, ifindex, parms
    if parms is not None and not ifindex:  # the table's defaults ride in its message
        table["interval_probe_time_ms"] = parms.interval_probe_time_ms
    return TableParms(family=family, stats=stats, **table), ifindex, parms  # type: ignore[arg-type]


def dump_ntables(sock: RouteSocket, family: int = 0) -> list[bytes]:
    """Every RTM_NEWNEIGHTBL message of a dump, as bytes."""
    out: list[bytes] = []
    for batch in sock.dump_batches(RTM_GETNEIGHTBL, NDTMSG.pack(family, 0), "reading ntable"):
        data = bytes(batch)
        for offset in messages(data):
            length, kind = NLMSGHDR.unpack_from(data, offset)[:2]
            if kind == RTM_NEWNEIGHTBL:
                out.append(data[offset : offset + length])
    return out


def read_parms(dev: str, *, netns: str | None = None) -> list[tuple[NeighParms, TableParms]]:
    """The ARP and ND parameters of ``dev`` with their table, IPv4 first.

    Raises NoSuchDeviceError for an unknown device and NamespaceNotFoundError
    for an unknown namespace (never creates one).
    """
    with RouteSocket(netns) as sock:
        return parms_of(sock, dev)


def parms_of(sock: RouteSocket, dev: str) -> list[tuple[NeighParms, TableParms]]:
    """read_parms() over an open socket."""
    ifindex = link_index(sock, dev)
    tables: dict[int, TableParms] = {}
    found: dict[int, NeighParms] = {}
    for msg in dump_ntables(sock):
        table, index, parms = decode_message(msg)
        if table is not None:
            tables[table.family] = table
        if parms is not None and index == ifindex:
            found[parms.family] = parms._replace(dev=dev)
    return [
        (found[fam], tables.get(fam, DEFAULT_TABLES[fam]))
        for fam in (AF_INET, AF_INET6)
        if fam in found
    ]
