"""vxlan: an overlay's neighbours, FDB entries and routes agree (flannel and others).

flannel's vxlan backend installs, per remote node: a PERMANENT neighbour on
flannel.1 (the remote VTEP's address -> its VTEP MAC), a static FDB entry
(that MAC -> the remote node's IP, `bridge fdb`) and a route via flannel.1
to the remote's subnet with the VTEP address as gateway. Each part is
needed: without the FDB entry frames for the MAC are flooded to the
default destination or dropped; without the neighbour the route's gateway
must be resolved by ARP over the overlay, where flannel sets up no flood
destination; and an FDB entry without a neighbour is usually a node that
is gone.

Learnt FDB entries (not static: vxlan learning on) and the all-zero
default destination are not compared. A device with a default destination
(`remote` or `group`, which the kernel keeps as an all-zero FDB entry)
sends frames for MACs without their own entry there and floods ARP/ND there,
so on such a device only an unresolved gateway is reported (checked in a
namespace: a gateway with no entry resolves over it).
"""

from __future__ import annotations

from neighctl.diagnose.common import (
    NUD_VALID,
    entry_json,
    namespaces_with,
    neighctl_cmd,
    tool_cmd,
)
from neighctl.diagnose.findings import Finding, Severity
from neighctl.model import NeighFlag, NudState, state_words
from neighctl.snapshot import FdbEntry, Link, NamespaceSnapshot, Snapshot

CHECK = "vxlan"
_PERMANENT = int(NudState.PERMANENT)
_STATIC = int(NudState.PERMANENT | NudState.NOARP)
_PROXY = int(NeighFlag.PROXY)
ZERO_MAC = "00:00:00:00:00:00"


def check(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    why = "needs links, neighbour entries and the FDB"
    for ns in namespaces_with(snapshot, ("links", "neighbors", "fdb"), why):
        for link in ns.links or ():
            if link.kind == "vxlan":
                findings += check_device(ns, link)
    return findings


def _unicast(mac: str) -> bool:
    try:
        return mac != ZERO_MAC and not int(mac.split(":", 1)[0], 16) & 1
    except ValueError:
        return False


def _fdb_json(f: FdbEntry) -> dict[str, object]:
    out: dict[str, object] = {"mac": f.mac, "dev": f.dev}
    if f.dst is not None:
        out["dst"] = f.dst
    if f.vni is not None:
        out["vni"] = f.vni
    return out


def check_device(ns: NamespaceSnapshot, link: Link) -> list[Finding]:
    dev = link.name
    neighbors = [n for n in ns.neighbors or () if n.dev == dev and not int(n.flags) & _PROXY]
    fdb = [
        f
        for f in ns.fdb or ()
        if f.dev == dev and _unicast(f.mac) and f.state & _STATIC and f.mac != link.mac
    ]
    fdb_macs = {f.mac for f in fdb if f.dst}
    neigh_macs = {n.lladdr for n in neighbors if n.lladdr and _unicast(n.lladdr)}
    findings: list[Finding] = []
    # With a default destination (`remote`/`group`: an all-zero FDB entry), frames
    # for a MAC without its own FDB entry go there, and ARP/ND is flooded there and
    # resolves gateways: only an unresolved gateway is worth a word.
    floods = bool(link.vxlan and link.vxlan.group) or any(
        f.dev == dev and f.mac == ZERO_MAC and f.dst for f in ns.fdb or ()
    )
    orphan_neighbors = [
        n
        for n in neighbors
        if int(n.state) & _PERMANENT
        and n.lladdr
        and _unicast(n.lladdr)
        and n.lladdr not in fdb_macs
        and not floods
    ]
    orphan_fdb = [f for f in fdb if f.dst and f.mac not in neigh_macs and not floods]
    mismatch = bool(orphan_neighbors and orphan_fdb)
    for n in orphan_neighbors:
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.WARNING,
                title=(
                    f"neighbour {n.dst} -> {n.lladdr} on {dev} has no FDB entry for its MAC: "
                    "frames to it are not sent to the remote VTEP"
                    + (
                        "; an FDB entry with another MAC exists (the remote's VTEP MAC changed?)"
                        if mismatch
                        else ""
                    )
                ),
                evidence={
                    "entry": entry_json(n),
                    "vni": link.vxlan.vni if link.vxlan else None,
                    "fdb_macs": sorted(fdb_macs),
                },
                action=tool_cmd(
                    ns,
                    "bridge",
                    "fdb",
                    "append",
                    n.lladdr or "",
                    "dev",
                    dev,
                    "dst",
                    "REMOTE_NODE_IP",
                ),
                netns=ns.label,
                dev=dev,
                family=n.family,
            )
        )
    for f in orphan_fdb:
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.WARNING,
                title=(
                    f"FDB entry {f.mac} -> {f.dst} on {dev} has no neighbour with that MAC: "
                    "a node that is gone, or its neighbour entry is missing"
                    + (
                        "; a neighbour with another MAC exists (the remote's VTEP MAC changed?)"
                        if mismatch
                        else ""
                    )
                ),
                evidence={"fdb": _fdb_json(f), "neighbor_macs": sorted(m for m in neigh_macs if m)},
                action=(
                    "if the node is gone: "
                    + tool_cmd(ns, "bridge", "fdb", "del", f.mac, "dev", dev, "dst", f.dst or "")
                    + "; else add its neighbour: "
                    + neighctl_cmd(ns, "add", "REMOTE_VTEP_IP", f.mac, "--dev", dev)
                ),
                netns=ns.label,
                dev=dev,
            )
        )
    entries = {(n.family, n.dst): n for n in neighbors}
    for route in ns.routes or ():
        if route.dev != dev or not route.gateway:
            continue
        gw = entries.get((route.family, route.gateway))
        if gw is not None and int(gw.state) & NUD_VALID:
            continue
        if gw is None and floods:
            continue  # resolved by ARP/ND through the default destination when used
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.WARNING,
                title=(
                    f"route {route.dst} via {route.gateway} dev {dev} has "
                    + (
                        "no neighbour for its gateway"
                        if gw is None
                        else f"its gateway's entry unresolved ({'|'.join(_words(gw.state))})"
                    )
                    + ": on an overlay the gateway's MAC is written, not learnt"
                ),
                evidence={
                    "route": {"dst": route.dst, "gateway": route.gateway, "dev": dev},
                    "entry": None if gw is None else entry_json(gw),
                },
                action=neighctl_cmd(
                    ns, "add", route.gateway, "REMOTE_VTEP_MAC", "--dev", dev, "--replace"
                ),
                netns=ns.label,
                dev=dev,
                family=route.family,
            )
        )
    return findings


def _words(state: int) -> list[str]:
    return state_words(state) or ["NONE"]
