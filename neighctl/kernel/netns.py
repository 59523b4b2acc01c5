"""Entering a named network namespace (what `ip -n NAME` does), and leaving it.

A socket opened inside the namespace stays bound to it after we switch back,
so callers open their sockets inside ``entered()`` and use them outside.
Unlike pyroute2's NetNS, nothing here ever creates a namespace.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager

from neighctl.errors import (
    NamespaceNotFoundError,
    NotANamespaceError,
    PermissionDeniedError,
    UsageError,
)

NETNS_RUN_DIR = "/run/netns"
CLONE_NEWNET = 0x40000000


def netns_path(name: str) -> str:
    """The bind-mount of namespace ``name``; an error if it does not exist."""
    if not name or "/" in name or name in (".", ".."):
        raise UsageError(f"{name!r} is not a valid namespace name")
    path = os.path.join(NETNS_RUN_DIR, name)
    if not os.path.exists(path):
        raise NamespaceNotFoundError(
            f"network namespace {name!r} does not exist", "list them with `ip netns list`"
        )
    return path


def _setns(fd: int) -> None:
    setns = getattr(os, "setns", None)  # Python 3.12+
    if setns is not None:
        setns(fd, CLONE_NEWNET)
        return
    import ctypes  # only on 3.10/3.11, and only when a namespace is named

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def open_namespace(name: str) -> int:
    """An O_RDONLY fd of namespace ``name`` under /run/netns (the caller closes it).

    Raises UsageError for a malformed name, NamespaceNotFoundError if there is
    none (never creates one), PermissionDeniedError if it cannot be opened.
    """
    path = netns_path(name)
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except PermissionError:
        raise PermissionDeniedError(
            f"cannot open network namespace {name!r}", "run with sudo"
        ) from None
    except FileNotFoundError:
        raise NamespaceNotFoundError(
            f"network namespace {name!r} does not exist", "list them with `ip netns list`"
        ) from None


@contextmanager
def entered(netns: str | int | None, label: str | None = None) -> Iterator[None]:
    """Run the body inside a network namespace, then return to this thread's own.

    ``netns`` is a /run/netns name, an open namespace fd, or None (stay where
    we are). ``label`` names an fd in messages.
    """
    if netns is None:
        yield
        return
    if isinstance(netns, str):
        target = open_namespace(netns)
        try:
            with entered(target, netns):
                yield
        finally:
            os.close(target)
        return
    name = label or f"fd {netns}"
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        try:
            _setns(netns)
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.EACCES):
                raise PermissionDeniedError(
                    f"entering network namespace {name!r} needs CAP_SYS_ADMIN",
                    "run with sudo",
                ) from None
            if exc.errno == errno.EINVAL:  # e.g. a /run/netns file left after its mount went
                raise NotANamespaceError(
                    f"{name!r} is not a network namespace (a stale /run/netns entry?)",
                    "list them with `ip netns list`",
                ) from None
            raise
        try:
            yield
        finally:
            _setns(home)
    finally:
        os.close(home)
