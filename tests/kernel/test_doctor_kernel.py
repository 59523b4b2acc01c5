"""doctor on real namespaces: each planted problem is found with its check id and
severity, and fixing it (as the kernel confirms) makes the finding go away."""

from __future__ import annotations

import pytest

from neighctl.diagnose.failed import PILE
from neighctl.diagnose.findings import Severity
from tests.kernel.doctor_support import (
    batch,
    diagnose,
    found,
    ip,
    ip_json,
    namespaces,
    send_udp,
    state_of,
    sysctl,
    wait_until,
)
from tests.lab import Lab, run


def warnings(report: object, netns: str) -> list[str]:
    from neighctl.diagnose.findings import Report

    assert isinstance(report, Report)
    return [
        f"{f.check}: {f.title}"
        for f in report.findings
        if f.netns == netns and f.severity >= Severity.WARNING
    ]


FLANNEL = """\
link add vx0 type vxlan id 1 dstport 8472 local 10.0.0.1 dev veth0 nolearning
link set vx0 up
addr add 10.244.0.0/32 dev vx0
neigh add 10.244.1.0 lladdr 02:aa:00:00:01:00 dev vx0 nud permanent
route add 10.244.1.0/24 via 10.244.1.0 dev vx0 onlink
"""


def test_clean_namespace_gives_no_warning(lab: Lab) -> None:
    batch(lab.ns, FLANNEL)
    run(
        "bridge",
        "-n",
        lab.ns,
        "fdb",
        "append",
        "02:aa:00:00:01:00",
        "dev",
        "vx0",
        "dst",
        "10.0.0.2",
    )
    lab.send_udp("10.0.0.2")
    lab.wait_state("10.0.0.2", "REACHABLE")
    report = diagnose(lab.ns, lab.peer)
    assert warnings(report, lab.ns) == []
    assert warnings(report, lab.peer) == []
    assert report.exit_code == 0
    assert "vxlan" in report.checks
    assert "capacity" in report.checks


def test_vxlan_neighbour_without_fdb_and_the_reverse(lab: Lab) -> None:
    batch(lab.ns, FLANNEL)
    run(
        "bridge",
        "-n",
        lab.ns,
        "fdb",
        "append",
        "02:aa:00:00:01:00",
        "dev",
        "vx0",
        "dst",
        "10.0.0.2",
    )
    # A neighbour (and route) whose MAC has no FDB entry.
    batch(
        lab.ns,
        "neigh add 10.244.2.0 lladdr 02:aa:00:00:02:00 dev vx0 nud permanent\n"
        "route add 10.244.2.0/24 via 10.244.2.0 dev vx0 onlink\n",
    )
    # An FDB entry whose MAC no neighbour has (a node that is gone).
    run(
        "bridge",
        "-n",
        lab.ns,
        "fdb",
        "append",
        "02:aa:00:00:03:00",
        "dev",
        "vx0",
        "dst",
        "10.0.0.3",
    )
    # A route via the device whose gateway has no neighbour.
    ip(lab.ns, "route", "add", "10.244.4.0/24", "via", "10.244.4.0", "dev", "vx0", "onlink")
    report = diagnose(lab.ns, checks=["vxlan"])
    vx = found(report, "vxlan", lab.ns)
    assert all(f.severity == Severity.WARNING and f.dev == "vx0" for f in vx)
    titles = sorted(f.title for f in vx)
    assert len(vx) == 3, titles
    assert any("10.244.2.0 -> 02:aa:00:00:02:00" in t and "no FDB entry" in t for t in titles)
    assert any("FDB entry 02:aa:00:00:03:00 -> 10.0.0.3" in t for t in titles)
    assert any("10.244.4.0/24 via 10.244.4.0" in t for t in titles)
    # Both orphans at once: the finding says the MACs disagree.
    assert all("another MAC" in t for t in titles if "10.244.4.0" not in t)
    missing = next(f for f in vx if "no FDB entry" in f.title)
    assert missing.action == (
        f"bridge -n {lab.ns} fdb append 02:aa:00:00:02:00 dev vx0 dst REMOTE_NODE_IP"
    )
    # Repair each part as its finding says: nothing left.
    run(
        "bridge",
        "-n",
        lab.ns,
        "fdb",
        "append",
        "02:aa:00:00:02:00",
        "dev",
        "vx0",
        "dst",
        "10.0.0.4",
    )
    run("bridge", "-n", lab.ns, "fdb", "del", "02:aa:00:00:03:00", "dev", "vx0", "dst", "10.0.0.3")
    ip(lab.ns, "neigh", "add", "10.244.4.0", "lladdr", "02:aa:00:00:04:00", "dev", "vx0")
    run(
        "bridge",
        "-n",
        lab.ns,
        "fdb",
        "append",
        "02:aa:00:00:04:00",
        "dev",
        "vx0",
        "dst",
        "10.0.0.5",
    )
    assert found(diagnose(lab.ns, checks=["vxlan"]), "vxlan") == []


def test_vxlan_route_via_an_unresolved_gateway(lab: Lab) -> None:
    """The finding quotes the gateway's entry (hand-set INCOMPLETE: never collected)."""
    batch(
        lab.ns,
        "link add vx0 type vxlan id 1 dstport 8472 local 10.0.0.1 dev veth0 nolearning\n"
        "link set vx0 up\n"
        "neigh add 10.244.5.0 dev vx0 nud incomplete\n"
        "route add 10.244.5.0/24 via 10.244.5.0 dev vx0 onlink\n",
    )
    (finding,) = found(diagnose(lab.ns, checks=["vxlan"]), "vxlan", lab.ns)
    assert "10.244.5.0/24 via 10.244.5.0" in finding.title
    assert "unresolved (INCOMPLETE)" in finding.title
    assert finding.evidence["entry"]["dst"] == "10.244.5.0"
    assert state_of(lab.ns, "10.244.5.0", "vx0") == ["INCOMPLETE"]


def test_vxlan_with_a_default_remote_resolves_its_gateways(lab: Lab) -> None:
    """A point-to-point vxlan (`remote`): ARP for a gateway is flooded to the remote
    and answered, so a route whose gateway has no entry yet is no finding."""
    for ns, local, remote, addr in (
        (lab.ns, "10.0.0.1", "10.0.0.2", "10.77.0.1/24"),
        (lab.peer, "10.0.0.2", "10.0.0.1", "10.77.0.2/24"),
    ):
        batch(
            ns,
            f"link add vx7 type vxlan id 7 local {local} remote {remote} dstport 4789\n"
            f"link set vx7 up\naddr add {addr} dev vx7\n",
        )
    batch(
        lab.ns,
        "route add 10.78.0.0/24 via 10.77.0.2 dev vx7\n"
        "neigh add 10.77.0.9 lladdr 02:aa:00:00:09:00 dev vx7 nud permanent\n",
    )
    assert found(diagnose(lab.ns, checks=["vxlan"]), "vxlan") == []
    send_udp(lab.ns, "10.78.0.5")
    wait_until(lambda: "REACHABLE" in state_of(lab.ns, "10.77.0.2", "vx7"), what="gateway")
    assert found(diagnose(lab.ns, checks=["vxlan"]), "vxlan") == []


CALI = "cali0123456789a"


def calico_pair(host: str, pod: str) -> None:
    """A Calico-like workload: host side CALI (ee:ee:ee:ee:ee:ee), pod eth0 10.65.0.5."""
    ip(host, "link", "add", CALI, "type", "veth", "peer", "name", "eth0", "netns", pod)
    batch(
        host,
        f"link set {CALI} address ee:ee:ee:ee:ee:ee\n"
        f"link set {CALI} up\n"
        f"route add 10.65.0.5/32 dev {CALI}\n",
    )
    batch(
        pod,
        "link set eth0 address 02:00:00:65:00:05\n"
        "link set eth0 up\n"
        "addr add 10.65.0.5/32 dev eth0\n"
        "route add 169.254.1.1 dev eth0 scope link\n"
        "route add default via 169.254.1.1 dev eth0\n",
    )
    sysctl(pod, "net.ipv4.neigh.eth0.retrans_time_ms", 100)


def test_calico_route_without_neighbour_and_pod_gateway_failed(lab: Lab) -> None:
    with namespaces("pod") as (pod,):
        calico_pair(lab.ns, pod)
        # proxy_arp is off on the host side: the pod's gateway cannot resolve.
        send_udp(pod, "10.66.0.1")
        wait_until(lambda: "FAILED" in state_of(pod, "169.254.1.1", "eth0"), what="FAILED gateway")
        report = diagnose(lab.ns, pod, checks=["calico"])
        host = found(report, "calico", lab.ns)
        assert any(
            f.dev == CALI and "10.65.0.5/32" in f.title and "no neighbour entry" in f.title
            for f in host
        ), host
        assert any(f.dev == CALI and "proxy_arp is 0" in f.title for f in host), host
        (gateway,) = found(report, "calico", pod)
        assert gateway.severity == Severity.CRITICAL
        assert gateway.dev == "eth0"
        assert "FAILED" in gateway.title
        assert report.exit_code == 9
        assert gateway.action is not None
        assert gateway.action == (
            f"on the host ({lab.ns}, {CALI}): "
            f"ip netns exec {lab.ns} sysctl -w net.ipv4.conf.{CALI}.proxy_arp=1; "
            "the pod's next packet resolves it again"
        )

        # Fix the host side as the findings say; the kernel then answers for 169.254.1.1.
        ip(lab.ns, "neigh", "add", "10.65.0.5", "lladdr", "02:00:00:65:00:05", "dev", CALI)
        sysctl(lab.ns, f"net.ipv4.conf.{CALI}.proxy_arp", 1)
        sysctl(lab.ns, f"net.ipv4.conf.{CALI}.forwarding", 1)
        sysctl(lab.ns, f"net.ipv4.neigh.{CALI}.proxy_delay", 0)
        ip(lab.ns, "route", "add", "default", "via", "10.0.0.2", "dev", "veth0")
        # No `del` in the pod: its next packet retries the FAILED entry.
        send_udp(pod, "10.66.0.1")
        wait_until(
            lambda: any(
                s in state_of(pod, "169.254.1.1", "eth0") for s in ("REACHABLE", "STALE", "DELAY")
            ),
            what="gateway resolved by proxy ARP",
        )
        (entry,) = [e for e in ip_json(pod, "neigh", "show", "169.254.1.1")]
        assert entry["lladdr"] == "ee:ee:ee:ee:ee:ee"
        after = diagnose(lab.ns, pod, checks=["calico"])
        assert found(after, "calico") == [], [f.title for f in after.findings]


def test_ipv6_proxy_with_forwarding_off(lab: Lab) -> None:
    ip(lab.ns, "neigh", "add", "proxy", "fd00::50", "dev", "veth0")
    sysctl(lab.ns, "net.ipv6.conf.veth0.proxy_ndp", 1)
    # The answer comes after a random wait of up to proxy_delay (0.8 s): the
    # requester keeps its default 1 s retransmit timer to wait for it.
    (finding,) = found(diagnose(lab.ns, checks=["proxy"]), "proxy")
    assert finding.severity == Severity.WARNING
    assert "net.ipv6.conf.veth0.forwarding is 0" in finding.title
    assert finding.action == f"ip netns exec {lab.ns} sysctl -w net.ipv6.conf.veth0.forwarding=1"
    # The kernel agrees: the peer's solicitation goes unanswered.
    send_udp(lab.peer, "fd00::50")
    wait_until(lambda: "FAILED" in state_of(lab.peer, "fd00::50", "veth1"), what="FAILED")
    sysctl(lab.ns, "net.ipv6.conf.veth0.forwarding", 1)
    assert found(diagnose(lab.ns, checks=["proxy"]), "proxy") == []
    ip(lab.peer, "neigh", "del", "fd00::50", "dev", "veth1")
    send_udp(lab.peer, "fd00::50")
    wait_until(
        lambda: bool(
            {"REACHABLE", "STALE", "DELAY"} & set(state_of(lab.peer, "fd00::50", "veth1"))
        ),
        what="proxied answer",
    )


def test_default_route_via_a_neighbour_without_the_router_flag(lab: Lab) -> None:
    ip(lab.ns, "-6", "route", "add", "default", "via", "fd00::2", "dev", "veth0")
    lab.send_udp("fd00::2")  # the peer does not forward: its advertisement has no R flag
    lab.wait_state("fd00::2", "REACHABLE")
    (finding,) = found(diagnose(lab.ns, checks=["router-flag"]), "router-flag")
    assert finding.severity == Severity.WARNING
    assert "fd00::2" in finding.title
    assert "said it is not a router" in finding.title
    # An entry written by hand without `router`: the action writes it with the flag.
    ip(lab.ns, "neigh", "replace", "fd00::2", "lladdr", "02:00:00:00:01:02", "dev", "veth0")
    (by_hand,) = found(diagnose(lab.ns, checks=["router-flag"]), "router-flag")
    assert by_hand.action == (
        f"neighctl add fd00::2 02:00:00:00:01:02 --dev veth0 --router --replace --netns {lab.ns}"
    )
    # A peer that forwards sends the R flag; the entry learns it and the finding goes.
    ip(lab.ns, "neigh", "del", "fd00::2", "dev", "veth0")
    sysctl(lab.peer, "net.ipv6.conf.veth1.forwarding", 1)
    lab.send_udp("fd00::2")
    wait_until(
        lambda: any(
            e["dst"] == "fd00::2" and "router" in e
            for e in ip_json(lab.ns, "neigh", "show", "dev", "veth0")
        ),
        what="router flag learnt",
    )
    assert found(diagnose(lab.ns, checks=["router-flag"]), "router-flag") == []


def test_gateway_learnt_from_its_own_solicitation_is_not_judged_while_verified(
    lab: Lab,
) -> None:
    """A router that speaks first: our entry for it comes from its solicitation
    (no router flag) and goes DELAY when our answer uses it; the probe that
    follows learns the flag. No warning on the way."""
    sysctl(lab.peer, "net.ipv6.conf.veth1.forwarding", 1)
    ip(lab.ns, "-6", "route", "add", "default", "via", "fd00::2", "dev", "veth0")
    send_udp(lab.peer, "fd00::1")
    wait_until(lambda: "DELAY" in state_of(lab.ns, "fd00::2", "veth0"), what="DELAY")
    (entry,) = [e for e in ip_json(lab.ns, "neigh", "show", "dev", "veth0", "to", "fd00::2")]
    assert "router" not in entry
    assert found(diagnose(lab.ns, checks=["router-flag"]), "router-flag") == []
    wait_until(
        lambda: any(
            "router" in e for e in ip_json(lab.ns, "neigh", "show", "dev", "veth0", "to", "fd00::2")
        ),
        timeout=20,
        what="router flag learnt by the probe",
    )
    assert found(diagnose(lab.ns, checks=["router-flag"]), "router-flag") == []


def test_failed_pile(lab: Lab) -> None:
    count = PILE + 36
    commands = "".join(f"neigh add 10.0.1.{i} dev veth0 nud failed\n" for i in range(count))
    ip(lab.ns, "route", "add", "10.0.1.0/24", "dev", "veth0")
    for _attempt in range(3):
        batch(lab.ns, commands)
        report = diagnose(lab.ns, checks=["failed-pile"])
        piles = [f for f in found(report, "failed-pile") if "unresolved entries" in f.title]
        # Periodic GC removes unreferenced FAILED entries when the shared table is
        # above gc_thresh1 (other tests' entries count): plant again if it ran.
        if piles and piles[0].evidence["failed"] >= count:
            break
    else:
        pytest.fail("the FAILED entries kept being collected")
    (pile,) = piles
    assert pile.severity == Severity.WARNING
    assert pile.dev == "veth0"
    assert pile.evidence["failed"] == count
    assert pile.action == f"neighctl flush --state failed --dev veth0 --yes --netns {lab.ns}"


def test_hand_set_incomplete_is_stuck(lab: Lab) -> None:
    ip(lab.ns, "neigh", "add", "10.0.0.14", "dev", "veth0", "nud", "incomplete")
    # One resolving for real, for contrast: the peer never answers 10.0.0.99 ...
    sysctl(lab.ns, "net.ipv4.neigh.veth0.retrans_time_ms", 1000)
    lab.send_udp("10.0.0.99")
    assert "INCOMPLETE" in state_of(lab.ns, "10.0.0.99", "veth0")
    report = diagnose(lab.ns, checks=["failed-pile"])
    stuck = [f for f in found(report, "failed-pile") if "stuck INCOMPLETE" in f.title]
    assert [f.evidence["entry"]["dst"] for f in stuck] == ["10.0.0.14"]
    assert stuck[0].severity == Severity.WARNING
    assert stuck[0].action == f"neighctl del 10.0.0.14 --dev veth0 --netns {lab.ns}"


def test_managed_entry_failed(lab: Lab) -> None:
    ip(lab.ns, "neigh", "add", "10.0.0.18", "dev", "veth0", "managed", "extern_learn")
    lab.wait_state("10.0.0.18", "FAILED")
    report = diagnose(lab.ns, checks=["failed-pile"])
    (finding,) = [f for f in found(report, "failed-pile") if "managed" in f.title]
    assert finding.severity == Severity.WARNING
    assert "10.0.0.18" in finding.title


def test_one_address_two_macs(lab: Lab) -> None:
    batch(
        lab.ns,
        "link add br0 type bridge\n"
        "link set br0 up\n"
        "neigh add 10.0.0.77 lladdr 02:00:00:00:77:01 dev veth0 nud stale\n"
        "neigh add 10.0.0.77 lladdr 02:00:00:00:77:02 dev br0 nud stale\n",
    )
    (finding,) = found(diagnose(lab.ns, checks=["duplicate"]), "duplicate")
    assert finding.severity == Severity.WARNING
    assert finding.evidence["address"] == "10.0.0.77"
