"""duplicate: one address answered by different MACs on several devices; one MAC
claimed by many addresses where that is not a known pattern.

Both are per namespace and family: the same pod address in two pods, or the
same 169.254.1.1 gateway in every Calico pod, is normal.

Known patterns left alone: Calico's ee:ee:ee:ee:ee:ee (every host-side veth
has it, and pods resolve their gateway to it); multicast and broadcast
link-layer addresses (NOARP entries of group addresses); the all-zero address
of devices without a link layer. A router or a proxy-ARP gateway legitimately
answers for many addresses with one MAC, so that case is only information.
"""

from __future__ import annotations

from collections import defaultdict

from neighctl.diagnose.common import NUD_VALID, entry_json, namespaces_with
from neighctl.diagnose.findings import Finding, Severity
from neighctl.model import AF_INET6, Neighbor, NeighFlag, NudState
from neighctl.snapshot import NamespaceSnapshot, Snapshot

CHECK = "duplicate"
KNOWN_SHARED_MACS = frozenset({"ee:ee:ee:ee:ee:ee", "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"})
# Addresses one MAC may claim before it is worth a look: an IPv6 host has a
# link-local and one or more global addresses.
MANY = {4: 4, 6: 6}
_NOARP = int(NudState.NOARP)
_PROXY = int(NeighFlag.PROXY)


def check(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    why = "no namespace's neighbour entries were read"
    for ns in namespaces_with(snapshot, ("neighbors",), why):
        findings += check_namespace(ns)
    return findings


def _shared_mac(mac: str) -> bool:
    """Multicast/broadcast (the group bit of the first octet) or a known shared address."""
    if len(mac) != 17:
        return True  # not an Ethernet address (a tunnel's IP): not ours to judge
    return mac[1] in _GROUP_DIGITS or mac in KNOWN_SHARED_MACS


_GROUP_DIGITS = frozenset("13579bdfBDF")


def check_namespace(ns: NamespaceSnapshot) -> list[Finding]:
    by_addr: dict[tuple[int, str], list[Neighbor]] = defaultdict(list)
    by_mac: dict[tuple[int, str], list[Neighbor]] = defaultdict(list)
    for n in ns.neighbors or ():
        if not n.lladdr or _shared_mac(n.lladdr):
            continue
        state = int(n.state)
        if int(n.flags) & _PROXY or not state & NUD_VALID or state & _NOARP:
            continue
        by_addr[(n.family, n.dst)].append(n)
        by_mac[(n.family, n.lladdr)].append(n)
    findings: list[Finding] = []
    for (family, dst), entries in sorted(kv for kv in by_addr.items() if len(kv[1]) > 1):
        macs = {n.lladdr for n in entries}
        devs = {n.dev for n in entries}
        if len(macs) < 2 or len(devs) < 2:
            continue
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.WARNING,
                title=(
                    f"{dst} has different MACs on {len(devs)} devices "
                    f"({', '.join(f'{n.dev}: {n.lladdr}' for n in entries)}): two hosts claim "
                    "one address, or one segment is bridged twice"
                ),
                evidence={"address": dst, "entries": [entry_json(n) for n in entries]},
                action=(
                    "find which host really owns "
                    f"{dst} (`arping -I DEV {dst}` on each device) and remove the other's address"
                ),
                netns=ns.label,
                family=family,
            )
        )
    for (family, mac), entries in sorted(kv for kv in by_mac.items() if len(kv[1]) > 1):
        many = MANY[6 if family == AF_INET6 else 4]
        if len(entries) < many:
            continue
        addresses = sorted({n.dst for n in entries})
        if len(addresses) < many:
            continue
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.INFO,
                title=(
                    f"{mac} answers for {len(addresses)} addresses: a router or proxy-ARP "
                    "gateway does that; anything else is spoofing or a misconfigured proxy"
                ),
                evidence={
                    "lladdr": mac,
                    "addresses": addresses[:50],
                    "devices": sorted({n.dev for n in entries}),
                },
                action=None,
                netns=ns.label,
                family=family,
            )
        )
    return findings
