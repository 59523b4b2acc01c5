"""Drive real entries through transitions and hold `explain ADDR` to its predictions.

Each test shortens the interface's timers in a fresh namespace, asks neighctl
what the kernel will do next and when, then watches what the kernel does.
Tolerances allow for the timer wheel's slack (up to ~0.25 s for timers of a
few seconds) and for starting a Python sender inside the namespace.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest

from tests.explain_support import explain_address
from tests.kernel.monitor import monitor
from tests.lab import Lab

SLACK = 0.6


def explain(lab: Lab, addr: str) -> list[dict[str, Any]]:
    out = explain_address(addr, lang="en", output="json", dev="veth0", netns=lab.ns)
    result: list[dict[str, Any]] = json.loads(out)
    return result


def sender(lab: Lab, dst: str, count: int, interval: float) -> subprocess.Popen[str]:
    """A process in the namespace sending `count` datagrams, `interval` apart."""
    code = (
        "import socket, time\n"
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        f"for _ in range({count}):\n"
        f"    s.sendto(b'x', ({dst!r}, 9)); time.sleep({interval})\n"
    )
    return subprocess.Popen(["ip", "netns", "exec", lab.ns, sys.executable, "-c", code], text=True)


def send_confirmed(lab: Lab, dst: str, gap: float) -> None:
    """One datagram, then after `gap` s another with MSG_CONFIRM (an upper-layer confirmation)."""
    code = (
        "import socket, time\n"
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        f"s.sendto(b'x', ({dst!r}, 9)); time.sleep({gap})\n"
        f"s.sendto(b'y', socket.MSG_CONFIRM, ({dst!r}, 9))\n"
    )
    subprocess.run(["ip", "netns", "exec", lab.ns, sys.executable, "-c", code], check=True)


def make_stale(lab: Lab, dst: str = "10.0.0.2") -> None:
    """Resolve ``dst`` and let it age to STALE (reachable_time 1.5-4.5 s > 1 s delay).

    With reachable_time shorter than delay_first_probe_time the entry would go
    to DELAY instead (becoming REACHABLE counts as a use), so tests that need a
    longer DELAY set it after this.
    """
    lab.sysctl("net.ipv4.neigh.veth0.base_reachable_time_ms", 3000)
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 1)
    lab.send_udp(dst)
    lab.wait_state(dst, "REACHABLE")
    lab.wait_state(dst, "STALE", timeout=10)


def test_reachable_turns_stale_when_predicted(lab: Lab) -> None:
    lab.sysctl("net.ipv4.neigh.veth0.base_reachable_time_ms", 3000)  # 1.5-4.5 s
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 1)
    with monitor(lab.ns) as mon:
        lab.send_udp("10.0.0.2")
        lab.wait_state("10.0.0.2", "REACHABLE")
        asked = time.monotonic()
        [entry] = explain(lab, "10.0.0.2")
        assert entry["state"] == "REACHABLE"
        step = entry["next"][0]
        assert step["to"] == "STALE"
        assert step["earliest"] == step["latest"]  # live reachable_time: one figure
        assert 0 <= step["latest"] <= 4.5
        stale = mon.wait("10.0.0.2", "STALE", after=asked)
    took = stale - asked
    assert step["latest"] - 0.2 <= took <= step["latest"] + SLACK


def test_reachable_turns_delay_when_reachable_time_is_short(lab: Lab) -> None:
    """Becoming REACHABLE counts as a use: with reachable_time < delay_first_probe_time
    the kernel goes REACHABLE -> DELAY -> PROBE, and explain says so."""
    lab.sysctl("net.ipv4.neigh.veth0.base_reachable_time_ms", 2000)  # 1-3 s
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 4)
    with monitor(lab.ns) as mon:
        lab.send_udp("10.0.0.2")
        lab.wait_state("10.0.0.2", "REACHABLE")
        asked = time.monotonic()
        [entry] = explain(lab, "10.0.0.2")
        step = entry["next"][0]
        assert step["to"] == "DELAY"
        lab.wait_state("10.0.0.2", "DELAY", timeout=5)
        delayed = time.monotonic()
        probe = mon.wait("10.0.0.2", "PROBE", after=asked)
        assert "STALE" not in mon.states("10.0.0.2")
    assert step["latest"] - 0.2 <= delayed - asked <= step["latest"] + SLACK
    assert probe - (asked + step["latest"]) == pytest.approx(4.0, abs=SLACK)


def test_reachable_turns_stale_even_under_traffic(lab: Lab) -> None:
    """Cached-header sends do not count as use: STALE first, then DELAY (not DELAY directly)."""
    lab.sysctl("net.ipv4.neigh.veth0.base_reachable_time_ms", 3000)
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 1)
    with monitor(lab.ns) as mon:
        proc = sender(lab, "10.0.0.2", count=70, interval=0.1)
        try:
            first = mon.wait("10.0.0.2", "REACHABLE")
            stale = mon.wait("10.0.0.2", "STALE", after=first)
            probe = mon.wait("10.0.0.2", "PROBE", after=stale)
            again = mon.wait("10.0.0.2", "REACHABLE", after=probe)
        finally:
            proc.wait(timeout=10)
    # STALE -> (next packet) DELAY -> 1 s unconfirmed -> PROBE -> reply -> REACHABLE
    assert 0.8 <= probe - stale <= 1.0 + 0.1 + SLACK
    assert again - probe < 0.5


def test_stale_delay_probe_reachable(lab: Lab) -> None:
    make_stale(lab)
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 2)
    [entry] = explain(lab, "10.0.0.2")
    assert entry["state"] == "STALE"
    assert entry["next"][0]["to"] == "DELAY"
    assert "DELAY for 2 s" in entry["next"][0]["text"]
    with monitor(lab.ns) as mon:
        sent = time.monotonic()
        lab.send_udp("10.0.0.2")
        assert lab.state_of("10.0.0.2") == ["DELAY"]
        [delay] = explain(lab, "10.0.0.2")
        assert delay["state"] == "DELAY"
        assert delay["next"][0]["to"] == "PROBE"
        predicted_at = time.monotonic() + delay["next"][0]["latest"]
        probe = mon.wait("10.0.0.2", "PROBE", after=sent)
        reachable = mon.wait("10.0.0.2", "REACHABLE", after=probe)
    assert predicted_at - SLACK <= probe <= predicted_at + SLACK
    assert 2.0 - 0.1 <= probe - sent <= 2.0 + SLACK
    assert reachable - probe < 0.5  # the peer answers the unicast probe


def test_delay_confirmed_returns_to_reachable_without_probe(lab: Lab) -> None:
    make_stale(lab)
    with monitor(lab.ns) as mon:
        sent = time.monotonic()
        send_confirmed(lab, "10.0.0.2", gap=0.3)
        back = mon.wait("10.0.0.2", "REACHABLE", after=sent)
        time.sleep(0.2)
        assert "PROBE" not in mon.states("10.0.0.2")
    assert 1.0 - 0.1 <= back - sent <= 1.0 + SLACK


def test_incomplete_fails_when_predicted(lab: Lab) -> None:
    lab.sysctl("net.ipv4.neigh.veth0.retrans_time_ms", 400)
    lab.sysctl("net.ipv4.neigh.veth0.mcast_solicit", 3)  # 3 x 0.4 s = 1.2 s
    with monitor(lab.ns) as mon:
        sent = time.monotonic()
        lab.send_udp("10.0.0.99")
        assert lab.state_of("10.0.0.99") == ["INCOMPLETE"]
        [entry] = explain(lab, "10.0.0.99")
        asked = time.monotonic()
        assert entry["state"] == "INCOMPLETE"
        step = entry["next"][0]
        assert step["to"] == "FAILED"
        assert step["latest"] <= 1.2
        failed = mon.wait("10.0.0.99", "FAILED", after=sent)
    assert 1.2 - 0.1 <= failed - sent <= 1.2 + SLACK
    assert asked + step["latest"] - SLACK <= failed <= asked + step["latest"] + SLACK
    [after] = explain(lab, "10.0.0.99")
    assert after["state"] == "FAILED"
    assert after["next"][0]["to"] == "INCOMPLETE"


def test_probe_fails_when_the_neighbour_goes_silent(lab: Lab) -> None:
    lab.sysctl("net.ipv4.neigh.veth0.retrans_time_ms", 300)
    lab.sysctl("net.ipv4.neigh.veth0.ucast_solicit", 2)
    make_stale(lab)
    subprocess.run(["ip", "-n", lab.peer, "link", "set", "veth1", "arp", "off"], check=True)
    with monitor(lab.ns) as mon:
        lab.send_udp("10.0.0.2")
        probe = mon.wait("10.0.0.2", "PROBE")
        [entry] = explain(lab, "10.0.0.2")
        asked = time.monotonic()
        if entry["state"] == "PROBE":
            assert entry["next"][0]["to"] == "FAILED"
            assert entry["next"][0]["latest"] <= 0.6
        failed = mon.wait("10.0.0.2", "FAILED", after=probe)
    assert 0.6 - 0.1 <= failed - probe <= 0.6 + SLACK  # ucast_solicit 2 x 0.3 s
    if entry["state"] == "PROBE":
        assert failed <= asked + entry["next"][0]["latest"] + SLACK


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_live_reachable_text_names_the_interface(lab: Lab, lang: str) -> None:
    lab.send_udp("10.0.0.2")
    lab.wait_state("10.0.0.2", "REACHABLE")
    text = explain_address("10.0.0.2", lang=lang, output="text", dev="veth0", netns=lab.ns)
    assert text.startswith("10.0.0.2 dev veth0 lladdr 02:00:00:00:01:02 REACHABLE")
    assert "veth0" in text.split("\n", 2)[2]


def test_ipv6_incomplete_fails_with_the_nd_timers(lab: Lab) -> None:
    """The ND table has its own parameters: the prediction uses the inet6 ones."""
    lab.sysctl("net.ipv6.neigh.veth0.retrans_time_ms", 300)
    lab.sysctl("net.ipv6.neigh.veth0.mcast_solicit", 2)  # 2 x 0.3 s = 0.6 s
    lab.sysctl("net.ipv4.neigh.veth0.retrans_time_ms", 1000)  # must not be used
    with monitor(lab.ns) as mon:
        sent = time.monotonic()
        code = (
            "import socket\n"
            "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"
            "s.sendto(b'x', ('fd00::99', 9))\n"
        )
        subprocess.run(["ip", "netns", "exec", lab.ns, sys.executable, "-c", code], check=True)
        [entry] = explain(lab, "fd00::99")
        assert entry["state"] == "INCOMPLETE"
        assert entry["next"][0]["latest"] <= 0.6
        failed = mon.wait("fd00::99", "FAILED", after=sent)
    assert 0.6 - 0.1 <= failed - sent <= 0.6 + SLACK


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_delay_entry_that_never_was_stale_is_not_said_to_have_been(lab: Lab, lang: str) -> None:
    """REACHABLE -> DELAY directly (a use recorded within delay_first_probe_time when
    reachable_time ran out): DELAY's summary must not say the entry was STALE."""
    lab.sysctl("net.ipv4.neigh.veth0.base_reachable_time_ms", 1000)  # 0.5-1.5 s
    with monitor(lab.ns) as mon:
        lab.send_udp("10.0.0.2")
        lab.wait_state("10.0.0.2", "DELAY", timeout=5)
        [entry] = json.loads(explain_address("10.0.0.2", lang=lang, output="json", netns=lab.ns))
        assert "STALE" not in mon.states("10.0.0.2")
    assert entry["state"] == "DELAY"
    assert "STALE" not in entry["summary"]
