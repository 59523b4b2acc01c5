"""Our struct decoder against pyroute2's full decoder, on the same bytes.

One dump of a namespace with every state and flag is captured raw; every
message is decoded by both, so ages cannot differ between the two.
"""

from __future__ import annotations

import struct

import pytest

from neighctl.filters import ALL_STATES
from neighctl.kernel.decode import USER_HZ, decode_neigh_batch
from neighctl.kernel.dump import read_links
from neighctl.kernel.netlink import RouteSocket
from neighctl.kernel.proto import RTM_GETNEIGH
from neighctl.model import EXT_FLAG_SHIFT, Neighbor, Row, fast_neighbor
from tests.lab import Lab

NDMSG = struct.Struct("=BxxxiHBB")


def raw_dump(ns: str, proxy: bool) -> tuple[list[bytes], RouteSocket]:
    sock = RouteSocket(ns)
    payload = NDMSG.pack(0, 0, 0, 0x08 if proxy else 0, 0)
    return [bytes(b) for b in sock.dump_batches(RTM_GETNEIGH, payload, "test dump")], sock


def split_messages(batch: bytes) -> list[bytes]:
    out, offset = [], 0
    while offset + 16 <= len(batch):
        (length, kind) = struct.unpack_from("=IH", batch, offset)
        if kind == RTM_GETNEIGH - 2:  # RTM_NEWNEIGH
            out.append(batch[offset : offset + length])
        offset += (length + 3) & ~3
    return out


def pyroute2_view(message: bytes, names: dict[int, str]) -> dict[str, object]:
    from pyroute2.netlink.rtnl.ndmsg import ndmsg

    msg = ndmsg(message)
    msg.decode()
    ci = msg.get_attr("NDA_CACHEINFO")
    ext = msg.get_attr("NDA_FLAGS_EXT") or 0
    proto = msg.get_attr("NDA_PROTOCOL")
    return {
        "family": msg["family"],
        "dst": msg.get_attr("NDA_DST"),
        "dev": names.get(msg["ifindex"], ""),
        "ifindex": msg["ifindex"],
        "state": msg["state"],
        "flags": msg["flags"] | ((ext & 1) << EXT_FLAG_SHIFT),
        "lladdr": msg.get_attr("NDA_LLADDR"),
        "probes": msg.get_attr("NDA_PROBES"),
        "protocol": proto or None,
        "refcnt": ci["ndm_refcnt"] if ci else None,
        "used": ci["ndm_used"] / USER_HZ if ci else None,
        "confirmed": ci["ndm_confirmed"] / USER_HZ if ci else None,
        "updated": ci["ndm_updated"] / USER_HZ if ci else None,
    }


def our_view(n: Neighbor) -> dict[str, object]:
    return {
        "family": n.family,
        "dst": n.dst,
        "dev": n.dev,
        "ifindex": n.ifindex,
        "state": int(n.state),
        "flags": int(n.flags),
        "lladdr": n.lladdr,
        "probes": n.probes,
        "protocol": n.protocol,
        "refcnt": n.refcnt,
        "used": n.used,
        "confirmed": n.confirmed,
        "updated": n.updated,
    }


@pytest.mark.parametrize("proxy", [False, True], ids=["neigh", "proxy"])
def test_every_message_decodes_as_pyroute2_decodes_it(populated_lab: Lab, proxy: bool) -> None:
    batches, sock = raw_dump(populated_lab.ns, proxy)
    try:
        links = read_links(sock)
    finally:
        sock.close()
    messages = [m for b in batches for m in split_messages(b)]
    assert len(messages) >= (3 if proxy else 20)
    for message in messages:
        ours: list[Row] = []
        decode_neigh_batch(memoryview(message), links, ours, None, ALL_STATES)
        assert len(ours) == 1, message.hex()
        assert our_view(fast_neighbor(*ours[0])) == pyroute2_view(message, links.names)


def test_fast_and_generic_paths_agree(populated_lab: Lab) -> None:
    """Every message through the generic decoder too (the fast path bypassed)."""
    from neighctl.kernel import decode

    batches, sock = raw_dump(populated_lab.ns, proxy=False)
    try:
        links = read_links(sock)
    finally:
        sock.close()
    fast: list[Row] = []
    for b in batches:
        decode_neigh_batch(memoryview(b), links, fast, None, ALL_STATES)
    generic = [
        n
        for b in batches
        for m in split_messages(b)
        if (n := decode._decode_generic(memoryview(m), 0, len(m), links)) is not None
    ]
    assert fast == generic
    assert len(fast) >= 20
