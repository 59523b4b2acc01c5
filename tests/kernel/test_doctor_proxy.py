"""The IPv4 proxy rule the proxy check uses, against the kernel (net/ipv4/arp.c, arp_process).

A requester in A asks for 10.1.0.50 on its link to B, where B holds a proxy
entry for it on b0. B answers only when b0 forwards and 10.1.0.50 has a
unicast route that leaves by another device. For each configuration, the
check's verdict (the entry can answer or not) must match what the requester's
neighbour entry ends as.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from neighctl.diagnose import proxy
from neighctl.kernel.snapshot import take_snapshot
from tests.kernel.doctor_support import (
    batch,
    ip,
    namespaces,
    send_udp,
    state_of,
    sysctl,
    wait_until,
)

TARGET = "10.1.0.50"


@pytest.fixture
def proxy_lab() -> Iterator[tuple[str, str]]:
    """A -- B -- C: A (10.1.0.2) asks, B (10.1.0.1 on b0, 10.2.0.1 on b1) proxies."""
    with namespaces("pxa", "pxb", "pxc") as (a, b, c):
        ip(a, "link", "add", "a0", "type", "veth", "peer", "name", "b0", "netns", b)
        ip(b, "link", "add", "b1", "type", "veth", "peer", "name", "c0", "netns", c)
        batch(a, "addr add 10.1.0.2/24 dev a0\nlink set a0 up\n")
        batch(
            b,
            "addr add 10.1.0.1/24 dev b0\nlink set b0 up\n"
            "addr add 10.2.0.1/24 dev b1\nlink set b1 up\n"
            f"neigh add proxy {TARGET} dev b0\n",
        )
        batch(c, "addr add 10.2.0.2/24 dev c0\nlink set c0 up\n")
        # Answer at once (no random proxy_delay) so the outcome is not a race.
        sysctl(b, "net.ipv4.neigh.b0.proxy_delay", 0)
        yield a, b


def answered(a: str) -> bool:
    """Whether B answers A's request for TARGET (A's entry resolves or fails).

    When the shared table is above gc_thresh1 (other namespaces' entries count),
    periodic GC may remove the FAILED entry before it is seen: an entry seen
    unresolved that is gone has failed.
    """
    ip(a, "neigh", "flush", "dev", "a0")
    send_udp(a, TARGET)
    final = {"REACHABLE", "STALE", "DELAY", "FAILED"}
    seen: list[set[str]] = []

    def ended() -> bool:
        state = set(state_of(a, TARGET, "a0"))
        if state:
            seen.append(state)
        return bool(final & state) or (not state and bool(seen))

    wait_until(ended, what="resolution ends")
    return bool(final & seen[-1]) and "FAILED" not in seen[-1] and bool(state_of(a, TARGET, "a0"))


def check_says(b: str) -> bool:
    ns = take_snapshot(b).namespaces[0]
    (entry,) = [n for n in ns.neighbors or () if n.is_proxy and n.dst == TARGET]
    why, _ = proxy.problems(ns, entry)
    return not why


CONFIGS = [
    ("forwarding off, route out of b1", "0", f"route add {TARGET}/32 dev b1\n", False),
    ("forwarding on, route out of b0 itself", "1", "", False),
    ("forwarding on, route out of b1", "1", f"route add {TARGET}/32 dev b1\n", True),
    ("forwarding on, blackhole route", "1", f"route add blackhole {TARGET}/32\n", False),
    (
        "forwarding on, route via a gateway on b1",
        "1",
        f"route add {TARGET}/32 via 10.2.0.2\n",
        True,
    ),
]


@pytest.mark.parametrize(
    ("what", "forwarding", "routes", "expected"), CONFIGS, ids=[c[0] for c in CONFIGS]
)
def test_ipv4_proxy_rule_matches_the_kernel(
    proxy_lab: tuple[str, str], what: str, forwarding: str, routes: str, expected: bool
) -> None:
    a, b = proxy_lab
    sysctl(b, "net.ipv4.conf.b0.forwarding", forwarding)
    if routes:
        batch(b, routes)
    assert answered(a) is expected, what
    assert check_says(b) is expected, what


def test_device_forwarding_is_what_counts(proxy_lab: tuple[str, str]) -> None:
    """all.forwarding=1 with b0's own forwarding 0: no answer (IN_DEV_FORWARD reads b0's)."""
    a, b = proxy_lab
    batch(b, f"route add {TARGET}/32 dev b1\n")
    sysctl(b, "net.ipv4.conf.all.forwarding", 1)  # propagates to every device ...
    sysctl(b, "net.ipv4.conf.b0.forwarding", 0)  # ... then b0 alone is turned off
    assert answered(a) is False
    assert check_says(b) is False
