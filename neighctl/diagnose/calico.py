"""calico: the host side's routes, neighbours and proxy ARP, and the pods' gateway.

Calico's design (docs/seeds): each workload has a veth whose host side is
named cali*, with MAC ee:ee:ee:ee:ee:ee; felix writes a route `ADDR dev
caliX` and a PERMANENT neighbour for the workload on caliX, and turns
proxy_arp on for caliX (proxy_delay 0). In the pod the default route is
`default via 169.254.1.1 dev eth0`, an address nobody has: the host side
answers ARP for it by proxy ARP, so the pod's entry for 169.254.1.1 shows
the host veth's MAC. arp_process answers by proxy ARP only when caliX
forwards and the target is routed out of another device (verified for the
proxy check; see proxy.py).
"""

from __future__ import annotations

from neighctl.diagnose.common import (
    NUD_VALID,
    RTN_UNICAST,
    SkipCheck,
    conf,
    conf_any,
    entry_json,
    neighctl_cmd,
    readable,
    route_lookup,
    sysctl_cmd,
)
from neighctl.diagnose.findings import Finding, Severity
from neighctl.model import AF_INET, Neighbor, NeighFlag, NudState, state_words
from neighctl.snapshot import NamespaceSnapshot, Snapshot

CHECK = "calico"
PREFIX = "cali"
GATEWAY = "169.254.1.1"
CALICO_MAC = "ee:ee:ee:ee:ee:ee"
_PROXY = int(NeighFlag.PROXY)
_FAILED = int(NudState.FAILED)


def check(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    host_macs = {
        link.mac
        for ns in readable(snapshot)
        for link in ns.links or ()
        if link.name.startswith(PREFIX) and link.mac
    }
    # Workload address -> (host namespace, its cali* device), from the hosts' routes,
    # so a pod's finding can name its own host-side veth when both were read.
    workloads: dict[str, tuple[NamespaceSnapshot, str]] = {}
    for ns in readable(snapshot):
        for route in ns.routes or ():
            if route.dev and route.dev.startswith(PREFIX) and route.dst.endswith("/32"):
                workloads[route.dst[:-3]] = (ns, route.dev)
    ran = False
    for ns in readable(snapshot):
        if ns.links is None or ns.neighbors is None:
            continue
        ran = True
        findings += host_side(ns)
        findings += pod_side(ns, host_macs | {CALICO_MAC}, workloads)
    if not ran:
        raise SkipCheck("needs links and neighbour entries")
    return findings


def host_side(ns: NamespaceSnapshot) -> list[Finding]:
    cali = [link for link in ns.links or () if link.name.startswith(PREFIX)]
    if not cali:
        return []
    names = {link.name for link in cali}
    entries = {(n.family, n.dst, n.dev): n for n in ns.neighbors or () if not int(n.flags) & _PROXY}
    findings: list[Finding] = []
    for route in ns.routes or ():
        if route.dev not in names or route.gateway or route.dst == "default":
            continue
        if route.type != RTN_UNICAST:
            continue
        dst, _, length = route.dst.partition("/")
        full = 32 if route.family == AF_INET else 128
        if length and int(length) != full:
            continue
        n = entries.get((route.family, dst, route.dev))
        if n is not None and int(n.state) & NUD_VALID:
            continue
        state = "no neighbour entry" if n is None else f"its entry is {_state(n)}"
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.WARNING,
                title=(
                    f"route {route.dst} dev {route.dev} (a workload) has {state} on "
                    f"{route.dev}: felix writes a PERMANENT one"
                ),
                evidence={
                    "route": {"dst": route.dst, "dev": route.dev, "table": route.table},
                    "entry": None if n is None else entry_json(n),
                },
                action=(
                    "check calico-node (felix) on this node; by hand: "
                    + neighctl_cmd(ns, "add", dst, "POD_MAC", "--dev", route.dev, "--replace")
                ),
                netns=ns.label,
                dev=route.dev,
                family=route.family,
            )
        )
    for link in cali:
        if not link.up:
            continue
        problems: list[str] = []
        actions: list[str] = []
        proxy_arp = conf_any(ns, AF_INET, link.name, "proxy_arp")
        if proxy_arp == 0:
            problems.append("proxy_arp is 0")
            actions.append(sysctl_cmd(ns, f"net.ipv4.conf.{link.name}.proxy_arp", 1))
        forwarding = conf(ns, AF_INET, link.name, "forwarding")
        if forwarding == 0:
            problems.append("forwarding is 0 (proxy ARP answers only on a forwarding device)")
            actions.append(sysctl_cmd(ns, f"net.ipv4.conf.{link.name}.forwarding", 1))
        if proxy_arp and forwarding and ns.routes is not None:
            out = route_lookup(ns, AF_INET, GATEWAY)
            if out is None or out.type != RTN_UNICAST or out.dev == link.name:
                problems.append(
                    f"{GATEWAY} is not routed out of another device (no default route?), "
                    "so proxy ARP does not answer for it"
                )
                actions.append("give the host a default route")
        if not problems:
            continue
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.WARNING,
                title=(
                    f"{link.name}: {'; '.join(problems)}: the pod behind it cannot resolve "
                    f"its gateway {GATEWAY}"
                ),
                evidence={
                    "sysctls": {
                        name: ns.sysctl(name)
                        for name in (
                            "net.ipv4.conf.all.proxy_arp",
                            f"net.ipv4.conf.{link.name}.proxy_arp",
                            f"net.ipv4.conf.{link.name}.forwarding",
                        )
                    }
                },
                action="; ".join(actions),
                netns=ns.label,
                dev=link.name,
                family=AF_INET,
            )
        )
    return findings


def _state(n: Neighbor) -> str:
    return "|".join(state_words(n.state)) or "NONE"


def pod_side(
    ns: NamespaceSnapshot,
    good_macs: set[str],
    workloads: dict[str, tuple[NamespaceSnapshot, str]] | None = None,
) -> list[Finding]:
    """A namespace whose default route goes via 169.254.1.1: its gateway entry.

    ``workloads`` maps a workload address to its host namespace and cali*
    device, when the host was read too.
    """
    findings: list[Finding] = []
    host = next(
        (
            (workloads or {})[a.address]
            for a in ns.addresses or ()
            if a.family == AF_INET and a.address in (workloads or {})
        ),
        None,
    )
    for route in ns.routes or ():
        if route.family != AF_INET or route.dst != "default" or route.gateway != GATEWAY:
            continue
        if route.dev is None:
            continue
        n = next(
            (
                e
                for e in ns.neighbors or ()
                if e.family == AF_INET
                and e.dst == GATEWAY
                and e.dev == route.dev
                and not int(e.flags) & _PROXY
            ),
            None,
        )
        if n is None:
            continue  # not resolved yet: nothing sent since the entry expired
        state = int(n.state)
        base = {
            "route": {"dst": "default", "gateway": GATEWAY, "dev": route.dev},
            "entry": entry_json(n),
        }
        if state & _FAILED or not state & NUD_VALID:
            failed = bool(state & _FAILED)
            findings.append(
                Finding(
                    check=CHECK,
                    severity=Severity.CRITICAL if failed else Severity.WARNING,
                    title=(
                        f"the pod's gateway {GATEWAY} on {route.dev} is {_state(n)}: the host "
                        "side does not answer (proxy_arp off on its cali* veth, or felix down); "
                        "the pod reaches nothing off its own address"
                    ),
                    evidence=base,
                    action=(
                        (
                            f"on the host ({host[0].label}, {host[1]}): "
                            + sysctl_cmd(host[0], f"net.ipv4.conf.{host[1]}.proxy_arp", 1)
                            if host
                            else "on the host: turn proxy_arp on for this pod's cali* veth "
                            "(the calico check of the host namespace names it)"
                        )
                        + (
                            # A FAILED entry is retried by the next packet
                            # (__neigh_event_send); by then periodic GC may have
                            # removed it, and a `del` would fail.
                            "; the pod's next packet resolves it again"
                            if failed
                            else "; then " + neighctl_cmd(ns, "del", GATEWAY, "--dev", route.dev)
                        )
                    ),
                    netns=ns.label,
                    dev=route.dev,
                    family=AF_INET,
                )
            )
        elif n.lladdr and n.lladdr not in good_macs:
            findings.append(
                Finding(
                    check=CHECK,
                    severity=Severity.WARNING,
                    title=(
                        f"the pod's gateway {GATEWAY} on {route.dev} resolves to {n.lladdr}, "
                        f"not the host veth's MAC ({CALICO_MAC}): something else answers"
                    ),
                    evidence={**base, "expected": sorted(good_macs)},
                    action=neighctl_cmd(ns, "del", GATEWAY, "--dev", route.dev),
                    netns=ns.label,
                    dev=route.dev,
                    family=AF_INET,
                )
            )
    return findings
