"""A plain NETLINK_ROUTE socket for the hot paths: the bulk neighbour dump and ntable.

`import pyroute2` costs ~0.25-0.5 s and its generic decoder ~100 µs per
neighbour; the read path of `show` uses this module instead (docs/design.md).
Every other request goes through pyroute2 (kernel/rtnl.py).
"""

from __future__ import annotations

import contextlib
import errno
import os

# The C socket type under `socket.socket`: the Python wrapper builds enums on
# import (a measurable part of `show`'s start-up) and adds nothing used here.
from _socket import AF_NETLINK, SOCK_CLOEXEC, SOCK_RAW
from _socket import socket as raw_socket
from collections.abc import Iterator

from neighctl.errors import (
    EntryExistsError,
    KernelError,
    NeighctlError,
    NotFoundError,
    PermissionDeniedError,
)
from neighctl.kernel.netns import entered
from neighctl.kernel.proto import (
    NETLINK_EXT_ACK,
    NETLINK_GET_STRICT_CHK,
    NETLINK_ROUTE,
    NLM_F_ACK,
    NLM_F_ACK_TLVS,
    NLM_F_CAPPED,
    NLM_F_DUMP,
    NLM_F_DUMP_INTR,
    NLM_F_REQUEST,
    NLMSG_DONE,
    NLMSG_ERROR,
    NLMSGERR,
    NLMSGERR_ATTR_MSG,
    NLMSGHDR,
    SOL_NETLINK,
    U32,
    attributes,
    messages,
)

RECV_SIZE = 1 << 16  # the kernel sizes dump batches to what we offer, up to 32 KiB


class DumpInterrupted(Exception):
    """The table changed during the dump (NLM_F_DUMP_INTR): start again."""


def extack_message(msg: bytes | bytearray, offset: int, length: int, flags: int) -> str | None:
    """The kernel's extended-ack text in the NLMSG_ERROR message at ``offset``, if any."""
    if not flags & NLM_F_ACK_TLVS:
        return None
    echoed = offset + NLMSGHDR.size + 4
    if echoed + NLMSGHDR.size > offset + length:
        return None
    (echoed_len,) = U32.unpack_from(msg, echoed)
    pos = echoed + (NLMSGHDR.size if flags & NLM_F_CAPPED else (echoed_len + 3) & ~3)
    for kind, start, stop in attributes(msg, pos, offset + length):
        if kind == NLMSGERR_ATTR_MSG:
            text = bytes(msg[start:stop]).split(b"\0", 1)[0]
            return text.decode("utf-8", "replace").strip().rstrip(".") or None
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
    """A NETLINK_ROUTE socket, opened inside ``netns`` (a /run/netns name, an open
    namespace fd, or None for our own); ``label`` names an fd in messages."""

    def __init__(self, netns: str | int | None = None, label: str | None = None) -> None:
        with entered(netns, label):
            self.sock = raw_socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)
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
        done = False
        while not done:
            size = recv_into(self.buffer)
            for offset in messages(self.buffer, size):
                _, kind, flags, msg_seq, _ = unpack(self.buffer, offset)
                if msg_seq != seq:
                    continue
                if flags & NLM_F_DUMP_INTR:
                    interrupted = True
                if kind == NLMSG_ERROR:
                    (code,) = NLMSGERR.unpack_from(self.buffer, offset + NLMSGHDR.size)
                    if code:
                        raise error_from_errno(-code, what)
                if kind in (NLMSG_DONE, NLMSG_ERROR):
                    done = True
                    break
            yield view[:size]
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
            for offset in messages(self.buffer, size):
                length, kind, msg_flags, msg_seq, _ = NLMSGHDR.unpack_from(self.buffer, offset)
                if msg_seq != seq:
                    continue
                if kind == NLMSG_ERROR:
                    (code,) = NLMSGERR.unpack_from(self.buffer, offset + NLMSGHDR.size)
                    if code:
                        detail = extack_message(self.buffer, offset, length, msg_flags)
                        raise error_from_errno(-code, what, detail)
                    return replies
                if kind == NLMSG_DONE:
                    return replies
                replies.append(bytes(self.buffer[offset : offset + length]))
