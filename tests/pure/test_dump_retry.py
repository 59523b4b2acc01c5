"""A dump interrupted by concurrent changes is retried, never returned half-done.

The neighbour dump of current kernels does not mark NLM_F_DUMP_INTR, and no
namespace can make one happen on demand, so this is the one place the
netlink socket is replaced by a fake that replays recorded-shape messages.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import pytest

from neighctl.errors import KernelError
from neighctl.filters import NeighFilter
from neighctl.kernel import dump
from neighctl.kernel.decode import LinkInfo


def done_message(flags: int) -> bytes:
    return struct.pack("=IHHIIi", 20, 3, flags, 1, 0, 0)


def neigh_message(dst: bytes, flags: int = 2) -> bytes:
    nd = struct.pack("=BxxxiHBB", 2, 1, 0x04, 0, 1)
    attrs = (
        struct.pack("=HH", 8, 1) + dst
        + struct.pack("=HH", 10, 2) + bytes.fromhex("020000000001") + b"\0\0"
        + struct.pack("=HHI", 8, 4, 0)
        + struct.pack("=HHIIII", 20, 3, 100, 200, 300, 0)
    )  # fmt: skip
    body = nd + attrs
    return struct.pack("=IHHII", 16 + len(body), 28, flags, 1, 0) + body


class FakeSocket:
    def __init__(self, interrupted_attempts: int) -> None:
        self.attempts = 0
        self.interrupted_attempts = interrupted_attempts

    def start_dump(self, msg_type: int, payload: bytes) -> Iterator[memoryview]:
        """One datagram with an entry, then NLMSG_DONE, both marked
        NLM_F_DUMP_INTR (0x10) on the first ``interrupted_attempts`` dumps."""
        self.attempts += 1
        intr = 0x10 if self.attempts <= self.interrupted_attempts else 0
        yield memoryview(neigh_message(bytes([10, 0, 0, self.attempts]), 2 | intr))
        yield memoryview(done_message(2 | intr))
        raise AssertionError("read past NLMSG_DONE")


def test_interrupted_dump_is_retried() -> None:
    sock = FakeSocket(interrupted_attempts=2)
    entries = dump.dump_neighbors(sock, NeighFilter(), links=LinkInfo())  # type: ignore[arg-type]
    assert sock.attempts == 3
    assert [n.dst for n in entries] == ["10.0.0.3"]  # only the complete attempt's entries
    assert entries[0].used == 2.0
    assert entries[0].confirmed == 1.0


def test_a_table_that_never_settles_is_an_error() -> None:
    sock = FakeSocket(interrupted_attempts=1000)
    with pytest.raises(KernelError, match="kept changing"):
        dump.dump_neighbors(sock, NeighFilter(), links=LinkInfo())  # type: ignore[arg-type]
