"""Every netlink constant and message layout neighctl's own decoders use, declared once.

Values from include/uapi/linux/{netlink,rtnetlink,neighbour,if_link}.h.
``messages`` and ``attributes`` are the one message loop and the one
attribute loop; the hot-path decoder (decode.py) builds its precompiled
layouts from the structs here instead of walking attributes one by one.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

# --- netlink (include/uapi/linux/netlink.h) ------------------------------------
NETLINK_ROUTE = 0
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_GET_STRICT_CHK = 12

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x01
NLM_F_MULTI = 0x02
NLM_F_ACK = 0x04
NLM_F_DUMP_INTR = 0x10
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLM_F_CAPPED = 0x100  # in an error ack: only the request's header is echoed
NLM_F_ACK_TLVS = 0x200  # in an error ack: extended-ack attributes follow
NLMSGERR_ATTR_MSG = 1
NLA_TYPE_MASK = 0x3FFF  # strips NLA_F_NESTED and NLA_F_NET_BYTEORDER

NLMSGHDR = struct.Struct("=IHHII")  # length, type, flags, seq, pid
NLATTR = struct.Struct("=HH")  # length, type
NLMSGERR = struct.Struct("=i")  # the negative errno that starts an NLMSG_ERROR payload
U32 = struct.Struct("=I")
U64 = struct.Struct("=Q")

# --- rtnetlink message types (include/uapi/linux/rtnetlink.h) -----------------
RTM_NEWLINK = 16
RTM_DELLINK = 17
RTM_GETLINK = 18
RTM_NEWNEIGH = 28
RTM_DELNEIGH = 29
RTM_GETNEIGH = 30
RTM_NEWNEIGHTBL = 64
RTM_GETNEIGHTBL = 66

RTNLGRP_LINK = 1
RTNLGRP_NEIGH = 3
RTMGRP_LINK = 1 << (RTNLGRP_LINK - 1)  # the legacy bind() group masks
RTMGRP_NEIGH = 1 << (RTNLGRP_NEIGH - 1)

# --- links (include/uapi/linux/if_link.h) ---------------------------------------
IFINFOMSG = struct.Struct("=BxHiII")  # family, pad, type, index, flags, change
IFLA_ADDRESS = 1
IFLA_IFNAME = 3
IFLA_AF_SPEC = 26
IFLA_INET6_CONF = 2  # inside IFLA_AF_SPEC/AF_INET6: an array of s32, by DEVCONF_*
DEVCONF_DISABLE_IPV6 = 26

# --- neighbours (include/uapi/linux/neighbour.h) --------------------------------
NDMSG = struct.Struct("=BxxxiHBB")  # family, pad, pad, ifindex, state, flags, type
NDA_DST = 1
NDA_LLADDR = 2
NDA_CACHEINFO = 3
NDA_PROBES = 4
NDA_IFINDEX = 8
NDA_PROTOCOL = 12
NDA_FLAGS_EXT = 15
CACHEINFO = struct.Struct("=IIII")  # confirmed, used, updated, refcnt (clock ticks ago)
USER_HZ = 100  # NDA_CACHEINFO is in clock_t ticks (jiffies_to_clock_t)
NTF_USE = 0x01  # ask the kernel to resolve as if a packet were queued (neigh_add)
NTF_PROXY = 0x08
NTF_EXT_LEARNED = 0x10
# NTF_EXT_MANAGED | NTF_EXT_EXT_VALIDATED (neighbour entries; NTF_EXT_LOCKED is for
# bridge FDB entries); newer bits are dropped, not misread.
KNOWN_EXT_FLAGS = 0x1 | 0x4

# --- neighbour tables (RTM_GETNEIGHTBL) -----------------------------------------
NDTMSG = struct.Struct("=BxH")  # family, pad1, pad2
NDTA_NAME, NDTA_THRESH1, NDTA_THRESH2, NDTA_THRESH3 = 1, 2, 3, 4
NDTA_CONFIG, NDTA_PARMS, NDTA_STATS, NDTA_GC_INTERVAL = 5, 6, 7, 8
NDTPA_IFINDEX = 1
NDT_CONFIG = struct.Struct("=HHI")  # key_len, entry_size, entries, ...


def messages(buf: bytes | bytearray | memoryview, size: int | None = None) -> Iterator[int]:
    """The offset of each netlink message in ``buf[:size]`` (read its header with NLMSGHDR).

    Stops at a truncated or malformed header rather than looping.
    """
    end = len(buf) if size is None else size
    offset = 0
    unpack = NLMSGHDR.unpack_from
    while offset + NLMSGHDR.size <= end:
        length = unpack(buf, offset)[0]
        if length < NLMSGHDR.size:
            return
        yield offset
        offset += (length + 3) & ~3


def attributes(
    buf: bytes | bytearray | memoryview, start: int, end: int
) -> Iterator[tuple[int, int, int]]:
    """(type, payload start, payload end) of each attribute in ``buf[start:end]``.

    The type has NLA_F_NESTED/NLA_F_NET_BYTEORDER stripped. Offsets rather than
    slices, so callers copy only what they keep.
    """
    pos = start
    unpack = NLATTR.unpack_from
    while pos + NLATTR.size <= end:
        length, kind = unpack(buf, pos)
        if length < NLATTR.size:
            return
        yield kind & NLA_TYPE_MASK, pos + NLATTR.size, min(pos + length, end)
        pos += (length + 3) & ~3


def attr(kind: int, payload: bytes) -> bytes:
    """One netlink attribute, padded to 4 bytes."""
    length = NLATTR.size + len(payload)
    return NLATTR.pack(length, kind) + payload + b"\0" * ((-length) % 4)
