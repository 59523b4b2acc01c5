"""A plain NETLINK_ROUTE socket: requests, dumps and errors, no pyroute2.

`import pyroute2` costs ~0.25 s and its generic decoder ~100 µs per neighbour;
the read path of `show` uses this module instead (see README, design notes).
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import struct
from collections.abc import Iterator

from neighctl.errors import (
    EntryExistsError,
    KernelError,
    NeighctlError,
    NotFoundError,
    PermissionDeniedError,
)
from neighctl.kernel.netns import entered

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

RTM_NEWLINK = 16
RTM_GETLINK = 18
RTM_NEWNEIGH = 28
RTM_DELNEIGH = 29
RTM_GETNEIGH = 30

NLMSGHDR = struct.Struct("=IHHII")
NLATTR = struct.Struct("=HH")
RECV_SIZE = 1 << 16  # the kernel sizes dump batches to what we offer, up to 32 KiB


class DumpInterrupted(Exception):
    """The table changed during the dump (NLM_F_DUMP_INTR): start again."""


def attr(kind: int, payload: bytes) -> bytes:
    """One netlink attribute, padded to 4 bytes."""
    length = NLATTR.size + len(payload)
    return NLATTR.pack(length, kind) + payload + b"\0" * ((-length) % 4)


def extack_message(msg: bytes | bytearray, offset: int, length: int, flags: int) -> str | None:
    """The kernel's extended-ack text in the NLMSG_ERROR message at ``offset``, if any."""
    if not flags & NLM_F_ACK_TLVS:
        return None
    echoed = offset + NLMSGHDR.size + 4
    if echoed + NLMSGHDR.size > offset + length:
        return None
    (echoed_len,) = struct.unpack_from("=I", msg, echoed)
    pos = echoed + (NLMSGHDR.size if flags & NLM_F_CAPPED else (echoed_len + 3) & ~3)
    end = offset + length
    while pos + NLATTR.size <= end:
        alen, kind = NLATTR.unpack_from(msg, pos)
        if alen < NLATTR.size:
            break
        if kind == NLMSGERR_ATTR_MSG:
            text = bytes(msg[pos + NLATTR.size : pos + alen]).split(b"\0", 1)[0]
            return text.decode("utf-8", "replace").strip().rstrip(".") or None
        pos += (alen + 3) & ~3
    return None


def error_from_errno(code: int, what: str, detail: str | None = None) -> NeighctlError:
    """Map a netlink errno to our error with a hint of what to do.

    ``detail`` is the kernel's extended-ack message; it is shown for refusals
    whose errno alone says little (EINVAL and the like).
    """
    reason = os.strerror(code)
    if code in (errno.EPERM, errno.EACCES):
        return PermissionDeniedError(f"{what}: {reason}", "this needs CAP_NET_ADMIN: run with sudo")
    if code == errno.EEXIST:
        return EntryExistsError(f"{what}: the entry already exists", "use --replace to change it")
    if code in (errno.ENOENT, errno.ESRCH):
        return NotFoundError(f"{what}: no such entry")
    if code == errno.ENODEV:
        return NotFoundError(f"{what}: no such device")
    if detail:
        reason = f"{detail} ({reason})"
    return KernelError(f"{what}: the kernel refused: {reason}", errno=code)


class RouteSocket:
    """A NETLINK_ROUTE socket, optionally opened inside a named namespace."""

    def __init__(self, netns: str | None = None) -> None:
        with entered(netns):
            self.sock = socket.socket(
                socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, NETLINK_ROUTE
            )
        self.sock.bind((0, 0))
        for option in (NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK):
            # Older kernels lack these: no extended acks, lenient dump parsing.
            with contextlib.suppress(OSError):
                self.sock.setsockopt(SOL_NETLINK, option, 1)
        self.seq = 0
        self.buffer = bytearray(RECV_SIZE)

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> RouteSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, msg_type: int, flags: int, payload: bytes) -> int:
        self.seq += 1
        header = NLMSGHDR.pack(NLMSGHDR.size + len(payload), msg_type, flags, self.seq, 0)
        self.sock.send(header + payload)
        return self.seq

    def dump_batches(self, msg_type: int, payload: bytes, what: str) -> Iterator[memoryview]:
        """Send a dump request; yield each received datagram (messages in a batch).

        Raises DumpInterrupted after the last batch if any message carried
        NLM_F_DUMP_INTR, so that the caller retries instead of using half a table.
        """
        seq = self.send(msg_type, NLM_F_REQUEST | NLM_F_DUMP, payload)
        interrupted = False
        view = memoryview(self.buffer)
        recv_into = self.sock.recv_into
        unpack = NLMSGHDR.unpack_from
        while True:
            size = recv_into(self.buffer)
            offset = 0
            done = False
            while offset + NLMSGHDR.size <= size:
                length, kind, flags, msg_seq, _ = unpack(self.buffer, offset)
                if length < NLMSGHDR.size:
                    raise KernelError(f"{what}: malformed netlink message")
                if msg_seq == seq:
                    if flags & NLM_F_DUMP_INTR:
                        interrupted = True
                    if kind == NLMSG_DONE:
                        done = True
                        break
                    if kind == NLMSG_ERROR:
                        (code,) = struct.unpack_from("=i", self.buffer, offset + NLMSGHDR.size)
                        if code:
                            raise error_from_errno(-code, what)
                        done = True
                        break
                offset += (length + 3) & ~3
            yield view[:size]
            if done:
                break
        if interrupted:
            raise DumpInterrupted(what)

    def start_dump(self, msg_type: int, payload: bytes) -> Iterator[memoryview]:
        """Send a dump request; yield received datagrams until the caller stops.

        For callers that walk the messages themselves (the neighbour decoder
        watches for NLMSG_DONE, errors and NLM_F_DUMP_INTR in its one pass).
        """
        self.send(msg_type, NLM_F_REQUEST | NLM_F_DUMP, payload)
        view = memoryview(self.buffer)
        recv_into = self.sock.recv_into
        while True:
            yield view[: recv_into(self.buffer)]

    def request(self, msg_type: int, flags: int, payload: bytes, what: str) -> list[bytes]:
        """Send one request with NLM_F_ACK; return reply messages; raise on an error ack."""
        seq = self.send(msg_type, flags | NLM_F_REQUEST | NLM_F_ACK, payload)
        replies: list[bytes] = []
        while True:
            size = self.sock.recv_into(self.buffer)
            offset = 0
            while offset + NLMSGHDR.size <= size:
                length, kind, msg_flags, msg_seq, _ = NLMSGHDR.unpack_from(self.buffer, offset)
                if length < NLMSGHDR.size:
                    raise KernelError(f"{what}: malformed netlink message")
                if msg_seq == seq:
                    if kind == NLMSG_ERROR:
                        (code,) = struct.unpack_from("=i", self.buffer, offset + NLMSGHDR.size)
                        if code:
                            detail = extack_message(self.buffer, offset, length, msg_flags)
                            raise error_from_errno(-code, what, detail)
                        return replies
                    if kind == NLMSG_DONE:
                        return replies
                    replies.append(bytes(self.buffer[offset : offset + length]))
                offset += (length + 3) & ~3
