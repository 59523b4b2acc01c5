"""Where explain once said what the kernel does not do: each case with the kernel as witness.

Each test builds the case in a namespace, asks `explain`, then watches what the
kernel does (or reads what it reports with `ip`), and holds the two together.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from typing import Any

import pytest

from neighctl.errors import NoSuchDeviceError
from neighctl.explain import classify, explain_address, explain_state
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


ARP_FROM_PEER = """\
import socket, struct, sys
mac = lambda m: bytes(int(x, 16) for x in m.split(":"))
sha, spa, eth_dst = sys.argv[1:4]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("veth1", 0))
arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + mac(sha) + socket.inet_aton(spa)
arp += mac("02:00:00:00:01:01") + socket.inet_aton("10.0.0.1")
s.send(mac(eth_dst) + mac(sha) + struct.pack("!H", 0x0806) + arp + bytes(18))
"""

NA_FROM_PEER = """\
import socket, struct, sys
target, lladdr, solicited = sys.argv[1:4]
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
flags = (0x40000000 if solicited == "1" else 0) | 0x20000000  # S, O
na = struct.pack("!BBHI", 136, 0, 0, flags) + socket.inet_pton(socket.AF_INET6, target)
na += bytes([2, 1]) + bytes(int(x, 16) for x in lladdr.split(":"))
s.sendto(na, ("fd00::1", 0))
"""


@pytest.mark.parametrize(
    ("dst", "script", "args", "want"),
    [
        ("10.0.0.41", ARP_FROM_PEER, ["02:00:00:00:00:41", "10.0.0.41", "02:00:00:00:01:01"],
         "REACHABLE"),  # a unicast ARP reply
        ("10.0.0.42", ARP_FROM_PEER, ["02:00:00:00:00:42", "10.0.0.42", "ff:ff:ff:ff:ff:ff"],
         "STALE"),  # a broadcast ARP reply
        ("fd00::43", NA_FROM_PEER, ["fd00::43", "02:00:00:00:00:43", "1"], "REACHABLE"),
        ("fd00::44", NA_FROM_PEER, ["fd00::44", "02:00:00:00:00:44", "0"], "STALE"),
    ],
)  # fmt: skip
def test_incomplete_set_by_hand_takes_what_the_neighbour_says(
    lab: Lab, dst: str, script: str, args: list[str], want: str
) -> None:
    """arp_process and ndisc_recv_na: a unicast ARP reply or a solicited advertisement
    makes a hand-set INCOMPLETE entry REACHABLE, not STALE (nobody asked, but the
    kernel cannot tell); a broadcast reply or an unsolicited advertisement, STALE."""
    lab.ip("neigh", "replace", dst, "dev", "veth0", "nud", "incomplete")
    [entry] = explained(lab, dst)
    steps = {step["kind"]: step for step in entry["next"]}
    assert steps["incomplete_heard"]["to"] == "STALE"
    assert steps["incomplete_reply"]["to"] == "REACHABLE"
    run("ip", "netns", "exec", lab.peer, sys.executable, "-c", script, *args)
    lab.wait_state(dst, want, timeout=5)
    assert lab.state_of(dst) == [want]


def test_managed_entries_probe_at_the_tables_interval_not_the_devices(lab: Lab) -> None:
    """neigh_managed_work reads interval_probe_time_ms from the table's default
    parameters (one work item per table): a device's own value changes nothing."""
    lab.sysctl("net.ipv4.neigh.veth0.interval_probe_time_ms", 60000)
    lab.ip("neigh", "add", "10.0.0.2", "dev", "veth0", "managed")
    [entry] = explained(lab, "10.0.0.2")
    [managed] = [step for step in entry["next"] if step["kind"] == "managed"]
    interval = managed["facts"]["interval"]
    assert interval != 60.0
    # The witness: the kernel re-resolves on the table's interval, which resets `used`.
    lab.wait_for(lambda: lab.state_of("10.0.0.2") == ["REACHABLE"], 5, "resolved")
    seen = []
    deadline = time.monotonic() + interval + 2.0
    while time.monotonic() < deadline:
        seen.append(lab.neigh_json("10.0.0.2")[0]["used"])
        time.sleep(0.2)
    assert any(later < earlier for earlier, later in itertools.pairwise(seen))


def test_a_numeric_zone_is_the_interface_index(lab: Lab) -> None:
    """RFC 4007 zones may be numbers (`ping fe80::1%2`): the interface's index."""
    lab.ip("neigh", "add", "fe80::2", "lladdr", "02:00:00:00:01:02", "dev", "veth0", "nud", "stale")
    [link] = lab.ip_json("link", "show", "veth0")
    target = classify(f"fe80::2%{link['ifindex']}")
    assert target.address is not None
    [entry] = explained(lab, target.address, zone=target.zone)
    assert entry["entry"]["dev"] == "veth0"
    with pytest.raises(NoSuchDeviceError):
        explain_address("fe80::2", zone="999", netns=lab.ns)
