"""failed-pile: unresolved entries piling up, entries stuck unresolved, managed entries failed.

- A pile: many FAILED/INCOMPLETE entries on one device (a scan, a dead
  subnet behind a bridge). Below gc_thresh1 nothing collects them; above it
  they crowd the eligible count toward gc_thresh3.
- Stuck: an INCOMPLETE entry with no timer, set by hand (`ip neigh replace
  ADDR dev DEV nud incomplete`). The kernel enters INCOMPLETE with probes set
  to ucast_solicit and fails the entry after mcast_solicit + app_solicit
  solicitations (__neigh_event_send, neigh_timer_handler); one set by hand
  starts with its old probe count and never times out. So INCOMPLETE with
  fewer probes than ucast_solicit, or INCOMPLETE for longer than the probes
  take, was set by hand: it never fails, is never collected, and takes an
  address only when the neighbour itself sends a request.
- Managed (kept resolved by the kernel) and extern_learn entries in FAILED or
  INCOMPLETE: whoever owns them (Cilium, EVPN) left them behind.
"""

from __future__ import annotations

from collections import defaultdict

from neighctl.diagnose.common import (
    entry_json,
    namespaces_with,
    neighctl_cmd,
)
from neighctl.diagnose.findings import Finding, Severity
from neighctl.model import Neighbor, NeighFlag, NudState
from neighctl.snapshot import NamespaceSnapshot, Snapshot
from neighctl.timers import NeighParms, defaults, incomplete_duration

CHECK = "failed-pile"
PILE = 64  # FAILED/INCOMPLETE entries on one device before it is a pile
SLACK_MS = 2000  # scheduling slack before an INCOMPLETE entry is called stuck
SAMPLE = 10  # entries quoted in evidence

_FAILED = int(NudState.FAILED)
_INCOMPLETE = int(NudState.INCOMPLETE)
_OWNED = int(NeighFlag.MANAGED | NeighFlag.EXT_LEARNED)
_PROXY = int(NeighFlag.PROXY)


def check(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    why = "no namespace's neighbour entries were read"
    for ns in namespaces_with(snapshot, ("neighbors",), why):
        findings += check_namespace(ns)
    return findings


def parms_for(ns: NamespaceSnapshot, family: int, dev: str) -> NeighParms:
    for p in ns.parms or ():
        if p.family == family and p.dev == dev:
            return p
    return defaults(family)


def stuck_reason(n: Neighbor, parms: NeighParms) -> str | None:
    """Why INCOMPLETE entry ``n`` has no timer, or None if it may be resolving."""
    if int(n.state) != _INCOMPLETE:
        return None
    if n.probes is not None and n.probes < parms.ucast_solicit:
        return (
            f"{n.probes} probes, fewer than ucast_solicit ({parms.ucast_solicit}) that the "
            "kernel starts resolution with: set by hand"
        )
    limit = incomplete_duration(parms) + SLACK_MS
    if n.updated is not None and n.updated * 1000 > limit:
        return (
            f"INCOMPLETE for {n.updated:g} s, longer than resolution can take "
            f"({limit / 1000:g} s): set by hand, no timer"
        )
    return None


def check_namespace(ns: NamespaceSnapshot) -> list[Finding]:
    findings: list[Finding] = []
    piles: dict[tuple[int, str], list[Neighbor]] = defaultdict(list)
    for n in ns.neighbors or ():
        flags = int(n.flags)
        state = int(n.state)
        if flags & _PROXY:
            continue
        if state & (_FAILED | _INCOMPLETE):
            piles[(n.family, n.dev)].append(n)
        if flags & _OWNED and state & (_FAILED | _INCOMPLETE):
            owner = "managed" if flags & int(NeighFlag.MANAGED) else "extern_learn"
            findings.append(
                Finding(
                    check=CHECK,
                    severity=Severity.WARNING,
                    title=(
                        f"{owner} entry {n.dst} on {n.dev} is "
                        f"{'FAILED' if state & _FAILED else 'INCOMPLETE'}: its owner "
                        "(e.g. Cilium, an EVPN daemon) left it behind or the neighbour is gone"
                    ),
                    evidence={"entry": entry_json(n)},
                    action=neighctl_cmd(ns, "del", n.dst, "--dev", n.dev),
                    netns=ns.label,
                    dev=n.dev,
                    family=n.family,
                )
            )
            continue
        reason = stuck_reason(n, parms_for(ns, n.family, n.dev))
        if reason is not None:
            findings.append(
                Finding(
                    check=CHECK,
                    severity=Severity.WARNING,
                    title=(
                        f"{n.dst} on {n.dev} is stuck INCOMPLETE ({reason}); it never "
                        "fails and is never collected"
                    ),
                    evidence={"entry": entry_json(n)},
                    action=neighctl_cmd(ns, "del", n.dst, "--dev", n.dev),
                    netns=ns.label,
                    dev=n.dev,
                    family=n.family,
                )
            )
    for (family, dev), entries in sorted(piles.items(), key=lambda kv: -len(kv[1])):
        if len(entries) < PILE:
            continue
        failed = sum(1 for n in entries if int(n.state) & _FAILED)
        findings.append(
            Finding(
                check=CHECK,
                severity=Severity.WARNING,
                title=(
                    f"{len(entries)} unresolved entries on {dev} ({failed} FAILED, "
                    f"{len(entries) - failed} INCOMPLETE): something sends to addresses "
                    "nobody answers for"
                ),
                evidence={
                    "unresolved": len(entries),
                    "failed": failed,
                    "incomplete": len(entries) - failed,
                    "threshold": PILE,
                    "sample": [entry_json(n) for n in entries[:SAMPLE]],
                },
                action=neighctl_cmd(ns, "flush", "--state", "failed", "--dev", dev, "--yes"),
                netns=ns.label,
                dev=dev,
                family=family,
            )
        )
    return findings
