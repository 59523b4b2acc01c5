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
from neighctl.kernel.netlink import DumpInterrupted


def neigh_message(dst: bytes) -> bytes:
    nd = struct.pack("=BxxxiHBB", 2, 1, 0x04, 0, 1)
    attrs = (
        struct.pack("=HH", 8, 1) + dst
        + struct.pack("=HH", 10, 2) + bytes.fromhex("020000000001") + b"\0\0"
        + struct.pack("=HHI", 8, 4, 0)
        + struct.pack("=HHIIII", 20, 3, 100, 200, 300, 0)
    )  # fmt: skip
    body = nd + attrs
    return struct.pack("=IHHII", 16 + len(body), 28, 2, 1, 0) + body


class FakeSocket:
    def __init__(self, interrupted_attempts: int) -> None:
        self.attempts = 0
        self.interrupted_attempts = interrupted_attempts

    def dump_batches(self, msg_type: int, payload: bytes, what: str) -> Iterator[memoryview]:
        self.attempts += 1
        yield memoryview(neigh_message(bytes([10, 0, 0, self.attempts])))
        if self.attempts <= self.interrupted_attempts:
            raise DumpInterrupted(what)


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
