"""Every network namespace on the node, each once, found without creating any.

Named namespaces are the bind mounts under /run/netns (what `ip netns list`
shows); container runtimes leave most namespaces unnamed, reachable only as
/proc/PID/ns/net of a process inside them. A namespace's identity is the
inode of its nsfs file, the same through every path, so each is visited once.
Entering one is ``setns`` on an open descriptor of such a path
(``open_ref`` then neighctl.kernel.netns.entered): opening an existing file
never makes a namespace, unlike pyroute2's NetNS without ``flags=0``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from neighctl.errors import NamespaceNotFoundError, PermissionDeniedError
from neighctl.kernel.netns import NETNS_RUN_DIR, netns_path

SELF_NETNS = "/proc/thread-self/ns/net"


@dataclass(frozen=True, slots=True)
class NamespaceRef:
    """Where to find one namespace: ``path`` to open, its nsfs ``inode``.

    ``name`` is its /run/netns name, if it has one; ``current`` is True for
    the namespace this thread runs in (entered without setns); ``pid`` is a
    process inside it when it was found through /proc (the first one seen).
    """

    inode: int
    path: str
    name: str | None = None
    current: bool = False
    pid: int | None = None

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.current:
            return "host"
        return f"inode:{self.inode}"


def namespace_inode(path: str) -> int | None:
    """The nsfs inode behind ``path`` (a bind mount or /proc link); None if unreadable."""
    try:
        return os.stat(path).st_ino
    except OSError:  # gone, or not permitted
        return None


def current_inode() -> int | None:
    return namespace_inode(SELF_NETNS)


def named_namespaces() -> dict[str, int]:
    """Name -> inode of each namespace under /run/netns."""
    try:
        names = sorted(os.listdir(NETNS_RUN_DIR))
        nsfs_dev = os.stat(SELF_NETNS).st_dev
    except OSError:  # no directory: nobody has named a namespace yet
        return {}
    out: dict[str, int] = {}
    for name in names:
        try:
            st = os.stat(os.path.join(NETNS_RUN_DIR, name))
        except OSError:
            continue
        # A file left under /run/netns without its bind mount lives on tmpfs;
        # only a file on nsfs (one superblock for all) is a namespace.
        if st.st_dev == nsfs_dev:
            out[name] = st.st_ino
    return out


def process_namespaces() -> dict[int, int]:
    """Inode -> the first PID (lowest) whose /proc/PID/ns/net is that namespace."""
    out: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return out
    pids = sorted(int(e) for e in entries if e.isdigit())
    for pid in pids:
        try:
            link = os.readlink(f"/proc/{pid}/ns/net")  # "net:[4026531840]"
        except OSError:  # exited, a kernel thread, or not permitted
            continue
        if link.startswith("net:[") and link.endswith("]"):
            out.setdefault(int(link[5:-1]), pid)
    return out


def list_namespaces() -> list[NamespaceRef]:
    """Every network namespace on the node, each once: the current one first,
    then named ones by name, then unnamed ones by inode."""
    current = current_inode()
    named = named_namespaces()
    by_inode: dict[int, NamespaceRef] = {}
    refs: list[NamespaceRef] = []
    if current is not None:
        name = next((n for n, ino in named.items() if ino == current), None)
        ref = NamespaceRef(inode=current, path=SELF_NETNS, name=name, current=True)
        by_inode[current] = ref
        refs.append(ref)
    for name, inode in named.items():
        if inode in by_inode:
            continue
        ref = NamespaceRef(inode=inode, path=os.path.join(NETNS_RUN_DIR, name), name=name)
        by_inode[inode] = ref
        refs.append(ref)
    for inode, pid in sorted(process_namespaces().items()):
        if inode in by_inode:
            continue
        ref = NamespaceRef(inode=inode, path=f"/proc/{pid}/ns/net", pid=pid)
        by_inode[inode] = ref
        refs.append(ref)
    return refs


def named_ref(name: str) -> NamespaceRef:
    """The namespace called ``name``; NamespaceNotFoundError if there is none (never creates)."""
    path = netns_path(name)
    inode = namespace_inode(path)
    current = current_inode()
    return NamespaceRef(
        inode=inode if inode is not None else 0,
        path=path,
        name=name,
        current=inode is not None and inode == current,
    )


def current_ref() -> NamespaceRef:
    """The namespace this thread runs in."""
    inode = current_inode()
    named = named_namespaces()
    name = next((n for n, ino in named.items() if ino == inode), None)
    return NamespaceRef(inode=inode or 0, path=SELF_NETNS, name=name, current=True)


def open_ref(ref: NamespaceRef) -> int | None:
    """An fd to enter ``ref`` with netns.entered (None for the current namespace).

    Raises PermissionDeniedError if it cannot be opened, NamespaceNotFoundError
    if it is gone (its last process exited, or its name was removed).
    """
    if ref.current:
        return None
    try:
        fd = os.open(ref.path, os.O_RDONLY | os.O_CLOEXEC)
    except PermissionError:
        raise PermissionDeniedError(
            f"cannot open network namespace {ref.label}", "run with sudo"
        ) from None
    except (FileNotFoundError, ProcessLookupError):
        raise NamespaceNotFoundError(f"network namespace {ref.label} is gone") from None
    # A /proc/PID link reused by another process since it was listed would name
    # another namespace: check the inode of what was opened.
    if ref.inode and os.fstat(fd).st_ino != ref.inode:
        os.close(fd)
        raise NamespaceNotFoundError(f"network namespace {ref.label} is gone")
    return fd
