"""What a probe found: the entry's transitions, the timers that governed them, likely causes.

Stdlib only: kernel/probe.py fills a ProbeResult from a live namespace;
render/probe.py turns it into text or JSON. The kernel facts behind the
timers and causes (net/core/neighbour.c: neigh_timer_handler(),
__neigh_event_send(); net/ipv4/arp.c arp_solicit(); net/ipv6/ndisc.c
ndisc_solicit()) are checked by tests/kernel/test_probe.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from neighctl.errors import ExitCode
from neighctl.model import AF_INET, Neighbor, NudState
from neighctl.timers import NeighParms

IFF_UP = 0x1
IFF_LOWER_UP = 0x10000  # carrier, as reported in ifi_flags


class Outcome(str, Enum):
    """How a probe ended."""

    REACHABLE = "reachable"  # a reply confirmed the neighbour
    FAILED = "failed"  # every solicitation went unanswered (or the entry vanished)
    TIMEOUT = "timeout"  # neither within --timeout


EXIT_CODES: dict[Outcome, ExitCode] = {
    Outcome.REACHABLE: ExitCode.OK,
    Outcome.FAILED: ExitCode.UNREACHABLE,
    Outcome.TIMEOUT: ExitCode.UNDECIDED,
}


@dataclass(frozen=True, slots=True)
class Step:
    """The entry as seen ``at`` seconds after the request (None: no entry)."""

    at: float
    entry: Neighbor | None

    @property
    def state(self) -> NudState:
        return self.entry.state if self.entry is not None else NudState.NONE


@dataclass(frozen=True, slots=True)
class Timer:
    """One parameter that governed the probe: its name, value (ms or a count), and role."""

    name: str
    value: int
    unit: str  # "ms" or "n"
    role: str


@dataclass(frozen=True, slots=True)
class Cause:
    """A likely reason for a failed probe: a stable ``code`` and its explanation."""

    code: str
    text: str


@dataclass(frozen=True)
class ProbeResult:
    """One probe: the request, what the kernel did, and the facts to explain it.

    ``steps`` holds the entry each time it changed (state, lladdr or probes),
    from ``before`` (at 0) to the end. ``addresses`` are the device's own
    (family, address, prefix length); ``proxies`` the proxy entries for the
    address in this namespace, on any device.
    """

    dst: str
    dev: str
    family: int
    before: Neighbor | None
    steps: list[Step]
    outcome: Outcome
    elapsed: float
    timeout: float
    parms: NeighParms
    device_flags: int
    addresses: list[tuple[int, str, int]] = field(default_factory=list)
    proxies: list[Neighbor] = field(default_factory=list)
    sent: bool = True  # False when the entry was already REACHABLE: nothing to ask

    @property
    def exit_code(self) -> ExitCode:
        return EXIT_CODES[self.outcome]

    @property
    def after(self) -> Neighbor | None:
        return self.steps[-1].entry if self.steps else self.before

    @property
    def unicast(self) -> bool:
        """Whether the kernel checked a known MAC (STALE/DELAY/PROBE: unicast probes)
        rather than resolving from nothing (INCOMPLETE: broadcast or multicast)."""
        start = self.before.state if self.before is not None else NudState.NONE
        return bool(start & (NudState.STALE | NudState.DELAY | NudState.PROBE))

    def timers(self) -> list[Timer]:
        """The parameters that applied on the path the entry took."""
        p = self.parms
        if not self.sent:
            return []
        out = []
        if self.unicast:
            out.append(
                Timer(
                    "delay_first_probe_time",
                    p.delay_first_probe_time,
                    "ms",
                    "DELAY waited this long for traffic to confirm the neighbour before probing",
                )
            )
            out.append(
                Timer("ucast_solicit", p.ucast_solicit, "n", "unicast probes to the cached MAC")
            )
        else:
            kind = "broadcast ARP requests" if self.family == AF_INET else "multicast solicitations"
            out.append(Timer("mcast_solicit", p.mcast_solicit, "n", kind))
        if p.app_solicit:
            out.append(Timer("app_solicit", p.app_solicit, "n", "requests via a user-space daemon"))
        out.append(Timer("retrans_time", p.retrans_time, "ms", "wait after each solicitation"))
        return out

    def solicitations(self) -> int:
        """How many solicitations the path allows before FAILED."""
        p = self.parms
        count = p.ucast_solicit if self.unicast else p.mcast_solicit
        return count + p.app_solicit

    def expected_seconds(self) -> float:
        """How long the kernel takes to reach FAILED on this path, from its timers."""
        p = self.parms
        wait = self.solicitations() * p.retrans_time
        if self.unicast:
            wait += p.delay_first_probe_time
        return wait / 1000

    def causes(self) -> list[Cause]:
        """Likely reasons, most specific first; empty unless the probe failed or timed out."""
        if self.outcome is Outcome.REACHABLE:
            return []
        import ipaddress

        out = []
        if not self.device_flags & IFF_UP:
            out.append(Cause("device_down", f"{self.dev} is down: `ip link set {self.dev} up`"))
        elif not self.device_flags & IFF_LOWER_UP:
            out.append(
                Cause(
                    "no_carrier",
                    f"{self.dev} has no carrier: the other end of the link is down or unplugged",
                )
            )
        own = [(a, n) for fam, a, n in self.addresses if fam == self.family]
        version = "IPv4" if self.family == AF_INET else "IPv6"
        if not own:
            out.append(
                Cause(
                    "no_address",
                    f"{self.dev} has no {version} address: its requests carry no source "
                    "address a neighbour would answer",
                )
            )
        else:
            dst = ipaddress.ip_address(self.dst)
            nets = [ipaddress.ip_network(f"{a}/{n}", strict=False) for a, n in own]
            link_local = self.family != AF_INET and dst.is_link_local
            if not link_local and not any(dst in net for net in nets):
                listed = ", ".join(str(n) for n in nets)
                out.append(
                    Cause(
                        "off_link",
                        f"{self.dst} is outside {self.dev}'s subnets ({listed}): no neighbour "
                        "on this link need own it; traffic to it normally goes via a router",
                    )
                )
        seconds = self.expected_seconds()
        if self.outcome is Outcome.FAILED:
            how = "unicast probes to the cached MAC" if self.unicast else "solicitations"
            out.append(
                Cause(
                    "no_answer",
                    f"nobody answered {self.solicitations()} {how} on {self.dev} in "
                    f"{seconds:g} s: the host is down, has another address, or a firewall "
                    f"drops {'ARP' if self.family == AF_INET else 'ICMPv6 neighbour discovery'}",
                )
            )
        if self.unicast and self.before is not None and self.before.lladdr:
            out.append(
                Cause(
                    "moved",
                    f"the cached MAC {self.before.lladdr} may be stale (a replaced host or "
                    "VM): it would answer a broadcast; `neighctl del` the entry and probe again",
                )
            )
        if self.proxies:
            devs = ", ".join(sorted({n.dev for n in self.proxies}))
            out.append(
                Cause(
                    "own_proxy",
                    f"this namespace has a proxy entry for {self.dst} on {devs}: it answers "
                    "other hosts' requests, not this host's own resolution",
                )
            )
        proxy = (
            "proxy_arp=1 on its device (or a proxy entry, with forwarding)"
            if self.family == AF_INET
            else "a proxy entry, net.ipv6.conf.*.forwarding=1 and proxy_ndp=1"
        )
        out.append(
            Cause(
                "proxy",
                f"if a proxy should answer for {self.dst} (proxy ARP/NDP, a Calico host-side "
                f"veth), the answering host needs {proxy}",
            )
        )
        if self.outcome is Outcome.TIMEOUT:
            out.append(
                Cause(
                    "timeout",
                    f"the kernel's timers need about {seconds:g} s on this path; "
                    f"--timeout was {self.timeout:g} s",
                )
            )
        return out
