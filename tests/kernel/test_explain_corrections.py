"""Where explain once said what the kernel does not do: each case with the kernel as witness.

Each test builds the case in a namespace, asks `explain`, then watches what the
kernel does (or reads what it reports with `ip`), and holds the two together.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest

from neighctl.explain import explain_address, explain_state
from neighctl.explain.phrases import ages_text, proxy_text, table_text
from neighctl.explain.words import load
from neighctl.kernel import netns as kernel_netns
from tests.explain_support import rendered
from tests.kernel.monitor import monitor
from tests.lab import Lab, run

EN = load("en")


def explained(lab: Lab, addr: str, **kw: Any) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        rendered(explain_address(addr, netns=lab.ns, **kw), "en", "json")
    )
    return data


def peer_sends(lab: Lab, dst: str) -> None:
    """One datagram from the peer namespace (its resolution of ``dst`` goes over veth1)."""
    family = "AF_INET6" if ":" in dst else "AF_INET"
    code = (
        f"import socket\ns = socket.socket(socket.{family}, socket.SOCK_DGRAM)\n"
        f"s.sendto(b'x', ({dst!r}, 9))\n"
    )
    run("ip", "netns", "exec", lab.peer, sys.executable, "-c", code)


def peer_state(lab: Lab, dst: str) -> list[str]:
    out = run("ip", "-n", lab.peer, "-j", "neigh", "show", "nud", "all").stdout
    for e in json.loads(out or "[]"):
        if e["dst"] == dst:
            return list(e.get("state", []))
    return []


def peer_sysctl(lab: Lab, key: str, value: int) -> None:
    run("ip", "netns", "exec", lab.peer, "sysctl", "-qw", f"{key}={value}")


def test_incomplete_set_by_hand_long_ago_neither_fails_nor_is_collected(lab: Lab) -> None:
    """`used 34/94/30probes 6 INCOMPLETE`: an entry forced back to INCOMPLETE after it
    failed has no timer. explain once said "FAILED in about 0 s"."""
    lab.send_udp("10.0.0.99")  # nobody there: INCOMPLETE, then FAILED after 3 x 0.1 s
    lab.wait_state("10.0.0.99", "FAILED")
    lab.ip("neigh", "replace", "10.0.0.99", "dev", "veth0", "nud", "incomplete")
    time.sleep(1.6)  # longer than a resolution (0.3 s) plus the margin (1 s)
    [witness] = lab.neigh_json("10.0.0.99", "nud", "all")
    assert witness["state"] == ["INCOMPLETE"]
    assert witness["probes"] == 6  # the count is past every probe: no timer could be running
    [entry] = explained(lab, "10.0.0.99")
    first = entry["next"][0]
    assert first["kind"] == "incomplete_overdue"
    assert first["to"] is None
    assert first["latest"] is None
    assert "neither fail nor be collected" in first["text"]
    assert "FAILED" not in first["text"]
    time.sleep(1.0)
    assert lab.state_of("10.0.0.99") == ["INCOMPLETE"]  # still: nothing failed it


def test_incomplete_fails_one_retrans_time_after_the_last_probe(lab: Lab) -> None:
    """Each solicitation is followed by a full retrans_time: with 2 of them 1 s apart the
    entry fails 2 s after it began (the old prediction said 1 s)."""
    lab.sysctl("net.ipv4.neigh.veth0.retrans_time_ms", 1000)
    lab.sysctl("net.ipv4.neigh.veth0.mcast_solicit", 2)
    with monitor(lab.ns) as mon:
        sent = time.monotonic()
        lab.send_udp("10.0.0.99")
        [entry] = explained(lab, "10.0.0.99", dev="veth0")
        asked = time.monotonic()
        step = entry["next"][0]
        assert (entry["state"], step["to"]) == ("INCOMPLETE", "FAILED")
        failed = mon.wait("10.0.0.99", "FAILED", after=sent)
    assert failed - sent == pytest.approx(2.0, abs=0.3)
    assert failed == pytest.approx(asked + step["latest"], abs=0.3)


def test_probe_fails_one_retrans_time_after_the_last_probe(lab: Lab) -> None:
    lab.sysctl("net.ipv4.neigh.veth0.base_reachable_time_ms", 3000)
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 1)
    lab.send_udp("10.0.0.2")
    lab.wait_state("10.0.0.2", "REACHABLE")
    lab.wait_state("10.0.0.2", "STALE", timeout=10)
    lab.sysctl("net.ipv4.neigh.veth0.retrans_time_ms", 1000)
    lab.sysctl("net.ipv4.neigh.veth0.ucast_solicit", 2)
    subprocess.run(["ip", "-n", lab.peer, "link", "set", "veth1", "arp", "off"], check=True)
    with monitor(lab.ns) as mon:
        lab.send_udp("10.0.0.2")  # STALE -> DELAY (1 s) -> PROBE: 2 probes, 1 s apart
        probe = mon.wait("10.0.0.2", "PROBE")
        [entry] = explained(lab, "10.0.0.2", dev="veth0")
        asked = time.monotonic()
        step = entry["next"][0]
        assert (entry["state"], step["to"]) == ("PROBE", "FAILED")
        failed = mon.wait("10.0.0.2", "FAILED", after=probe)
    assert failed - probe == pytest.approx(2.0, abs=0.3)
    assert failed == pytest.approx(asked + step["latest"], abs=0.3)


@pytest.mark.parametrize(
    ("forwarding", "proxy_ndp", "answers"), [(0, 1, False), (1, 0, False), (1, 1, True)]
)
def test_ipv6_proxy_answers_only_with_forwarding_and_proxy_ndp(
    lab: Lab, forwarding: int, proxy_ndp: int, answers: bool
) -> None:
    lab.ip("neigh", "add", "proxy", "fd00::50", "dev", "veth0")
    lab.sysctl("net.ipv6.conf.veth0.forwarding", forwarding)
    lab.sysctl("net.ipv6.conf.veth0.proxy_ndp", proxy_ndp)
    [entry] = explained(lab, "fd00::50")
    assert entry["answers"]["answers"] is answers
    if not forwarding:
        assert entry["answers"]["reasons"] == ["answers_v6_no_forwarding"]
        assert "forwarding is 0 on veth0" in entry["answers"]["text"]
    # The witness: the peer asks for fd00::50 and gets an answer, or gives up. A proxied
    # answer to a multicast solicitation waits up to proxy_delay (0.8 s): none here, so
    # that it comes within the peer's 3 x 0.1 s of asking.
    lab.sysctl("net.ipv6.neigh.veth0.proxy_delay", 0)
    peer_sysctl(lab, "net.ipv6.neigh.veth1.retrans_time_ms", 100)
    peer_sends(lab, "fd00::50")
    want = "REACHABLE" if answers else "FAILED"
    lab.wait_for(lambda: want in peer_state(lab, "fd00::50"), 5, f"peer's fd00::50 {want}")


def test_ipv4_proxy_does_not_answer_without_forwarding(lab: Lab) -> None:
    lab.ip("neigh", "add", "proxy", "10.0.0.50", "dev", "veth0")
    lab.sysctl("net.ipv4.conf.veth0.forwarding", 0)
    [entry] = explained(lab, "10.0.0.50")
    assert entry["answers"]["answers"] is False
    assert entry["answers"]["reasons"] == ["answers_v4_no_forwarding"]
    peer_sysctl(lab, "net.ipv4.neigh.veth1.retrans_time_ms", 100)
    peer_sends(lab, "10.0.0.50")
    lab.wait_for(lambda: "FAILED" in peer_state(lab, "10.0.0.50"), 5, "peer's 10.0.0.50 FAILED")


def test_proxy_entries_have_no_ages(lab: Lab) -> None:
    lab.ip("neigh", "add", "proxy", "fd00::50", "dev", "veth0")
    [witness] = lab.ip_json("-s", "neigh", "show", "proxy")
    assert not {"used", "confirmed", "updated", "probes"} & set(witness)  # ip shows none
    [entry] = explained(lab, "fd00::50")
    assert entry["ages"]["known"] is False
    assert entry["ages"]["text"].startswith("none: a proxy entry keeps no ages")
    assert "not known" not in entry["ages"]["text"]
    assert entry["notes"] == []  # no timers, so no note about default timers
    assert entry["summary"].startswith("no state: a proxy entry")
    assert "never resolved" not in entry["summary"]


def test_never_confirmed_entries_say_so(lab: Lab) -> None:
    """The kernel stamps an unconfirmed address 2 x base_reachable_time in the past."""
    lab.ip(
        "neigh", "add", "10.0.0.30", "lladdr", "02:00:00:00:00:30", "dev", "veth0", "nud", "stale"
    )
    lab.send_udp("10.0.0.2")
    lab.wait_state("10.0.0.2", "REACHABLE")
    [witness] = lab.neigh_json("10.0.0.30")
    base = 600  # the lab's base_reachable_time on veth0, in seconds
    assert witness["confirmed"] - witness["updated"] == pytest.approx(2 * base, abs=1)
    [stale] = explained(lab, "10.0.0.30")
    assert stale["ages"]["never_confirmed"] is True
    assert stale["ages"]["confirmed"] is None
    assert "never confirmed" in stale["ages"]["text"]
    assert "confirmed 1200" not in stale["ages"]["text"]
    [reachable] = explained(lab, "10.0.0.2")
    assert reachable["ages"]["never_confirmed"] is False
    assert "s ago, confirmed" in reachable["ages"]["text"]


def test_router_flag_set_by_hand_is_not_from_advertisements(lab: Lab) -> None:
    lab.ip("neigh", "add", "fd00::60", "lladdr", "02:00:00:00:00:60", "dev", "veth0", "router")
    lab.ip("neigh", "add", "10.0.0.60", "lladdr", "02:00:00:00:00:60", "dev", "veth0", "router")
    for addr in ("fd00::60", "10.0.0.60"):
        [entry] = explained(lab, addr)
        assert "router" in entry["entry"]["flags"]
        [flag] = entry["flags"]
        assert flag["key"] == "router_by_hand"
        assert "R bit" not in flag["meaning"].split(":")[0]
        assert "set by hand" in flag["meaning"]
    # A router flag the kernel learnt: the peer forwards, so its advertisements carry R.
    peer_sysctl(lab, "net.ipv6.conf.veth1.forwarding", 1)
    lab.send_udp("fd00::2")
    lab.wait_state("fd00::2", "REACHABLE")
    assert " router " in lab.ip("neigh", "show", "fd00::2")
    [learnt] = explained(lab, "fd00::2")
    assert [f["key"] for f in learnt["flags"]] == ["router"]


def test_table_line_says_what_the_kernel_compares(lab: Lab) -> None:
    doc = explain_state("STALE", dev="veth0", netns=lab.ns)
    _p, table = doc.timers[0]
    line = table_text(table, EN)
    assert "PERMANENT, extern_learn and loopback included" in line
    assert "compares only the entries GC may remove" in line
    assert "gc_thresh2 and gc_thresh3" in line
    text = " ".join(rendered(doc, "en", "text").split())
    assert line in text


def test_explain_address_enters_the_namespace_once(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One entry (and one return) for the dump, the ntable and the sysctls together."""
    lab.ip("neigh", "add", "proxy", "fd00::50", "dev", "veth0")
    calls: list[int] = []
    real = kernel_netns._setns

    def counting(fd: int) -> None:  # a spy: the kernel still does the work
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(kernel_netns, "_setns", counting)
    [entry] = explain_address("fd00::50", netns=lab.ns)
    assert len(calls) == 2  # into the namespace, and back
    assert entry.proxy is not None
    assert entry.proxy.answers is False  # the sysctls were read inside it
    said = proxy_text(entry.proxy, EN)  # forwarding and proxy_ndp are both 0: one verdict
    assert said.startswith("no: forwarding is 0 on veth0")
    assert said.count("no:") == 1
    assert "proxy_ndp is 0 on veth0 and on all" in said
    assert ages_text(entry.ages, EN).startswith("none")
