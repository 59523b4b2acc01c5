"""proxy: proxy entries that cannot answer under their device's sysctls and routes.

IPv6 (net/ipv6/ndisc.c, ndisc_recv_ns): a solicitation for a proxied target
is answered only when the device forwards (net.ipv6.conf.DEV.forwarding) and
proxy_ndp is on for ``all`` or the device.

IPv4 (net/ipv4/arp.c, arp_process): a request is answered from a proxy entry
only when the device forwards (net.ipv4.conf.DEV.forwarding; IN_DEV_FORWARD
reads the device's own value) and the target has a unicast route that leaves
by another device (``rt->dst.dev != dev``). Checked in namespaces
(tests/kernel/test_doctor_proxy.py): with forwarding off, with the route out
of the same device, with a blackhole route, the requester ends FAILED; with
forwarding on and the route out of another device it resolves.
"""

from __future__ import annotations

from neighctl.diagnose.common import (
    RTN_UNICAST,
    conf,
    entry_json,
    namespaces_with,
    route_lookup,
    sysctl_cmd,
    tool_cmd,
)
from neighctl.diagnose.findings import Finding, Severity
from neighctl.model import AF_INET, AF_INET6, Neighbor, NeighFlag
from neighctl.proxyrule import Sysctls, proxy_verdict
from neighctl.snapshot import NamespaceSnapshot, Snapshot

CHECK = "proxy"
RTPROT_RA = 9
_PROXY = int(NeighFlag.PROXY)


def check(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    why = "needs neighbour entries and sysctls"
    for ns in namespaces_with(snapshot, ("neighbors", "sysctls"), why):
        for n in ns.neighbors or ():
            if not int(n.flags) & _PROXY:
                continue
            finding = check_entry(ns, n)
            if finding is not None:
                findings.append(finding)
    return findings


# RTN_* route types (include/uapi/linux/rtnetlink.h) the rule distinguishes.
RTN_LOCAL = 2
RTN_NO_ROUTE = frozenset({6, 7, 8})  # blackhole, unreachable, prohibit: `ip route get` fails


def sysctls_of(ns: NamespaceSnapshot, n: Neighbor) -> Sysctls:
    """What proxyrule needs, from the snapshot's sysctls and routes (None: not read)."""
    route_kind: str | None = None
    route_dev: str | None = None
    if n.family == AF_INET and ns.routes is not None:
        route = route_lookup(ns, AF_INET, n.dst)
        if route is None or route.type in RTN_NO_ROUTE:
            route_kind = "none"
        elif route.type == RTN_UNICAST:
            route_kind, route_dev = "unicast", route.dev
        elif route.type == RTN_LOCAL:
            route_kind, route_dev = "local", route.dev
        else:
            route_kind = "other"
    return Sysctls(
        forwarding=conf(ns, n.family, n.dev, "forwarding"),
        proxy_ndp=conf(ns, AF_INET6, n.dev, "proxy_ndp") if n.family == AF_INET6 else None,
        proxy_ndp_all=conf(ns, AF_INET6, "all", "proxy_ndp") if n.family == AF_INET6 else None,
        route=route_kind,
        route_dev=route_dev,
    )


def problems(ns: NamespaceSnapshot, n: Neighbor) -> tuple[list[str], list[str]]:
    """(why proxy entry ``n`` cannot answer, what to do); both empty when it can or when
    what was read cannot tell (neighctl.proxyrule decides)."""
    verdict = proxy_verdict(n.family, n.dev, sysctls_of(ns, n))
    why: list[str] = []
    todo: list[str] = []
    if verdict.answers is not False:
        return why, todo
    fam = "ipv6" if n.family == AF_INET6 else "ipv4"
    route = route_lookup(ns, AF_INET, n.dst) if n.family == AF_INET else None
    for reason in verdict.reasons:
        if reason in ("answers_v6_no_forwarding", "answers_v4_no_forwarding"):
            why.append(f"net.{fam}.conf.{n.dev}.forwarding is 0")
            todo.append(sysctl_cmd(ns, f"net.{fam}.conf.{n.dev}.forwarding", 1))
            if n.family == AF_INET6 and _relies_on_ra(ns, n.dev):
                # ip-sysctl.rst, accept_ra: a forwarding device accepts router
                # advertisements only with accept_ra=2.
                todo.append(
                    sysctl_cmd(ns, f"net.ipv6.conf.{n.dev}.accept_ra", 2)
                    + f" (else {n.dev}, once forwarding, ignores the router advertisements "
                    "its RA-learnt routes come from)"
                )
        elif reason == "answers_v6_no_proxy_ndp":
            why.append(f"proxy_ndp is 0 on both all and {n.dev}")
            todo.append(sysctl_cmd(ns, f"net.ipv6.conf.{n.dev}.proxy_ndp", 1))
        elif reason == "answers_v4_no_route" and route is None:
            why.append(f"there is no route to {n.dst}")
            todo.append(tool_cmd(ns, "ip", "route", "add", f"{n.dst}/32", "dev", "DEV"))
        elif reason in ("answers_v4_no_route", "answers_v4_not_unicast") and route is not None:
            why.append(f"the route to {n.dst} ({route.dst}) is not unicast (type {route.type})")
            todo.append(tool_cmd(ns, "ip", "route", "replace", f"{n.dst}/32", "dev", "DEV"))
        elif reason == "answers_v4_same_dev" and route is not None:
            why.append(
                f"the route to {n.dst} ({route.dst}) leaves by {n.dev} itself; ARP proxies "
                "only for targets behind another device"
            )
            todo.append(tool_cmd(ns, "ip", "route", "add", f"{n.dst}/32", "dev", "DEV"))
    return why, todo


def _relies_on_ra(ns: NamespaceSnapshot, dev: str) -> bool:
    """``dev`` has routes learnt from router advertisements and accept_ra is 1."""
    if conf(ns, AF_INET6, dev, "accept_ra") != 1:
        return False
    return any(
        r.family == AF_INET6 and r.dev == dev and r.protocol == RTPROT_RA for r in ns.routes or ()
    )


def check_entry(ns: NamespaceSnapshot, n: Neighbor) -> Finding | None:
    why, todo = problems(ns, n)
    if not why:
        return None
    fam = "ipv6" if n.family == AF_INET6 else "ipv4"
    evidence: dict[str, object] = {"entry": entry_json(n)}
    sysctls = {
        f"net.{fam}.conf.{dev}.{name}": ns.sysctl(f"net.{fam}.conf.{dev}.{name}")
        for dev in ("all", n.dev)
        for name in (("forwarding", "proxy_ndp") if n.family == AF_INET6 else ("forwarding",))
    }
    evidence["sysctls"] = sysctls
    if n.family == AF_INET and ns.routes is not None:
        route = route_lookup(ns, AF_INET, n.dst)
        evidence["route"] = (
            None
            if route is None
            else {"dst": route.dst, "dev": route.dev, "gateway": route.gateway, "type": route.type}
        )
    return Finding(
        check=CHECK,
        severity=Severity.WARNING,
        title=f"proxy entry {n.dst} on {n.dev} cannot answer: " + "; ".join(why),
        evidence=evidence,
        action="; ".join(todo),
        netns=ns.label,
        dev=n.dev,
        family=n.family,
    )
