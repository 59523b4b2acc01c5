"""The checks as pure functions of hand-built snapshots (the kernel tests plant the same
problems in namespaces; these cover the rules' corners and saved-output gaps)."""

from __future__ import annotations

import pytest

from neighctl.diagnose import CHECKS, run_checks
from neighctl.diagnose.common import exec_cmd, neighctl_cmd, route_lookup, tool_cmd
from neighctl.diagnose.failed import stuck_reason
from neighctl.diagnose.findings import Severity
from neighctl.errors import ExitCode, UsageError
from neighctl.model import AF_INET, AF_INET6, NO_FLAGS, Neighbor, NeighFlag, NudState
from neighctl.snapshot import (
    IFF_LOOPBACK,
    IFF_UP,
    FdbEntry,
    Link,
    NamespaceSnapshot,
    Route,
    Snapshot,
    Vxlan,
)
from neighctl.timers import NeighParms, TableParms

S = NudState
F = NeighFlag


def n(
    dst: str,
    dev: str = "eth0",
    state: NudState = S.REACHABLE,
    flags: NeighFlag = NO_FLAGS,
    lladdr: str | None = "02:00:00:00:00:01",
    **kw: object,
) -> Neighbor:
    family = AF_INET6 if ":" in dst else AF_INET
    if state & (S.FAILED | S.INCOMPLETE) or flags & F.PROXY:
        lladdr = None
    return Neighbor(family=family, dst=dst, dev=dev, state=state, flags=flags, lladdr=lladdr, **kw)  # type: ignore[arg-type]


def links(*names: str, kinds: dict[str, str] | None = None) -> list[Link]:
    out = [Link(index=1, name="lo", flags=IFF_UP | IFF_LOOPBACK)]
    for i, name in enumerate(names, start=2):
        kind = (kinds or {}).get(name)
        out.append(
            Link(
                index=i,
                name=name,
                kind=kind,
                mac=f"02:00:00:00:ff:{i:02x}",
                flags=IFF_UP,
                vxlan=Vxlan(vni=1, local="10.0.0.1") if kind == "vxlan" else None,
            )
        )
    return out


def ns(
    name: str | None = "n1",
    *,
    neighbors: list[Neighbor] | None = None,
    links_: list[Link] | None = None,
    routes: list[Route] | None = None,
    fdb: list[FdbEntry] | None = None,
    sysctls: dict[str, str] | None = None,
    parms: list[NeighParms] | None = None,
    path: str | None = None,
) -> NamespaceSnapshot:
    return NamespaceSnapshot(
        name=name,
        inode=4026532000,
        path=path or (f"/run/netns/{name}" if name else "/proc/42/ns/net"),
        neighbors=neighbors if neighbors is not None else [],
        links=links_ if links_ is not None else links("eth0"),
        routes=routes if routes is not None else [],
        fdb=fdb if fdb is not None else [],
        sysctls=sysctls if sysctls is not None else {},
        parms=parms,
    )


def snapshot(*namespaces: NamespaceSnapshot) -> Snapshot:
    return Snapshot(
        namespaces=list(namespaces),
        tables={AF_INET: TableParms(family=AF_INET, entries=5)},
        complete=False,
    )


def titles(s: Snapshot, check: str) -> list[str]:
    return [f.title for f in run_checks(s, [check]).findings]


# --- shared pieces -------------------------------------------------------------------


def test_route_lookup_local_then_main_longest_prefix() -> None:
    space = ns(
        routes=[
            Route(family=AF_INET, dst="default", dev="eth0", gateway="10.0.0.254"),
            Route(family=AF_INET, dst="10.0.0.0/24", dev="eth0"),
            Route(family=AF_INET, dst="10.0.0.64/26", dev="eth1"),
            Route(family=AF_INET, dst="10.0.0.1/32", dev="eth0", table=255, type=2),
            Route(family=AF_INET6, dst="default", dev="eth0", gateway="fe80::1"),
        ]
    )
    assert route_lookup(space, AF_INET, "10.0.0.70").dev == "eth1"  # type: ignore[union-attr]
    assert route_lookup(space, AF_INET, "10.0.0.5").dst == "10.0.0.0/24"  # type: ignore[union-attr]
    assert route_lookup(space, AF_INET, "10.0.0.1").type == 2  # type: ignore[union-attr]
    assert route_lookup(space, AF_INET, "192.0.2.1").dst == "default"  # type: ignore[union-attr]
    assert route_lookup(space, AF_INET6, "2001:db8::1").gateway == "fe80::1"  # type: ignore[union-attr]
    assert route_lookup(ns(routes=[]), AF_INET, "10.0.0.1") is None


def test_commands_for_each_kind_of_namespace() -> None:
    named = ns("blue")
    unnamed = ns(None, path="/proc/42/ns/net")
    host = NamespaceSnapshot(current=True)
    assert neighctl_cmd(named, "del", "10.0.0.1", "--dev", "eth0") == (
        "neighctl del 10.0.0.1 --dev eth0 --netns blue"
    )
    assert neighctl_cmd(unnamed, "del", "10.0.0.1", "--dev", "eth0") == (
        "nsenter --net=/proc/42/ns/net neighctl del 10.0.0.1 --dev eth0"
    )
    assert (
        neighctl_cmd(host, "del", "10.0.0.1", "--dev", "eth0") == "neighctl del 10.0.0.1 --dev eth0"
    )
    assert exec_cmd(named, "sysctl", "-w", "a=1") == "ip netns exec blue sysctl -w a=1"
    assert tool_cmd(named, "bridge", "fdb", "show") == "bridge -n blue fdb show"
    assert (
        tool_cmd(unnamed, "bridge", "fdb", "show")
        == "nsenter --net=/proc/42/ns/net bridge fdb show"
    )


def test_run_checks_order_unknown_and_skip() -> None:
    s = Snapshot(namespaces=[NamespaceSnapshot(name="x", neighbors=[])], tables=None)
    report = run_checks(s, ["vxlan", "capacity", "vxlan"])
    assert report.checks == []
    assert set(report.skipped) == {"capacity", "vxlan"}
    assert report.exit_code == ExitCode.OK
    with pytest.raises(UsageError, match="unknown check"):
        run_checks(s, ["nope"])
    full = run_checks(snapshot(ns()))
    assert full.checks == list(CHECKS)


# --- failed-pile -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "stuck"),
    [
        (n("10.0.0.1", state=S.INCOMPLETE, probes=0, updated=0.0), True),  # fresh, by hand
        (n("10.0.0.1", state=S.INCOMPLETE, probes=6, updated=30.0), True),  # old, by hand
        (n("10.0.0.1", state=S.INCOMPLETE, probes=4, updated=1.0), False),  # resolving
        (n("10.0.0.1", state=S.INCOMPLETE, probes=None, updated=None), False),  # text source
        (n("10.0.0.1", state=S.FAILED, probes=0, updated=99.0), False),
    ],
)
def test_stuck_incomplete(entry: Neighbor, stuck: bool) -> None:
    assert (stuck_reason(entry, NeighParms(family=AF_INET)) is not None) is stuck


def test_stuck_uses_the_device_timers() -> None:
    slow = NeighParms(family=AF_INET, dev="eth0", retrans_time=10_000)  # 3 probes: 30 s
    e = n("10.0.0.1", state=S.INCOMPLETE, probes=4, updated=25.0)
    space = ns(neighbors=[e], parms=[slow])
    assert titles(snapshot(space), "failed-pile") == []
    assert stuck_reason(e, NeighParms(family=AF_INET)) is not None


def test_failed_pile_threshold() -> None:
    below = [n(f"10.1.0.{i}", state=S.FAILED) for i in range(63)]
    assert titles(snapshot(ns(neighbors=below)), "failed-pile") == []
    at = [*below, n("10.1.1.1", state=S.INCOMPLETE, probes=4, updated=0.5)]
    (title,) = titles(snapshot(ns(neighbors=at)), "failed-pile")
    assert "64 unresolved entries on eth0 (63 FAILED, 1 INCOMPLETE)" in title


# --- proxy -------------------------------------------------------------------------------

V6_PROXY = n("fd00::50", flags=F.PROXY, state=S.NONE)


@pytest.mark.parametrize(
    ("sysctls", "answers"),
    [
        ({"net.ipv6.conf.eth0.forwarding": "1", "net.ipv6.conf.eth0.proxy_ndp": "1"}, True),
        (
            {
                "net.ipv6.conf.eth0.forwarding": "1",
                "net.ipv6.conf.all.proxy_ndp": "1",
                "net.ipv6.conf.eth0.proxy_ndp": "0",
            },
            True,
        ),
        ({"net.ipv6.conf.eth0.forwarding": "0", "net.ipv6.conf.eth0.proxy_ndp": "1"}, False),
        (
            {
                "net.ipv6.conf.all.forwarding": "1",
                "net.ipv6.conf.eth0.forwarding": "0",
                "net.ipv6.conf.all.proxy_ndp": "1",
            },
            False,
        ),
        ({"net.ipv6.conf.eth0.forwarding": "1", "net.ipv6.conf.eth0.proxy_ndp": "0"}, False),
    ],
)
def test_ipv6_proxy_rule(sysctls: dict[str, str], answers: bool) -> None:
    found = titles(snapshot(ns(neighbors=[V6_PROXY], sysctls=sysctls)), "proxy")
    assert (found == []) is answers


def test_ipv4_proxy_rule() -> None:
    entry = n("10.1.0.50", flags=F.PROXY, state=S.NONE)
    fwd = {"net.ipv4.conf.eth0.forwarding": "1"}
    out_eth1 = [Route(family=AF_INET, dst="10.1.0.50/32", dev="eth1")]
    out_eth0 = [Route(family=AF_INET, dst="10.1.0.0/24", dev="eth0")]
    assert titles(snapshot(ns(neighbors=[entry], sysctls=fwd, routes=out_eth1)), "proxy") == []
    (same,) = titles(snapshot(ns(neighbors=[entry], sysctls=fwd, routes=out_eth0)), "proxy")
    assert "leaves by eth0 itself" in same
    (none,) = titles(snapshot(ns(neighbors=[entry], sysctls=fwd, routes=[])), "proxy")
    assert "no route" in none
    off = {"net.ipv4.conf.eth0.forwarding": "0"}
    (title,) = titles(snapshot(ns(neighbors=[entry], sysctls=off, routes=out_eth1)), "proxy")
    assert "forwarding is 0" in title


def test_proxy_skipped_without_sysctls() -> None:
    space = ns(neighbors=[V6_PROXY])
    space.sysctls = None
    assert "proxy" in run_checks(snapshot(space), ["proxy"]).skipped


# --- router-flag -------------------------------------------------------------------------


def test_router_flag() -> None:
    route = Route(family=AF_INET6, dst="default", dev="eth0", gateway="fe80::1", protocol=9)
    plain = n("fe80::1", state=S.STALE)
    (title,) = titles(snapshot(ns(neighbors=[plain], routes=[route])), "router-flag")
    assert "next router advertisement sets the flag" in title
    # Being confirmed right now: the answer sets or clears the flag.
    for state in (S.DELAY, S.PROBE):
        verifying = n("fe80::1", state=state)
        assert titles(snapshot(ns(neighbors=[verifying], routes=[route])), "router-flag") == []
    router = n("fe80::1", state=S.STALE, flags=F.ROUTER)
    assert titles(snapshot(ns(neighbors=[router], routes=[route])), "router-flag") == []
    failed = n("fe80::1", state=S.FAILED)
    assert titles(snapshot(ns(neighbors=[failed], routes=[route])), "router-flag") == []


# --- duplicate ---------------------------------------------------------------------------


def test_duplicate_rules() -> None:
    twice = [
        n("10.0.0.7", "eth0", lladdr="02:00:00:00:00:07"),
        n("10.0.0.7", "eth1", lladdr="02:00:00:00:00:08"),
    ]
    (title,) = titles(snapshot(ns(neighbors=twice, links_=links("eth0", "eth1"))), "duplicate")
    assert "10.0.0.7 has different MACs on 2 devices" in title
    calico = [n(f"169.254.1.{i}", lladdr="ee:ee:ee:ee:ee:ee") for i in range(10)]
    assert titles(snapshot(ns(neighbors=calico)), "duplicate") == []
    gateway = [n(f"10.0.0.{i}", lladdr="02:00:00:00:00:fe") for i in range(5)]
    f = run_checks(snapshot(ns(neighbors=gateway)), ["duplicate"]).findings
    assert [x.severity for x in f] == [Severity.INFO]
    multicast = [n(f"ff02::{i}", state=S.NOARP, lladdr="33:33:00:00:00:01") for i in range(9)]
    assert titles(snapshot(ns(neighbors=multicast)), "duplicate") == []


# --- calico ------------------------------------------------------------------------------

CALI = "cali12345678901"


def test_calico_host_side() -> None:
    host_links = links("eth0", CALI, kinds={CALI: "veth"})
    routes = [
        Route(family=AF_INET, dst="10.65.0.5/32", dev=CALI),
        Route(family=AF_INET, dst="default", dev="eth0", gateway="192.0.2.1"),
    ]
    good = {
        f"net.ipv4.conf.{CALI}.proxy_arp": "1",
        f"net.ipv4.conf.{CALI}.forwarding": "1",
    }
    present = [n("10.65.0.5", CALI, state=S.PERMANENT)]
    clean = ns(neighbors=present, links_=host_links, routes=routes, sysctls=good)
    assert titles(snapshot(clean), "calico") == []
    missing = ns(neighbors=[], links_=host_links, routes=routes, sysctls=good)
    (title,) = titles(snapshot(missing), "calico")
    assert "route 10.65.0.5/32 dev" in title
    off = ns(
        neighbors=present,
        links_=host_links,
        routes=routes,
        sysctls={**good, f"net.ipv4.conf.{CALI}.proxy_arp": "0"},
    )
    (title,) = titles(snapshot(off), "calico")
    assert "proxy_arp is 0" in title
    all_on = {**good, f"net.ipv4.conf.{CALI}.proxy_arp": "0", "net.ipv4.conf.all.proxy_arp": "1"}
    assert (
        titles(
            snapshot(ns(neighbors=present, links_=host_links, routes=routes, sysctls=all_on)),
            "calico",
        )
        == []
    )
    no_default = ns(neighbors=present, links_=host_links, routes=routes[:1], sysctls=good)
    (title,) = titles(snapshot(no_default), "calico")
    assert "not routed out of another device" in title


@pytest.mark.parametrize(
    ("entry", "severity"),
    [
        (n("169.254.1.1", state=S.REACHABLE, lladdr="ee:ee:ee:ee:ee:ee"), None),
        (n("169.254.1.1", state=S.FAILED), Severity.CRITICAL),
        (n("169.254.1.1", state=S.INCOMPLETE), Severity.WARNING),
        (n("169.254.1.1", state=S.STALE, lladdr="02:00:00:00:00:99"), Severity.WARNING),
    ],
)
def test_calico_pod_side(entry: Neighbor, severity: Severity | None) -> None:
    routes = [Route(family=AF_INET, dst="default", dev="eth0", gateway="169.254.1.1")]
    findings = run_checks(
        snapshot(ns("pod", neighbors=[entry], routes=routes)), ["calico"]
    ).findings
    assert [f.severity for f in findings] == ([] if severity is None else [severity])


# --- vxlan -------------------------------------------------------------------------------


def flannel(neighbors: list[Neighbor], fdb: list[FdbEntry], routes: list[Route]) -> Snapshot:
    return snapshot(
        ns(
            neighbors=neighbors,
            links_=links("eth0", "flannel.1", kinds={"flannel.1": "vxlan"}),
            fdb=fdb,
            routes=routes,
        )
    )


PERM = S.PERMANENT
STATIC = int(S.PERMANENT | S.NOARP)
ZERO = "00:00:00:00:00:00"


def test_vxlan_consistent() -> None:
    s = flannel(
        [n("10.244.1.0", "flannel.1", PERM, lladdr="02:aa:00:00:01:00")],
        [
            FdbEntry(mac="02:aa:00:00:01:00", dev="flannel.1", dst="192.0.2.11", state=STATIC),
            FdbEntry(mac="00:00:00:00:00:00", dev="flannel.1", dst="192.0.2.99", state=STATIC),
            FdbEntry(mac="02:bb:00:00:00:01", dev="flannel.1", dst="192.0.2.50", state=S.REACHABLE),
        ],
        [
            Route(
                family=AF_INET,
                dst="10.244.1.0/24",
                dev="flannel.1",
                gateway="10.244.1.0",
                onlink=True,
            )
        ],
    )
    assert titles(s, "vxlan") == []


def test_vxlan_each_part_missing() -> None:
    s = flannel(
        [n("10.244.2.0", "flannel.1", PERM, lladdr="02:aa:00:00:02:00")],
        [FdbEntry(mac="02:aa:00:00:03:00", dev="flannel.1", dst="192.0.2.13", state=STATIC)],
        [Route(family=AF_INET, dst="10.244.4.0/24", dev="flannel.1", gateway="10.244.4.0")],
    )
    found = titles(s, "vxlan")
    assert len(found) == 3
    assert sum("another MAC" in t for t in found) == 2


def test_vxlan_skipped_without_fdb() -> None:
    s = flannel([], [], [])
    s.namespaces[0].fdb = None
    assert "vxlan" in run_checks(s, ["vxlan"]).skipped


def test_vxlan_route_via_an_unresolved_gateway_quotes_that_entry() -> None:
    """The evidence is the gateway's own entry, also when no other part is missing."""
    gateway = n("10.244.5.0", "flannel.1", S.INCOMPLETE)
    s = flannel(
        [gateway],
        [],
        [Route(family=AF_INET, dst="10.244.5.0/24", dev="flannel.1", gateway="10.244.5.0")],
    )
    (finding,) = run_checks(s, ["vxlan"]).findings
    assert "unresolved (INCOMPLETE)" in finding.title
    assert finding.evidence["entry"]["dst"] == "10.244.5.0"
    # Beside an orphan neighbour, the route's evidence is still its own gateway.
    s.namespaces[0].neighbors = [
        gateway,
        n("10.244.3.0", "flannel.1", PERM, lladdr="02:aa:00:00:03:00"),
    ]
    entries = [f.evidence.get("entry") for f in run_checks(s, ["vxlan"]).findings]
    assert [e["dst"] for e in entries if e] == ["10.244.3.0", "10.244.5.0"]


def test_vxlan_with_a_default_destination_resolves_by_flooding() -> None:
    """`remote`/`group` (an all-zero FDB entry): ARP and unknown MACs go there."""
    parts = (
        [n("10.77.0.9", "flannel.1", PERM, lladdr="02:aa:00:00:09:00")],
        [FdbEntry(mac="02:aa:00:00:03:00", dev="flannel.1", dst="192.0.2.13", state=STATIC)],
        [
            Route(family=AF_INET, dst="10.78.0.0/24", dev="flannel.1", gateway="10.77.0.2"),
            Route(family=AF_INET, dst="10.79.0.0/24", dev="flannel.1", gateway="10.77.0.3"),
        ],
    )
    assert len(titles(flannel(*parts), "vxlan")) == 4
    remote = FdbEntry(mac=ZERO, dev="flannel.1", dst="192.0.2.2", state=STATIC)
    s = flannel(parts[0] + [n("10.77.0.3", "flannel.1", S.FAILED)], [*parts[1], remote], parts[2])
    (left,) = titles(s, "vxlan")
    assert "10.79.0.0/24 via 10.77.0.3" in left  # tried, and nobody answered


def test_vxlan_evidence_names_unicast_neighbour_macs_only() -> None:
    """The NOARP entries of IPv6 multicast groups every device has are not VTEPs."""
    s = flannel(
        [
            n("10.244.1.0", "flannel.1", PERM, lladdr="02:aa:00:00:01:00"),
            n("ff02::2", "flannel.1", S.NOARP, lladdr="33:33:00:00:00:02"),
        ],
        [
            FdbEntry(mac="02:aa:00:00:01:00", dev="flannel.1", dst="192.0.2.11", state=STATIC),
            FdbEntry(mac="02:aa:00:00:03:00", dev="flannel.1", dst="192.0.2.13", state=STATIC),
        ],
        [],
    )
    (finding,) = run_checks(s, ["vxlan"]).findings
    assert finding.evidence["neighbor_macs"] == ["02:aa:00:00:01:00"]


def test_ipv6_proxy_advice_keeps_router_advertisements() -> None:
    """Turning forwarding on makes a device ignore RAs unless accept_ra is 2
    (ip-sysctl.rst): when its routes come from RAs, the advice says so."""
    sysctls = {"net.ipv6.conf.eth0.forwarding": "0", "net.ipv6.conf.eth0.proxy_ndp": "1"}
    ra_route = Route(family=AF_INET6, dst="default", dev="eth0", gateway="fe80::1", protocol=9)
    plain = run_checks(snapshot(ns(neighbors=[V6_PROXY], sysctls=sysctls)), ["proxy"])
    assert "accept_ra" not in (plain.findings[0].action or "")
    sysctls["net.ipv6.conf.eth0.accept_ra"] = "1"
    space = ns(neighbors=[V6_PROXY], sysctls=sysctls, routes=[ra_route])
    (finding,) = run_checks(snapshot(space), ["proxy"]).findings
    assert finding.action is not None
    assert "sysctl -w net.ipv6.conf.eth0.accept_ra=2" in finding.action
    assert finding.action.index("forwarding=1") < finding.action.index("accept_ra=2")
