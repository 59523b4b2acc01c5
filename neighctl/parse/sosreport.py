"""A sosreport, or any directory of command outputs, as a neighctl.snapshot.Snapshot.

sos saves each command's output under ``sos_commands/PLUGIN/`` in a file
named after the command (sos/report/plugins/__init__.py, _mangle_command:
runs of characters other than word characters, ``-``, ``.`` and ``/`` become
``_``, ``/`` becomes ``.``). The networking plugin
(sos/report/plugins/networking.py) runs, among others, ``ip -s -s neigh
show``, ``ip neigh show nud noarp``, ``ip -s -d link``, ``ip -d address``,
``ip route show table all``, ``ip -6 route show table all``, ``bridge -s -s
-d -t fdb show`` and ``ip netns``; for each namespace NS, ``ip netns exec NS
ip -d address show``, ``... ip route show table all``, ``... ip -s -s neigh
show`` and ``... sysctl -a`` under ``namespaces/NS/`` (in networking/ itself
before sos 4.3). The kernel plugin saves ``sysctl -a``. Older sos ran ``ip
neigh show``, ``ip link`` and ``ip address``; those names are tried next.

A directory that is not a sosreport is read file by file, each file's kind
found from its content. A field whose output is missing stays None and
``NamespaceSnapshot.unread`` says why, so the doctor can name what it skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from neighctl.errors import NeighctlError, UsageError
from neighctl.model import AF_INET6, Neighbor
from neighctl.parse.base import Warn
from neighctl.parse.links import looks_like_links, parse_addresses, parse_links
from neighctl.parse.routes import looks_like_fdb, looks_like_routes, parse_fdb, parse_routes
from neighctl.parse.tables import (
    looks_like_ntable,
    looks_like_sysctls,
    parms_from_sysctls,
    parse_ntable,
    parse_sysctls,
    tables_from_sysctls,
)
from neighctl.snapshot import NamespaceSnapshot, Snapshot
from neighctl.timers import TableParms

NETWORKING = os.path.join("sos_commands", "networking")
SYSCTL_FILE = os.path.join("sos_commands", "kernel", "sysctl_-a")
PROC_ARP = os.path.join("proc", "net", "arp")
# A command output bigger than this is not a table neighctl should hold whole.
MAX_FILE = 1 << 30
T = TypeVar("T")

# What each field is read from, in order of preference (newest sos first).
HOST_COMMANDS: dict[str, tuple[str, ...]] = {
    "neighbors": ("ip -s -s neigh show", "ip neigh show"),
    "noarp": ("ip neigh show nud noarp",),
    "links": ("ip -s -d link", "ip -d link", "ip -s link", "ip link"),
    "addresses": ("ip -d address", "ip address", "ip -o addr", "ip addr"),
    "routes": ("ip route show table all", "ip route"),
    "routes6": ("ip -6 route show table all",),
    "fdb": ("bridge -s -s -d -t fdb show", "bridge fdb show"),
}
NS_COMMANDS: dict[str, tuple[str, ...]] = {
    "neighbors": ("ip -s -s neigh show", "ip neigh show"),
    "addresses": ("ip -d address show", "ip address show"),
    "routes": ("ip route show table all",),
    "sysctls": ("sysctl -a",),
}


def mangle(command: str) -> str:
    """The file name sos gives a command's output (sos's _mangle_command, less truncation)."""
    name = re.sub(r"^/(usr/|)(bin|sbin)/", "", command)
    name = re.sub(r"[^\w\-\.\/]+", "_", name)
    return re.sub(r"/", ".", name).strip(" ._-")


def _read(path: str) -> str:
    """A small text file (one command's output), with the stream's binary and UTF-8 checks."""
    from neighctl.parse.stream import read_all

    try:
        if os.path.getsize(path) > MAX_FILE:
            raise UsageError(f"{path}: larger than {MAX_FILE >> 20} MiB: not one command's output")
        with open(path, "rb") as f:
            return read_all(f, path)
    except PermissionError:
        raise UsageError(f"{path}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None


def _head(path: str, size: int = 1 << 16) -> str:
    """The first ``size`` bytes of a file as text (enough to tell which output it is)."""
    try:
        with open(path, "rb") as f:
            data = f.read(size)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    return (
        data.decode("utf-8", "replace").rpartition("\n")[0]
        if len(data) == size
        else data.decode("utf-8", "replace")
    )


def _neighbors(path: str, lenient: Warn | None) -> list[Neighbor]:
    from neighctl.parse import read_path

    return read_path(path, lenient=lenient)


class _Loader:
    """Fills one NamespaceSnapshot, field by field, recording what it could not read."""

    def __init__(self, ns: NamespaceSnapshot, root: str, lenient: Warn | None) -> None:
        self.ns = ns
        self.root = root
        self.lenient = lenient

    def find(self, directory: str, names: tuple[str, ...]) -> str | None:
        for name in names:
            path = os.path.join(directory, name)
            if os.path.isfile(path):
                return path
        return None

    def load(
        self, field: str, path: str | None, parse: Callable[[str], T], looked: str
    ) -> T | None:
        """parse(path) or None; a missing file or one that cannot be read goes into ``unread``."""
        if path is None:
            self.ns.unread[field] = f"no {looked}"
            return None
        try:
            return parse(path)
        except NeighctlError as exc:
            self.ns.unread[field] = str(exc)
            return None

    def rel(self, path: str) -> str:
        return os.path.relpath(path, self.root)


def _exactness(entries: list[Neighbor]) -> float:
    """The share of entries with one known state (not a set from /proc or arp)."""
    exact = sum(1 for n in entries if int(n.state).bit_count() <= 1)
    return exact / len(entries) if entries else 0.0


def _merge(*lists: list[Neighbor] | None) -> list[Neighbor] | None:
    """Entries of several outputs of one table, each entry once (the first output wins)."""
    present = [entries for entries in lists if entries is not None]
    if not present:
        return None
    seen: dict[tuple[str, str, int], Neighbor] = {}
    for entries in present:
        for n in entries:
            seen.setdefault((n.dst, n.dev, int(n.flags) & 8), n)
    return list(seen.values())


def is_sosreport(path: str) -> str | None:
    """The sosreport root at or just under ``path`` (an unpacked archive's one folder), or None."""
    if os.path.isdir(os.path.join(path, "sos_commands")):
        return path
    try:
        subdirs = [e.path for e in os.scandir(path) if e.is_dir()]
    except OSError:
        return None
    found = [d for d in subdirs if os.path.isdir(os.path.join(d, "sos_commands"))]
    return found[0] if len(found) == 1 else None


def _host(root: str, lenient: Warn | None) -> tuple[NamespaceSnapshot, dict[str, str] | None]:
    ns = NamespaceSnapshot(current=True)
    loader = _Loader(ns, root, lenient)
    net = os.path.join(root, NETWORKING)

    def file(field: str) -> str | None:
        return loader.find(net, tuple(mangle(c) for c in HOST_COMMANDS[field]))

    looked = {f: f"{NETWORKING}/{mangle(HOST_COMMANDS[f][0])}" for f in HOST_COMMANDS}
    neigh = loader.load(
        "neighbors", file("neighbors"), lambda p: _neighbors(p, lenient), looked["neighbors"]
    )
    noarp = loader.load("noarp", file("noarp"), lambda p: _neighbors(p, lenient), looked["noarp"])
    ns.unread.pop("noarp", None)
    # The NOARP listing completes the table; alone it is not one (it holds NOARP
    # entries and the proxy and extern_learn ones that bypass its state filter).
    if neigh is not None:
        ns.neighbors = _merge(neigh, noarp)
    elif os.path.isfile(os.path.join(root, PROC_ARP)):
        proc = _neighbors(os.path.join(root, PROC_ARP), lenient)
        ns.neighbors = _merge(noarp, proc)  # ip's exact states and flags first
        ns.unread["neighbors"] = f"only {PROC_ARP}: IPv4 entries, states as sets"
    links_file = file("links") or file("addresses")
    ns.links = loader.load("links", links_file, lambda p: parse_links(_read(p)), looked["links"])
    ns.addresses = loader.load(
        "addresses", file("addresses"), lambda p: parse_addresses(_read(p)), looked["addresses"]
    )
    routes = loader.load(
        "routes", file("routes"), lambda p: parse_routes(_read(p)), looked["routes"]
    )
    routes6 = loader.load(
        "routes6", file("routes6"), lambda p: parse_routes(_read(p), AF_INET6), looked["routes6"]
    )
    ns.unread.pop("routes6", None)
    if routes is not None:
        known = {(r.family, r.dst, r.table, r.dev) for r in routes}
        extra = [r for r in routes6 or () if (r.family, r.dst, r.table, r.dev) not in known]
        ns.routes = [*routes, *extra]
    elif routes6 is not None:
        ns.routes = routes6
    ns.fdb = loader.load("fdb", file("fdb"), lambda p: parse_fdb(_read(p)), looked["fdb"])
    sysctls = loader.load(
        "sysctls", loader.find(root, (SYSCTL_FILE,)), lambda p: parse_sysctls(_read(p)), SYSCTL_FILE
    )
    ns.sysctls = sysctls
    if ns.sysctls is not None:
        ns.parms = parms_from_sysctls(ns.sysctls)
    else:
        ns.unread["parms"] = f"no {SYSCTL_FILE}"
    return ns, ns.sysctls


def namespace_names(root: str) -> list[str]:
    """Namespaces sos visited: `ip netns`'s list and the namespaces/ folders."""
    net = os.path.join(root, NETWORKING)
    names: list[str] = []
    listing = os.path.join(net, "ip_netns")
    if os.path.isfile(listing):
        for line in _read(listing).splitlines():
            words = line.split()
            if words and not line.startswith(("Error", "Cannot")):
                names.append(words[0])
    subdir = os.path.join(net, "namespaces")
    if os.path.isdir(subdir):
        names.extend(sorted(e.name for e in os.scandir(subdir) if e.is_dir()))
    return list(dict.fromkeys(names))


def _namespace(root: str, name: str, lenient: Warn | None) -> NamespaceSnapshot:
    ns = NamespaceSnapshot(name=name)
    loader = _Loader(ns, root, lenient)
    net = os.path.join(root, NETWORKING)
    folders = (os.path.join(net, "namespaces", name), net)

    def file(field: str) -> str | None:
        names = tuple(mangle(f"ip netns exec {name}  {c}") for c in NS_COMMANDS[field])
        for folder in folders:
            found = loader.find(folder, names)
            if found is not None:
                return found
        return None

    def looked(field: str) -> str:
        return f"{NETWORKING}/namespaces/{name}/{mangle(f'ip netns exec {name}  {NS_COMMANDS[field][0]}')}"

    ns.neighbors = loader.load(
        "neighbors", file("neighbors"), lambda p: _neighbors(p, lenient), looked("neighbors")
    )
    addresses = file("addresses")
    ns.links = loader.load("links", addresses, lambda p: parse_links(_read(p)), looked("addresses"))
    ns.addresses = loader.load(
        "addresses", addresses, lambda p: parse_addresses(_read(p)), looked("addresses")
    )
    ns.routes = loader.load(
        "routes", file("routes"), lambda p: parse_routes(_read(p)), looked("routes")
    )
    ns.unread["fdb"] = "sos does not save a namespace's bridge FDB"
    ns.sysctls = loader.load(
        "sysctls", file("sysctls"), lambda p: parse_sysctls(_read(p)), looked("sysctls")
    )
    if ns.sysctls is not None:
        ns.parms = parms_from_sysctls(ns.sysctls)
    return ns


def read_sosreport(root: str, lenient: Warn | None = None) -> Snapshot:
    host, sysctls = _host(root, lenient)
    namespaces = [host, *(_namespace(root, name, lenient) for name in namespace_names(root))]
    return Snapshot(
        namespaces=namespaces,
        tables=tables_from_sysctls(sysctls) if sysctls else None,
        complete=False,  # sos visits named namespaces only, never a container's unnamed ones
        source=root,
    )


# -- any directory of command outputs ------------------------------------------

KINDS = ("sysctls", "ntable", "links", "fdb", "routes", "neighbors")
_NEIGHBOUR_NAME = re.compile(r"neigh|arp|ndp", re.IGNORECASE)


def sniff(text: str) -> str | None:
    """Which command's output ``text`` is (one of KINDS), or None."""
    if looks_like_sysctls(text):
        return "sysctls"
    if looks_like_ntable(text):
        return "ntable"
    if looks_like_links(text):
        return "links"
    if looks_like_fdb(text):
        return "fdb"
    if looks_like_routes(text):
        return "routes"
    return None


class _Output:
    """One command's output: a file, or standard input already read."""

    def __init__(self, path: str, lenient: Warn | None, text: str | None = None) -> None:
        self.path = path
        self.name = os.path.basename(path) if text is None else path
        self.lenient = lenient
        self._text = text

    def head(self) -> str:
        return _head(self.path) if self._text is None else self._text[: 1 << 16]

    def text(self) -> str:
        return _read(self.path) if self._text is None else self._text

    def neighbors(self) -> list[Neighbor]:
        if self._text is None:
            return _neighbors(self.path, self.lenient)
        from neighctl.parse import read_text

        return read_text(self._text, path=self.path, lenient=self.lenient)


def read_outputs(paths: list[str], source: str, lenient: Warn | None = None) -> Snapshot:
    """Files of command outputs, each one's kind found from its content, as one namespace."""
    return _read_outputs([_Output(path, lenient) for path in sorted(paths)], source)


def _read_outputs(outputs: list[_Output], source: str) -> Snapshot:
    ns = NamespaceSnapshot(current=True)
    tables: dict[int, TableParms] = {}
    neighbor_lists: list[list[Neighbor]] = []
    unknown: list[tuple[str, str]] = []  # (file name, why)
    for output in outputs:
        name = output.name
        try:
            head = output.head()
            kind = sniff(head)
            text = output.text() if kind is not None else ""
        except NeighctlError as exc:
            unknown.append((name, str(exc)))
            continue
        if kind == "sysctls":
            ns.sysctls = {**(ns.sysctls or {}), **parse_sysctls(text)}
        elif kind == "ntable":
            parms, found = parse_ntable(text)
            ns.parms = [*(ns.parms or []), *parms]
            tables.update(found)
        elif kind == "links":
            ns.links = ns.links or parse_links(text)
            ns.addresses = [*(ns.addresses or []), *parse_addresses(text)]
        elif kind == "fdb":
            ns.fdb = [*(ns.fdb or []), *parse_fdb(text)]
        elif kind == "routes":
            ns.routes = [*(ns.routes or []), *parse_routes(text)]
        else:
            try:
                entries = output.neighbors()
            except NeighctlError as exc:
                unknown.append((name, str(exc)))
                continue
            # An empty table prints nothing: a blank file named for one is that; a file
            # of comments or prose, or any other blank file, is no table.
            if entries or (not head.strip() and _NEIGHBOUR_NAME.search(name)):
                neighbor_lists.append(entries)
            else:
                unknown.append(
                    (name, f"{name}: {'empty' if not head.strip() else 'no table rows in it'}")
                )
    # Several outputs of one table (`ip neigh` and `arp -an`, say): the most exact first.
    neighbor_lists.sort(key=lambda entries: -_exactness(entries))
    ns.neighbors = _merge(*neighbor_lists)
    if ns.sysctls is not None and ns.parms is None:
        ns.parms = parms_from_sysctls(ns.sysctls)
    if ns.sysctls is not None and not tables:
        tables = tables_from_sysctls(ns.sysctls) or {}
    # One reason for every part no output held, so the doctor lists them on one line.
    for field in ("neighbors", "links", "addresses", "routes", "fdb", "sysctls", "parms"):
        if getattr(ns, field) is None:
            ns.unread[field] = f"not in {source}"
    if unknown:
        names = ", ".join(name for name, _ in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        what = (
            "file that is not a command output"
            if len(unknown) == 1
            else ("files that are not command outputs")
        )
        ns.unread["files"] = (
            f"{len(unknown)} {what} neighctl reads: {names}{more} (first: {unknown[0][1]})"
        )
    if not tables:
        ns.unread["tables"] = f"not in {source}"
    fields = ("neighbors", "links", "addresses", "routes", "fdb", "sysctls", "parms")
    if unknown and all(getattr(ns, field) is None for field in fields):
        if os.path.isdir(source):
            why = f"a directory with no command output neighctl reads in it ({ns.unread['files']})"
        else:
            why = f"not a command output neighctl reads ({unknown[0][1]})"
        raise UsageError(
            f"{source}: {why}", "--from reads outputs of ip, arp, bridge and sysctl, or a sosreport"
        )
    return Snapshot(namespaces=[ns], tables=tables or None, complete=False, source=source)


def _files(directory: str) -> list[str]:
    return [e.path for e in os.scandir(directory) if e.is_file() and not e.name.startswith(".")]


def read_snapshot(path: str, *, lenient: Warn | None = None) -> Snapshot:
    """A sosreport (unpacked), a directory of command outputs, or one file (``-``:
    standard input), as a Snapshot."""
    if path == "-":
        import sys

        from neighctl.parse.stream import read_all

        text = read_all(sys.stdin.buffer, "<stdin>")
        return _read_outputs([_Output("<stdin>", lenient, text)], path)
    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file or directory")
    if os.path.isdir(path):
        root = is_sosreport(path)
        if root is not None:
            return read_sosreport(root, lenient)
        files = _files(path)
        if not files:
            raise UsageError(f"{path}: an empty directory, not command outputs")
        return read_outputs(files, path, lenient)
    return read_outputs([path], path, lenient)


def directory_neighbors(
    path: str,
    fmt: str = "auto",
    lenient: Warn | None = None,
    note: Callable[[str], None] | None = None,
    netns: str | None = None,
) -> Iterator[Neighbor]:
    """The neighbour entries of a sosreport or directory (its host namespace, or ``netns``)."""
    if fmt != "auto":
        raise UsageError("--input-format applies to one file; a directory's files are detected")
    snapshot = read_snapshot(path, lenient=lenient)
    wanted = [
        ns for ns in snapshot.namespaces if (ns.name == netns if netns is not None else ns.current)
    ]
    if not wanted:
        names = ", ".join(ns.name for ns in snapshot.namespaces if ns.name) or "none"
        raise UsageError(f"{path}: no namespace {netns!r} in it", f"namespaces: {names}")
    ns = wanted[0]
    if ns.neighbors is None:
        why = ns.unread.get("files") or ns.unread.get("neighbors", "none found")
        where = (
            "a directory with no neighbour table in it"
            if netns is None
            else (f"no neighbour table for namespace {netns!r}")
        )
        raise UsageError(f"{path}: {where} ({why})")
    if note is not None and "neighbors" in ns.unread:
        note(f"{path}: {ns.unread['neighbors']}")
    if note is not None and "files" in ns.unread:
        note(f"{path}: skipped {ns.unread['files'].partition(' (first: ')[0]}")
    yield from ns.neighbors
