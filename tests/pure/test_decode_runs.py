"""The fast path reads runs of same-shaped messages with one iter_unpack call; whatever
the mix of shapes in a datagram, it must decode exactly what the generic attribute
loop decodes, message by message. Messages are built here in the kernel's layout
(neigh_fill_info), the only way to get every mix on demand; the kernel tests check
the same decoders on real dumps."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighctl.kernel import decode
from neighctl.kernel.decode import DUMP_DONE, LinkInfo, decode_neigh_batch
from neighctl.model import Row

AF_INET, AF_INET6 = 2, 10
RTM_NEWNEIGH, NLMSG_DONE = 28, 3


def attr(kind: int, payload: bytes) -> bytes:
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * (-length % 4)


def message(
    family: int,
    index: int,
    state: int,
    lladdr: bool,
    *,
    flags: int = 0,
    swap: bool = False,
    protocol: int | None = None,
) -> bytes:
    """An RTM_NEWNEIGH message; ``swap`` puts NDA_CACHEINFO before NDA_PROBES (same
    length, another shape: the fast path must not take it)."""
    size = 4 if family == AF_INET else 16
    dst = bytes([10, 0, index >> 8 & 255, index & 255]) if size == 4 else index.to_bytes(16, "big")
    attrs = attr(1, dst)
    if lladdr:
        attrs += attr(2, bytes([2, 0, 0, 0, index >> 8 & 255, index & 255]))
    probes = attr(4, struct.pack("=I", index % 4))
    cache = attr(3, struct.pack("=IIII", index * 7, index * 3, index * 11, index % 3))
    attrs += cache + probes if swap else probes + cache
    if protocol is not None:
        attrs += attr(12, bytes([protocol]))
    body = struct.pack("=BxxxiHBB", family, 1 + index % 3, state, flags, 1) + attrs
    return struct.pack("=IHHII", 16 + len(body), RTM_NEWNEIGH, 2, 1, 0) + body


def done() -> bytes:
    return struct.pack("=IHHIIi", 20, NLMSG_DONE, 2, 1, 0, 0)


def generic(datagram: bytes, links: LinkInfo) -> list[Row]:
    out, offset = [], 0
    view = memoryview(datagram)
    while offset + 16 <= len(datagram):
        (length,) = struct.unpack_from("=I", datagram, offset)
        row = decode._decode_generic(view, offset, length, links)
        if row is not None:
            out.append(row)
        offset += (length + 3) & ~3
    return out


LINKS = LinkInfo()
LINKS.names.update({1: "eth0", 2: "veth0"})  # 3 has no name: its index is shown

shapes = st.tuples(
    st.sampled_from([AF_INET, AF_INET6]),
    st.sampled_from([0x02, 0x04, 0x80, 0x20, 0x01, 0x00, 0x40]),
    st.booleans(),  # with NDA_LLADDR
    st.sampled_from([0, 0x80, 0x08, 0x10]),  # flags
    st.booleans(),  # swapped attributes
    st.sampled_from([None, None, None, 4]),  # NDA_PROTOCOL
)


@given(st.lists(shapes, max_size=60))
def test_runs_decode_as_the_generic_loop(
    spec: list[tuple[int, int, bool, int, bool, int | None]],
) -> None:
    datagram = b"".join(
        message(f, i, s, ll, flags=fl, swap=sw, protocol=p)
        for i, (f, s, ll, fl, sw, p) in enumerate(spec)
    )
    out: list[Row] = []
    status = decode_neigh_batch(memoryview(datagram + done()), LINKS, out)
    assert status & DUMP_DONE
    assert out == generic(datagram, LINKS)
    assert len(out) == len(spec)


def test_a_76_byte_ipv6_message_ends_a_run_of_76_byte_ipv4_ones() -> None:
    """IPv4 with a MAC and IPv6 without one are both 76 bytes long."""
    v4 = message(AF_INET, 1, 0x80, True)
    v6 = message(AF_INET6, 2, 0x20, False)
    assert len(v4) == len(v6) == 76
    datagram = v4 + v6 + v4 + v6 + v6
    out: list[Row] = []
    decode_neigh_batch(memoryview(datagram), LINKS, out)
    assert [row[0] for row in out] == [AF_INET, AF_INET6, AF_INET, AF_INET6, AF_INET6]
    assert out == generic(datagram, LINKS)


def test_each_fast_layout_is_as_long_as_the_messages_it_reads() -> None:
    for key, (layout, with_lladdr, family) in decode._LAYOUTS.items():
        assert layout.size == key >> 8
        assert family == key & 0xFF
        sample = message(family, 1, 0x80, with_lladdr)
        assert len(sample) == layout.size


def test_ordinary_messages_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Otherwise the tests above would compare the generic loop with itself."""
    calls: list[int] = []
    real = decode._decode_generic

    def counted(*args: Any, **kw: Any) -> Row | None:
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(decode, "_decode_generic", counted)
    datagram = b"".join(
        message(f, i, 0x80, ll) for i, (f, ll) in enumerate([(2, True), (2, False), (10, True)] * 5)
    )
    out: list[Row] = []
    decode_neigh_batch(memoryview(datagram), LINKS, out)
    assert len(out) == 15
    assert calls == []
    decode_neigh_batch(memoryview(message(2, 1, 0x80, True, swap=True)), LINKS, out)
    assert calls == [1]
