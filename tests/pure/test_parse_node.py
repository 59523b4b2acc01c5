"""The rest of a node from saved outputs: links, addresses, routes, FDB, ntable, sysctls,
a sosreport-shaped directory; and `diff` of two tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from neighctl.diff import diff_tables
from neighctl.errors import UsageError
from neighctl.model import AF_INET, AF_INET6, NeighFlag, NudState
from neighctl.parse import read_snapshot, read_text
from neighctl.parse.links import parse_addresses, parse_links
from neighctl.parse.routes import parse_fdb, parse_routes
from neighctl.parse.sosreport import mangle
from neighctl.parse.tables import (
    parms_from_sysctls,
    parse_ntable,
    parse_sysctls,
    tables_from_sysctls,
)
from neighctl.render.diff import diff_json_dict, render_diff_table
from neighctl.snapshot import IFF_UP

FIXTURES = Path(__file__).parent.parent.parent / "fixtures"


def text(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_links_with_kinds_masters_and_vxlan_details() -> None:
    links = {link.name: link for link in parse_links(text("ip-s-d-link.txt"))}
    assert list(links) == ["lo", "veth0", "br0", "vxlan0", "eth1"]
    assert (links["veth0"].kind, links["veth0"].master, links["veth0"].index) == ("veth", "br0", 2)
    assert links["br0"].kind == "bridge"
    assert links["lo"].kind is None
    assert links["eth1"].kind is None
    assert links["eth1"].flags & IFF_UP == 0
    assert links["br0"].up
    vx = links["vxlan0"].vxlan
    assert vx is not None
    assert (vx.vni, vx.local, vx.port, vx.underlay, vx.learning) == (
        42,
        "192.0.2.1",
        4789,
        "br0",
        False,
    )
    assert links["vxlan0"].mtu == 1450
    assert links["br0"].mac == "b2:18:50:ac:25:3b"


def test_addresses_from_ip_address_and_ip_o() -> None:
    full = [
        (a.family, a.address, a.prefixlen, a.dev, a.broadcast)
        for a in parse_addresses(text("ip-d-address.txt"))
    ]
    assert (AF_INET, "192.0.2.1", 24, "br0", "192.0.2.255") in full
    assert (AF_INET6, "2001:db8::1", 64, "br0", None) in full
    assert len(full) == 5
    oneline = [(a.address, a.dev) for a in parse_addresses(text("ip-o-addr.txt"))]
    assert oneline == [("127.0.0.1", "lo"), ("192.0.2.1", "br0"), ("2001:db8::1", "br0")]
    assert {link.name for link in parse_links(text("ip-d-address.txt"))} == {"lo", "br0"}


def test_routes_of_every_table_and_family() -> None:
    routes = parse_routes(text("ip-route-show-table-all.txt"))
    by = {(r.family, r.dst, r.table): r for r in routes}
    default4 = by[(AF_INET, "default", 254)]
    assert (default4.gateway, default4.dev, default4.protocol) == ("192.0.2.254", "br0", 16)
    assert by[(AF_INET, "192.0.2.0/24", 254)].scope == 253
    multipath = by[(AF_INET, "203.0.113.0/24", 254)]
    assert (multipath.gateway, multipath.dev) == ("192.0.2.2", "br0")
    assert by[(AF_INET, "198.51.100.9/32", 254)].onlink
    assert by[(AF_INET, "192.0.2.1/32", 255)].type == 2  # local
    assert by[(AF_INET6, "default", 254)].gateway == "fe80::1"
    assert by[(AF_INET6, "ff00::/8", 255)].type == 5  # multicast
    assert len(routes) == 9


def test_fdb_entries() -> None:
    fdb = parse_fdb(text("bridge-fdb.txt"))
    assert len(fdb) == 6
    vtep = fdb[1]
    assert (vtep.mac, vtep.dev, vtep.dst, vtep.vni) == (
        "02:00:00:00:02:02",
        "vxlan0",
        "198.51.100.2",
        42,
    )
    assert vtep.flags & NeighFlag.SELF
    assert vtep.state == NudState.PERMANENT
    learned = fdb[3]
    assert (learned.vlan, learned.master) == (10, "br0")
    assert learned.flags & NeighFlag.EXT_LEARNED
    assert fdb[5].state == NudState.STALE


def test_ntable_parameters_tables_and_counters() -> None:
    parms, tables = parse_ntable(text("ip-s-ntable.txt"))
    assert [(p.family, p.dev) for p in parms] == [
        (AF_INET, None), (AF_INET, "veth0"), (AF_INET6, None), (AF_INET6, "veth0"),
    ]  # fmt: skip
    veth = parms[1]
    assert (veth.base_reachable_time, veth.retrans_time, veth.reachable_time) == (
        600000,
        100,
        348708,
    )
    arp = tables[AF_INET]
    assert (arp.gc_thresh1, arp.gc_thresh3, arp.entries) == (128, 1024, 20)
    assert (arp.stats["table_fulls"], arp.stats["forced_gc_runs"]) == (7, 3)
    assert tables[AF_INET6].name == "ndisc_cache"


def test_sysctls_give_parameters_in_ms_and_thresholds() -> None:
    sysctls = parse_sysctls(text("sysctl-a-neigh.txt"))
    assert sysctls["net.ipv4.conf.br0.proxy_arp"] == "1"
    parms = {(p.family, p.dev): p for p in parms_from_sysctls(sysctls)}
    br0 = parms[(AF_INET, "br0")]
    assert (br0.base_reachable_time, br0.delay_first_probe_time, br0.locktime, br0.proxy_delay) == (
        15000, 5000, 1000, 0,
    )  # fmt: skip
    tables = tables_from_sysctls(sysctls)
    assert tables is not None
    assert (tables[AF_INET].gc_thresh3, tables[AF_INET].gc_interval) == (8192, 30000)
    assert tables[AF_INET6].gc_thresh1 == 128


def test_sos_file_names_are_sos_own() -> None:
    # sos/report/plugins/__init__.py _mangle_command on the networking plugin's commands
    assert mangle("ip -s -s neigh show") == "ip_-s_-s_neigh_show"
    assert mangle("ip neigh show nud noarp") == "ip_neigh_show_nud_noarp"
    assert mangle("bridge -s -s -d -t fdb show") == "bridge_-s_-s_-d_-t_fdb_show"
    assert (
        mangle("ip netns exec blue  ip -d address show") == "ip_netns_exec_blue_ip_-d_address_show"
    )
    assert mangle("/usr/sbin/sysctl -a") == "sysctl_-a"


def sos_tree(root: Path, *, fdb: bool = True) -> Path:
    net = root / "sos_commands" / "networking"
    net.mkdir(parents=True)
    (root / "sos_commands" / "kernel").mkdir()
    shutil.copy(FIXTURES / "ip-s-neigh.txt", net / "ip_-s_-s_neigh_show")
    (net / "ip_neigh_show_nud_noarp").write_text(
        "192.0.2.77 dev br0 lladdr 02:00:00:00:00:77 NOARP\n"
    )
    shutil.copy(FIXTURES / "ip-s-d-link.txt", net / "ip_-s_-d_link")
    shutil.copy(FIXTURES / "ip-d-address.txt", net / "ip_-d_address")
    shutil.copy(FIXTURES / "ip-route-show-table-all.txt", net / "ip_route_show_table_all")
    if fdb:
        shutil.copy(FIXTURES / "bridge-fdb.txt", net / "bridge_-s_-s_-d_-t_fdb_show")
    shutil.copy(FIXTURES / "sysctl-a-neigh.txt", root / "sos_commands" / "kernel" / "sysctl_-a")
    (net / "ip_netns").write_text("blue (id: 0)\n")
    blue = net / "namespaces" / "blue"
    blue.mkdir(parents=True)
    (blue / "ip_netns_exec_blue_ip_-s_-s_neigh_show").write_text(
        "192.0.2.30 dev eth0 lladdr 02:00:00:00:00:30  used 1/1/1probes 0 STALE \n"
    )
    return root


def test_a_sosreport_directory_becomes_a_snapshot(tmp_path: Path) -> None:
    snap = read_snapshot(str(sos_tree(tmp_path / "sosreport-node-1")))
    host, blue = snap.namespaces
    assert host.current
    assert blue.name == "blue"
    assert host.neighbors is not None
    assert any(n.dst == "192.0.2.77" for n in host.neighbors)
    assert len(host.neighbors) == len(read_text(text("ip-s-neigh.txt"))) + 1
    assert host.links is not None
    assert len(host.links) == 5
    assert host.routes is not None
    assert host.fdb is not None
    assert host.sysctls is not None
    assert snap.tables is not None
    assert snap.tables[AF_INET].gc_thresh3 == 8192
    assert host.unread == {}
    assert blue.neighbors is not None
    assert [n.dst for n in blue.neighbors] == ["192.0.2.30"]
    for field in ("addresses", "routes", "sysctls", "fdb"):
        assert getattr(blue, field) is None
        assert field in blue.unread
    assert "namespaces/blue/ip_netns_exec_blue_ip_route_show_table_all" in blue.unread["routes"]
    assert snap.complete is False


def test_missing_files_are_recorded(tmp_path: Path) -> None:
    root = sos_tree(tmp_path / "sos", fdb=False)
    (root / "sos_commands" / "networking" / "ip_route_show_table_all").unlink()
    host = read_snapshot(str(tmp_path)).namespaces[0]  # the one folder inside is found
    assert host.fdb is None
    assert host.routes is None
    assert host.unread["fdb"] == "no sos_commands/networking/bridge_-s_-s_-d_-t_fdb_show"
    assert "ip_route_show_table_all" in host.unread["routes"]


def test_a_plain_directory_of_outputs(tmp_path: Path) -> None:
    for name in (
        "arp-an.txt",
        "ip-s-neigh.txt",
        "bridge-fdb.txt",
        "ip-s-ntable.txt",
        "ip-s-d-link.txt",
    ):
        shutil.copy(FIXTURES / name, tmp_path / name)
    snap = read_snapshot(str(tmp_path))
    (ns,) = snap.namespaces
    assert ns.fdb is not None
    assert ns.links is not None
    assert ns.parms is not None
    assert snap.tables is not None
    assert snap.tables[AF_INET].stats["table_fulls"] == 7
    assert ns.neighbors is not None
    # arp-an.txt and ip-s-neigh.txt list the same table: one entry each, the richer kept
    reachable = [n for n in ns.neighbors if n.dst == "10.0.0.16"]
    assert len(reachable) == 1
    assert reachable[0].state is NudState.REACHABLE
    assert ns.routes is None
    assert "routes" in ns.unread


def test_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="empty directory"):
        read_snapshot(str(tmp_path))


def test_diff_added_removed_changed() -> None:
    before = read_text(
        "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE\n"
        "192.0.2.2 dev eth0 lladdr 02:00:00:00:00:02 STALE\n"
        "192.0.2.3 dev eth0 FAILED\n"
        "2001:db8::1 dev eth0 lladdr 02:00:00:00:00:61 STALE\n"
    )
    after = read_text(
        "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:aa REACHABLE\n"
        "192.0.2.2 dev eth0 lladdr 02:00:00:00:00:02  used 5/5/5probes 0 STALE\n"
        "192.0.2.4 dev eth0 lladdr 02:00:00:00:00:04 DELAY\n"
        "2001:db8::1 dev eth0 lladdr 02:00:00:00:00:61 router REACHABLE\n"
    )
    d = diff_tables(before, after)
    assert [n.dst for n in d.added] == ["192.0.2.4"]
    assert [n.dst for n in d.removed] == ["192.0.2.3"]
    assert [(c.after.dst, c.fields) for c in d.changed] == [
        ("192.0.2.1", ("lladdr",)),
        ("2001:db8::1", ("state", "flags")),
    ]
    assert d.unchanged == 1  # ages are not differences
    changed = [(c.before, c.after, c.fields) for c in d.changed]
    table = render_diff_table(d.added, d.removed, changed)
    assert "02:00:00:00:00:01 → 02:00:00:00:00:aa" in table
    assert table.splitlines()[-1] == "1 added, 1 removed, 2 changed"
    obj = diff_json_dict(d.added, d.removed, changed)
    assert obj["changed"][0]["before"]["lladdr"] == "02:00:00:00:00:01"
    assert obj["changed"][1]["after"] == {
        "lladdr": "02:00:00:00:00:61",
        "state": ["REACHABLE"],
        "flags": ["router"],
    }
    assert json.loads(json.dumps(obj)) == obj
    assert diff_tables(before, before).empty
    assert render_diff_table([], [], []) == "no differences\n"
