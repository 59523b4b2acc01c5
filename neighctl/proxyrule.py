"""Whether the kernel answers for a proxy entry: one rule for explain and the doctor (stdlib only).

IPv6 (net/ipv6/ndisc.c, ndisc_recv_ns): a solicitation for a proxied target is
answered only when the device forwards (net.ipv6.conf.DEV.forwarding) and
proxy_ndp is 1 on the device or on ``all``.

IPv4 (net/ipv4/arp.c, arp_process): a target routed as RTN_LOCAL is answered as
one of our own addresses; otherwise a proxy entry answers only when the device
forwards (IN_DEV_FORWARD: the device's own value) and the target has a unicast
route that leaves by another device (``rt->dst.dev != dev``). Any other route
type (blackhole, unreachable, broadcast, ...) gets no answer.

Both were checked in namespaces (tests/kernel/test_doctor_proxy.py,
tests/kernel/test_explain_proxy.py): the requester resolves exactly when this
rule says it is answered.
"""

from __future__ import annotations

from typing import NamedTuple

from neighctl.model import AF_INET6


class Sysctls(NamedTuple):
    """What decides whether a device's proxy entry answers; None where unknown.

    ``route`` is how the kernel routes the entry's address: "unicast", "local",
    "none" (no usable route: none at all, unreachable, blackhole, prohibit) or
    "other" (another route type); ``route_dev`` the device a unicast route
    leaves by.
    """

    forwarding: int | None = None
    proxy_ndp: int | None = None
    proxy_ndp_all: int | None = None
    route: str | None = None
    route_dev: str | None = None


class Verdict(NamedTuple):
    """``answers``: True, False, or None (not known from what was read); ``reasons`` are
    stable keys (``answers_v6_no_forwarding``, ...) that views turn into words."""

    answers: bool | None
    reasons: tuple[str, ...]


def proxy_verdict(family: int, dev: str, s: Sysctls) -> Verdict:
    """The rule above for a proxy entry of ``family`` on device ``dev`` ("" for none)."""
    if not dev:  # only IPv4 has them (pndisc_constructor refuses one without a device)
        return Verdict(None, ("answers_any_dev",))
    if family == AF_INET6:
        if s.forwarding is None or (s.proxy_ndp is None and s.proxy_ndp_all is None):
            return Verdict(None, ("answers_v6_unknown",))
        reasons = []
        if not s.forwarding:
            reasons.append("answers_v6_no_forwarding")
        if not (s.proxy_ndp or s.proxy_ndp_all):
            reasons.append("answers_v6_no_proxy_ndp")
        if reasons:
            return Verdict(False, tuple(reasons))
        return Verdict(True, ("answers_v6_yes",))
    if s.route == "local":  # answered as one of our own addresses, proxy entry or not
        return Verdict(True, ("answers_v4_local",))
    if s.forwarding is None:
        return Verdict(None, ("answers_v4_unknown",))
    if not s.forwarding:
        return Verdict(False, ("answers_v4_no_forwarding",))
    if s.route == "none":
        return Verdict(False, ("answers_v4_no_route",))
    if s.route == "other":
        return Verdict(False, ("answers_v4_not_unicast",))
    if s.route == "unicast" and s.route_dev is not None:
        if s.route_dev == dev:
            return Verdict(False, ("answers_v4_same_dev",))
        return Verdict(True, ("answers_v4_yes",))
    return Verdict(None, ("answers_v4_routed",))
