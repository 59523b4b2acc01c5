"""Extended flags (NDA_FLAGS_EXT) decode into NeighFlag's high bits; unknown ones are dropped.

Crafted bytes: the kernels here (6.18) set NTF_EXT_EXT_VALIDATED only for entries
a control plane marks so, which a namespace test cannot ask for with iproute2 6.1.
"""

from __future__ import annotations

import socket

import pytest

from neighctl.kernel.decode import LinkInfo, decode_neigh_batch
from neighctl.kernel.proto import (
    NDA_DST,
    NDA_FLAGS_EXT,
    NDMSG,
    NLMSGHDR,
    RTM_NEWNEIGH,
    U32,
    attr,
)
from neighctl.model import NeighFlag, NudState, Row, fast_neighbor


def message(ext: int) -> bytes:
    body = NDMSG.pack(socket.AF_INET, 2, int(NudState.PERMANENT), 0x10, 1)
    body += attr(NDA_DST, socket.inet_aton("192.0.2.9")) + attr(NDA_FLAGS_EXT, U32.pack(ext))
    return NLMSGHDR.pack(NLMSGHDR.size + len(body), RTM_NEWNEIGH, 2, 1, 0) + body


@pytest.mark.parametrize(
    ("ext", "flags"),
    [
        (0x1, NeighFlag.MANAGED | NeighFlag.EXT_LEARNED),
        (0x4, NeighFlag.EXT_VALIDATED | NeighFlag.EXT_LEARNED),
        (0x5, NeighFlag.MANAGED | NeighFlag.EXT_VALIDATED | NeighFlag.EXT_LEARNED),
        (0x2 | 0x80, NeighFlag.EXT_LEARNED),  # NTF_EXT_LOCKED (FDB only) and unknown bits
    ],
)
def test_extended_flags(ext: int, flags: NeighFlag) -> None:
    links = LinkInfo()
    links.names[2] = "eth0"
    out: list[Row] = []
    decode_neigh_batch(memoryview(message(ext)), links, out)
    (row,) = out
    assert fast_neighbor(*row).flags == flags
