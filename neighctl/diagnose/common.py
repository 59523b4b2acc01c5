"""What the checks share: lookups in a namespace's snapshot and the commands advice names."""

from __future__ import annotations

import ipaddress
import shlex
from collections.abc import Iterator
from typing import Any

from neighctl.model import (
    AF_INET,
    AF_INET6,
    FAMILY_NAMES,
    Neighbor,
    NudState,
    flag_words,
    state_words,
)
from neighctl.snapshot import Link, NamespaceSnapshot, Route, Snapshot

# NUD_VALID (include/net/neighbour.h): states with a usable link-layer address.
NUD_VALID = int(
    NudState.PERMANENT
    | NudState.NOARP
    | NudState.REACHABLE
    | NudState.PROBE
    | NudState.STALE
    | NudState.DELAY
)
UNRESOLVED = int(NudState.FAILED | NudState.INCOMPLETE)

RTN_UNICAST = 1
RTN_LOCAL = 2
RT_TABLE_DEFAULT, RT_TABLE_MAIN, RT_TABLE_LOCAL = 253, 254, 255


class SkipCheck(Exception):
    """A check cannot run on this snapshot (the data it needs was not read)."""


def family_name(family: int | None) -> str | None:
    return None if family is None else FAMILY_NAMES.get(family, str(family))


def readable(snapshot: Snapshot) -> Iterator[NamespaceSnapshot]:
    """The namespaces that were read (no error)."""
    return (ns for ns in snapshot.namespaces if ns.error is None)


def namespaces_with(
    snapshot: Snapshot, parts: tuple[str, ...], why: str
) -> list[NamespaceSnapshot]:
    """The read namespaces holding every one of ``parts`` (NamespaceSnapshot fields such
    as "neighbors", "links"); SkipCheck(``why``) when none does."""
    found = [ns for ns in readable(snapshot) if all(getattr(ns, p) is not None for p in parts)]
    if not found:
        raise SkipCheck(why)
    return found


def entry_json(n: Neighbor) -> dict[str, Any]:
    """An entry as evidence, in `ip -j neigh`'s keys."""
    out: dict[str, Any] = {"dst": n.dst, "dev": n.dev}
    if n.lladdr is not None:
        out["lladdr"] = n.lladdr
    out["state"] = state_words(n.state)
    flags = flag_words(n.flags)
    if flags:
        out["flags"] = flags
    if n.updated is not None:
        out["updated"] = n.updated
    if n.probes is not None:
        out["probes"] = n.probes
    return out


def links_by_name(ns: NamespaceSnapshot) -> dict[str, Link]:
    return {link.name: link for link in ns.links or ()}


def sysctl_int(ns: NamespaceSnapshot, name: str) -> int | None:
    value = ns.sysctl(name)
    if value is None:
        return None
    try:
        return int(value.split()[0])
    except (ValueError, IndexError):
        return None


def conf(ns: NamespaceSnapshot, family: int, dev: str, name: str) -> int | None:
    """net.ipv{4,6}.conf.DEV.NAME as an int (None if not read)."""
    fam = "ipv6" if family == AF_INET6 else "ipv4"
    return sysctl_int(ns, f"net.{fam}.conf.{dev}.{name}")


def conf_any(ns: NamespaceSnapshot, family: int, dev: str, name: str) -> int | None:
    """The kernel's IN_DEV_ORCONF: on if ``all`` or the device has it on."""
    values = [conf(ns, family, d, name) for d in ("all", dev)]
    known = [v for v in values if v is not None]
    if not known:
        return None
    return 1 if any(v > 0 for v in known) else 0


def route_lookup(ns: NamespaceSnapshot, family: int, address: str) -> Route | None:
    """The route the kernel's default rules pick for ``address``: the local
    table, then main, then default, longest prefix first in each (policy rules
    beyond these three are not in a snapshot). None if nothing matches."""
    if not ns.routes:
        return None
    try:
        target = ipaddress.ip_address(address)
    except ValueError:
        return None
    for table in (RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT):
        best: Route | None = None
        best_len = -1
        for route in ns.routes:
            if route.family != family or route.table != table:
                continue
            if route.dst == "default":
                length = 0
                matched = True
            else:
                try:
                    net = ipaddress.ip_network(route.dst, strict=False)
                except ValueError:
                    continue
                length = net.prefixlen
                matched = target in net
            if matched and length > best_len:
                best, best_len = route, length
        if best is not None:
            return best
    return None


# --- commands in advice ------------------------------------------------------


def _q(words: list[str]) -> str:
    return " ".join(shlex.quote(w) for w in words)


def neighctl_cmd(ns: NamespaceSnapshot, *args: str) -> str:
    """`neighctl ARGS` run in ``ns``: --netns for a named namespace, nsenter otherwise."""
    words = ["neighctl", *args]
    if ns.current:
        return _q(words)
    if ns.name:
        return _q([*words, "--netns", ns.name])
    return _q(["nsenter", f"--net={ns.path or '/proc/PID/ns/net'}", *words])


def exec_cmd(ns: NamespaceSnapshot, *args: str) -> str:
    """A command run inside ``ns`` (`ip netns exec` or nsenter)."""
    if ns.current:
        return _q(list(args))
    if ns.name:
        return _q(["ip", "netns", "exec", ns.name, *args])
    return _q(["nsenter", f"--net={ns.path or '/proc/PID/ns/net'}", *args])


def sysctl_cmd(ns: NamespaceSnapshot, name: str, value: int | str) -> str:
    return exec_cmd(ns, "sysctl", "-w", f"{name}={value}")


def tool_cmd(ns: NamespaceSnapshot, tool: str, *args: str) -> str:
    """`ip`/`bridge` in ``ns``: their own -n for a named namespace."""
    if ns.name and not ns.current:
        return _q([tool, "-n", ns.name, *args])
    return exec_cmd(ns, tool, *args)


def family_of_route(route: Route) -> str:
    return "inet6" if route.family == AF_INET6 else "inet"


__all__ = [
    "AF_INET",
    "AF_INET6",
    "NUD_VALID",
    "UNRESOLVED",
    "SkipCheck",
    "conf",
    "conf_any",
    "entry_json",
    "exec_cmd",
    "family_name",
    "links_by_name",
    "neighctl_cmd",
    "readable",
    "route_lookup",
    "sysctl_cmd",
    "sysctl_int",
    "tool_cmd",
]
