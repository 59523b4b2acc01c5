"""A lean struct decoder for RTM_NEWNEIGH and RTM_NEWLINK messages.

pyroute2's generic decoder costs ~100 µs per neighbour; this one reads the
few attributes we use straight from the received bytes (a test checks it
against pyroute2's full decoder on the same namespace).

It produces rows (model.Row: a Neighbor's fields as a tuple), the one shape
both consumers take: ``fast_neighbor(*row)`` for library callers who want
objects, or a view that renders a batch of rows and lets it go (`show`).
"""

from __future__ import annotations

import struct

# The C module under `socket`: the Python wrapper builds enums on import.
from _socket import AF_INET, AF_INET6, inet_ntop
from collections.abc import Callable
from typing import NamedTuple

from neighctl.filters import ALL_STATES, NONE_BIT
from neighctl.kernel.netlink import error_from_errno
from neighctl.kernel.proto import (
    CACHEINFO,
    IFINFOMSG,
    IFLA_IFNAME,
    KNOWN_EXT_FLAGS,
    NDA_CACHEINFO,
    NDA_DST,
    NDA_FLAGS_EXT,
    NDA_LLADDR,
    NDA_PROBES,
    NDA_PROTOCOL,
    NDMSG,
    NLM_F_DUMP_INTR,
    NLMSG_DONE,
    NLMSG_ERROR,
    NLMSGERR,
    NLMSGHDR,
    NTF_EXT_LEARNED,
    NTF_PROXY,
    RTM_DELLINK,
    RTM_DELNEIGH,
    RTM_GETNEIGH,
    RTM_NEWLINK,
    RTM_NEWNEIGH,
    U32,
    USER_HZ,
    attributes,
    messages,
)
from neighctl.model import (
    EXT_FLAG_SHIFT,
    NO_FLAGS,
    Neighbor,
    NudState,
    Row,
    fast_neighbor,
    neigh_flags,
    nud_state,
)

NEIGH_KINDS = frozenset({RTM_NEWNEIGH})
# RTM_DELNEIGH, and RTM_GETNEIGH in a notification: the kernel asks user space
# to resolve (`miss`).
EVENT_KINDS = frozenset({RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH})
_BYPASS_STATE = NTF_PROXY | NTF_EXT_LEARNED  # these skip the state filter (ip/ipneigh.c)

# Link types whose link-layer address is an IP address (iproute2's ll_addr_n2a).
ARPHRD_IPV4_LL = frozenset({768, 776, 778})  # TUNNEL, SIT, IPGRE
ARPHRD_IPV6_LL = frozenset({769, 823})  # TUNNEL6, IP6GRE

# The single-state members by value, for the hot loop's list lookup (anything
# else, e.g. a combination, goes through model.nud_state's interning).
_STATES: list[NudState | None] = [None] * 256
for _member in NudState:
    _STATES[_member.value] = _member


class LinkInfo:
    """Names and ARPHRD types of a namespace's interfaces, by index."""

    __slots__ = ("names", "types")

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.types: dict[int, int] = {}

    def add_batch(self, buf: memoryview) -> None:
        """Decode the RTM_NEWLINK messages of one received datagram."""
        for offset in messages(buf):
            length, kind, _, _, _ = NLMSGHDR.unpack_from(buf, offset)
            if kind != RTM_NEWLINK:
                continue
            _, link_type, index, _, _ = IFINFOMSG.unpack_from(buf, offset + NLMSGHDR.size)
            start = offset + NLMSGHDR.size + IFINFOMSG.size
            for atype, pos, end in attributes(buf, start, offset + length):
                if atype == IFLA_IFNAME:
                    raw = bytes(buf[pos:end])
                    self.names[index] = raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                    self.types[index] = link_type
                    break


def format_lladdr(raw: bytes, link_type: int | None) -> str:
    """iproute2's spelling of a link-layer address."""
    if link_type is not None:
        if len(raw) == 4 and link_type in ARPHRD_IPV4_LL:
            return inet_ntop(AF_INET, raw)
        if len(raw) == 16 and link_type in ARPHRD_IPV6_LL:
            return inet_ntop(AF_INET6, raw)
    return raw.hex(":")


# Fast paths: the kernel (neigh_fill_info) writes DST, LLADDR (valid states
# only), PROBES, CACHEINFO in that order for an ordinary entry, so one
# precompiled Struct reads the whole message, and a run of messages of one
# shape (a dump datagram is mostly one) is read by one iter_unpack call.
# Anything else (proxy entries, NDA_PROTOCOL, NDA_FLAGS_EXT, another order)
# takes the generic loop. The layouts are proto's structs written end to end,
# with the fields the fast path never reads skipped ("x": fewer objects a
# message): nlmsg_seq and nlmsg_pid, ndm_type, and the lengths of NDA_DST and
# NDA_PROBES (their types are checked; a test checks the sizes).
_SKIP_SEQ_PID = "8x"  # NLMSGHDR's last two u32
_HEAD = NLMSGHDR.format[:4] + _SKIP_SEQ_PID + NDMSG.format[1:-1] + "x"  # ndm_type skipped
_TYPE = "2xH"  # an NLATTR whose length the layout fixes: only its type is read
_ATTR = "HH"  # proto.NLATTR, both read
_CI = _TYPE + U32.format[1:] + _ATTR + CACHEINFO.format[1:]  # NDA_PROBES then NDA_CACHEINFO
# Keyed by message length << 8 | family; (layout, with an NDA_LLADDR, family).
_LAYOUTS: dict[int, tuple[struct.Struct, bool, int]] = {
    76 << 8 | AF_INET: (struct.Struct(_HEAD + _TYPE + "4s" + _ATTR + "6s2x" + _CI), True, AF_INET),
    64 << 8 | AF_INET: (struct.Struct(_HEAD + _TYPE + "4s" + _CI), False, AF_INET),
    88 << 8 | AF_INET6: (
        struct.Struct(_HEAD + _TYPE + "16s" + _ATTR + "6s2x" + _CI),
        True,
        AF_INET6,
    ),
    76 << 8 | AF_INET6: (struct.Struct(_HEAD + _TYPE + "16s" + _CI), False, AF_INET6),
}


# An IPv4 address spelled from its bytes through this table costs half an
# inet_ntop call, and there is one per entry.
_DECIMAL = tuple(str(i) for i in range(256))

DUMP_DONE = 1
DUMP_INTERRUPTED = 2


def decode_neigh_batch(
    buf: memoryview,
    links: LinkInfo,
    out: list[Row],
    keep: Callable[[Row], bool] | None = None,
    states_mask: int = ALL_STATES,
) -> int:
    """Append a row for each RTM_NEWNEIGH message in one dump datagram.

    ``states_mask`` is the filter's state mask (see filters.py), applied before
    a row is built; ``keep`` is the rest of the filter, called per row.
    Returns DUMP_DONE and/or DUMP_INTERRUPTED bits: this walk over the
    messages is the only one, so it also watches for the end of the dump, an
    error (raised as our error) and NLM_F_DUMP_INTR.
    """
    layouts = _LAYOUTS
    ntop = inet_ntop
    dec = _DECIMAL
    names = links.names
    states = _STATES
    append = out.append
    bypass = _BYPASS_STATE
    none_ok = states_mask & NONE_BIT
    status = 0
    size = len(buf)
    offset = 0
    hdr = NLMSGHDR.size  # the ndmsg family byte follows the header
    last_ifindex = -1
    dev = ""
    while offset + hdr <= size:
        # Length (< 64 KiB in a dump datagram) and family, without a struct call.
        length = buf[offset] | (buf[offset + 1] << 8)
        layout = layouts.get(length << 8 | buf[offset + hdr]) if offset + hdr < size else None
        if layout is not None:
            # The longest run of messages of this length that fits; the run ends
            # at the first message that is not of this shape (its own length
            # field differs, or an attribute does), which the next turn reads.
            unpacker, with_lladdr, run_family = layout
            start = offset
            for fields in unpacker.iter_unpack(buf[offset : size - (size - offset) % length]):
                if with_lladdr:
                    (mlen, kind, mflags, family, ifindex, state, nflags, dtype, draw,
                     llen, ltype, llraw, ptype, probes, clen, ctype,
                     confirmed, used, updated, refcnt) = fields  # fmt: skip
                    ok = ltype == NDA_LLADDR and llen == 10
                else:
                    (mlen, kind, mflags, family, ifindex, state, nflags, dtype, draw,
                     ptype, probes, clen, ctype,
                     confirmed, used, updated, refcnt) = fields  # fmt: skip
                    llraw = None
                    ok = True
                if not (
                    ok
                    and mlen == length
                    and kind == RTM_NEWNEIGH
                    and dtype == NDA_DST
                    and ptype == NDA_PROBES
                    and ctype == NDA_CACHEINFO
                    and clen == 20
                    and family == run_family  # IPv4 with a MAC and IPv6 without: 76 bytes
                ):
                    break
                offset += length
                if mflags & NLM_F_DUMP_INTR:
                    status |= DUMP_INTERRUPTED
                if not (states_mask & state) and not (nflags & bypass) and (state or not none_ok):
                    continue
                st = states[state & 0xFF]
                if ifindex != last_ifindex:  # a dump lists a device's entries together
                    last_ifindex = ifindex
                    dev = names.get(ifindex) or str(ifindex)
                row = (
                    family,
                    f"{dec[draw[0]]}.{dec[draw[1]]}.{dec[draw[2]]}.{dec[draw[3]]}"
                    if family == AF_INET
                    else ntop(family, draw),
                    dev,
                    st if st is not None else nud_state(state & 0xFF),
                    NO_FLAGS if not nflags else neigh_flags(nflags),
                    llraw.hex(":") if llraw is not None else None,
                    ifindex,
                    refcnt,
                    used / USER_HZ,
                    confirmed / USER_HZ,
                    updated / USER_HZ,
                    probes,
                    None,
                )
                if keep is None or keep(row):
                    append(row)
            if offset != start:
                continue
        length, kind, msg_flags, _, _ = NLMSGHDR.unpack_from(buf, offset)
        if length < hdr:
            break
        if msg_flags & NLM_F_DUMP_INTR:
            status |= DUMP_INTERRUPTED
        if kind == NLMSG_DONE:
            return status | DUMP_DONE
        if kind == NLMSG_ERROR:
            (code,) = NLMSGERR.unpack_from(buf, offset + NLMSGHDR.size)
            if code:
                raise error_from_errno(-code, "reading the neighbour table")
            return status | DUMP_DONE
        entry = _decode_generic(buf, offset, length, links)
        offset += (length + 3) & ~3
        if entry is None:
            continue
        state = int(entry[3])
        if not (states_mask & state) and not (int(entry[4]) & bypass) and (state or not none_ok):
            continue
        if keep is None or keep(entry):
            append(entry)
    return status


class LinkChange(NamedTuple):
    """An RTM_NEWLINK or RTM_DELLINK notification: the device's index, name and ARPHRD type."""

    ifindex: int
    name: str
    link_type: int


LINK_KINDS = frozenset({RTM_NEWLINK, RTM_DELLINK})


def decode_link(buf: memoryview | bytes | bytearray, offset: int, length: int) -> LinkChange:
    """One RTM_NEWLINK/RTM_DELLINK message (header at ``offset``)."""
    _, link_type, index, _, _ = IFINFOMSG.unpack_from(buf, offset + NLMSGHDR.size)
    name = ""
    start = offset + NLMSGHDR.size + IFINFOMSG.size
    for atype, pos, end in attributes(buf, start, offset + length):
        if atype == IFLA_IFNAME:
            raw = bytes(buf[pos:end]).split(b"\0", 1)[0]
            name = raw.decode("utf-8", "surrogateescape")
            break
    return LinkChange(int(index), name, int(link_type))


def decode_neigh_events(
    buf: memoryview | bytes | bytearray,
    links: LinkInfo,
    out: list[tuple[int, Neighbor]],
    link_out: list[tuple[int, int, LinkChange]] | None = None,
) -> None:
    """Append (message type, Neighbor) for each RTM_NEW/DEL/GETNEIGH message in a datagram.

    With ``link_out``, also append (position in ``out``, message type,
    LinkChange) for each RTM_NEWLINK/RTM_DELLINK, so that a caller can apply
    link changes in order between the neighbour messages. Notifications come
    a few at a time, so the generic decoder is fast enough.
    """
    view = memoryview(buf)
    for offset in messages(view):
        length, kind, _, _, _ = NLMSGHDR.unpack_from(view, offset)
        if kind in EVENT_KINDS:
            row = _decode_generic(view, offset, length, links, EVENT_KINDS)
            if row is not None:
                out.append((kind, fast_neighbor(*row)))
        elif link_out is not None and kind in LINK_KINDS:
            link_out.append((len(out), kind, decode_link(view, offset, length)))


def _decode_generic(
    buf: memoryview,
    offset: int,
    length: int,
    links: LinkInfo,
    kinds: frozenset[int] = NEIGH_KINDS,
) -> Row | None:
    """Any neighbour message of ``kinds``, attribute by attribute; None for other types."""
    _, kind, _, _, _ = NLMSGHDR.unpack_from(buf, offset)
    if kind not in kinds:
        return None
    family, ifindex, state, nflags, _ = NDMSG.unpack_from(buf, offset + NLMSGHDR.size)
    dst = lladdr = None
    ci = None
    probes = protocol = None
    ext = 0
    start = offset + NLMSGHDR.size + NDMSG.size
    for atype, pos, end in attributes(buf, start, offset + length):
        if atype == NDA_DST:
            dst = inet_ntop(family, buf[pos:end])
        elif atype == NDA_LLADDR:
            lladdr = format_lladdr(bytes(buf[pos:end]), links.types.get(ifindex))
        elif atype == NDA_CACHEINFO:
            ci = CACHEINFO.unpack_from(buf, pos)
        elif atype == NDA_PROBES:
            probes = U32.unpack_from(buf, pos)[0]
        elif atype == NDA_PROTOCOL:
            protocol = buf[pos] or None
        elif atype == NDA_FLAGS_EXT:
            ext = U32.unpack_from(buf, pos)[0]
    if dst is None:
        return None
    allflags = nflags | ((ext & KNOWN_EXT_FLAGS) << EXT_FLAG_SHIFT)
    confirmed = used = updated = None
    refcnt = None
    if ci is not None:
        c, u, up, refcnt = ci
        confirmed, used, updated = c / USER_HZ, u / USER_HZ, up / USER_HZ
    return (
        family,
        dst,
        links.names.get(ifindex, str(ifindex)) if ifindex else "",
        nud_state(state & 0xFF),
        neigh_flags(allflags),
        lladdr,
        ifindex,
        refcnt,
        used,
        confirmed,
        updated,
        probes,
        protocol,
    )
