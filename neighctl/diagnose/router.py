"""router-flag: IPv6 default routes whose gateway's neighbour entry lacks the router flag.

A router sets the R flag in its neighbour advertisements (ndisc_send_na
with the sender's forwarding on) and every router advertisement sets
NTF_ROUTER (ndisc_router_discovery); ndisc_recv_na clears it when an
advertisement arrives without it, and then rt6_clean_tohost deletes the
default routes learnt from router advertisements through that neighbour.
An entry learnt from the neighbour's own solicitation (ndisc_recv_ns) has
no flag until an advertisement says so: it goes STALE, then DELAY as soon as
it is used (answering that solicitation uses it), and the unicast probe of
PROBE brings the answer. So an entry in DELAY or PROBE is not judged. A
gateway entry without the flag otherwise is a host that does not forward
(the route leads nowhere useful), an entry written by hand without
`router`, or one learnt from a solicitation and kept confirmed by upper
layers without a probe.
"""

from __future__ import annotations

from neighctl.diagnose.common import (
    NUD_VALID,
    entry_json,
    namespaces_with,
    neighctl_cmd,
)
from neighctl.diagnose.findings import Finding, Severity
from neighctl.model import AF_INET6, NeighFlag, NudState
from neighctl.snapshot import Snapshot

CHECK = "router-flag"
RTPROT_RA = 9
_ROUTER = int(NeighFlag.ROUTER)
_PROXY = int(NeighFlag.PROXY)
_VERIFYING = int(NudState.DELAY | NudState.PROBE)


def check(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    why = "needs routes and neighbour entries"
    for ns in namespaces_with(snapshot, ("routes", "neighbors"), why):
        entries = {
            (n.dst, n.dev): n
            for n in ns.neighbors or ()
            if n.family == AF_INET6 and not int(n.flags) & _PROXY
        }
        for route in ns.routes or ():
            if route.family != AF_INET6 or route.dst != "default" or not route.gateway:
                continue
            if route.dev is None:
                continue
            n = entries.get((route.gateway, route.dev))
            if n is None or not int(n.state) & NUD_VALID or int(n.flags) & _ROUTER:
                continue
            if int(n.state) & _VERIFYING:
                # Learnt from the gateway's own solicitation (which carries no router
                # flag) and being confirmed now: the answer sets or clears the flag.
                continue
            learnt = route.protocol == RTPROT_RA
            permanent = bool(int(n.state) & int(NudState.PERMANENT))
            title = (
                f"IPv6 default route via {route.gateway} dev {route.dev}: its neighbour "
                "entry lacks the router flag"
            )
            title += (
                " (an entry written by hand without `router`)"
                if permanent
                else " (its last advertisement said it is not a router, or the entry was "
                "learnt from its own solicitation, which carries no router flag"
                + ("; its next router advertisement sets the flag)" if learnt else ")")
            )
            if permanent and n.lladdr:
                action = neighctl_cmd(
                    ns, "add", route.gateway, n.lladdr, "--dev", route.dev, "--router", "--replace"
                )
            else:
                action = (
                    f"on the gateway {route.gateway}: enable forwarding on the interface facing "
                    "this link (routers set the R flag), or route via a real router"
                )
            findings.append(
                Finding(
                    check=CHECK,
                    severity=Severity.WARNING,
                    title=title,
                    evidence={
                        "route": {
                            "dst": "default",
                            "gateway": route.gateway,
                            "dev": route.dev,
                            "protocol": route.protocol,
                            "table": route.table,
                        },
                        "entry": entry_json(n),
                    },
                    action=action,
                    netns=ns.label,
                    dev=route.dev,
                    family=AF_INET6,
                )
            )
    return findings
