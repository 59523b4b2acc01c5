"""take_snapshot and the namespace walk against the kernel, with iproute2 as the witness."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from neighctl.diagnose import run_checks
from neighctl.diagnose.accounting import count_namespace, count_tables
from neighctl.diagnose.findings import Severity
from neighctl.errors import NamespaceNotFoundError
from neighctl.kernel import snapshot as kernel_snapshot
from neighctl.kernel.namespaces import NamespaceRef, list_namespaces, named_namespaces
from neighctl.kernel.snapshot import read_namespace, take_snapshot
from neighctl.model import AF_INET, AF_INET6
from neighctl.snapshot import NamespaceSnapshot
from tests.kernel.doctor_support import batch, ip_json, namespaces, sysctl, wait_until
from tests.lab import Lab, run, unique_name


@pytest.fixture
def hidden_namespace() -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A namespace with entries whose name was removed: only a process keeps it (as
    container runtimes leave them). Yields (its inode, the process)."""
    name = unique_name("hid")
    run("ip", "netns", "add", name)
    proc: subprocess.Popen[bytes] | None = None
    try:
        batch(
            name,
            "link set lo up\n"
            "link add h0 type veth peer name h1\n"
            "link set h0 up\nlink set h1 up\n"
            "addr add 10.7.0.1/24 dev h0\n"
            "neigh add 10.7.0.5 lladdr 02:00:00:07:00:05 dev h0 nud stale\n"
            "neigh add 10.7.0.6 lladdr 02:00:00:07:00:06 dev h0\n",
        )
        inode = os.stat(f"/run/netns/{name}").st_ino
        proc = subprocess.Popen(["ip", "netns", "exec", name, "sleep", "120"])
        wait_until(
            lambda: (
                os.path.exists(f"/proc/{proc.pid}/ns/net")
                and os.stat(f"/proc/{proc.pid}/ns/net").st_ino == inode
            ),
            what="the process inside",
        )
        run("ip", "netns", "del", name)  # unnamed from now on, alive while proc runs
        yield inode, proc
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        run("ip", "netns", "del", name, check=False)


def test_every_namespace_once_named_and_unnamed(
    lab: Lab, hidden_namespace: tuple[int, subprocess.Popen[bytes]]
) -> None:
    inode, _proc = hidden_namespace
    refs = list_namespaces()
    inodes = [r.inode for r in refs]
    assert len(inodes) == len(set(inodes)), "a namespace was listed twice"
    by_name = {r.name: r for r in refs if r.name}
    assert lab.ns in by_name
    assert lab.peer in by_name
    assert by_name[lab.ns].inode == named_namespaces()[lab.ns]
    (hidden,) = [r for r in refs if r.inode == inode]
    assert hidden.name is None
    assert hidden.pid is not None
    assert hidden.path == f"/proc/{hidden.pid}/ns/net"
    assert refs[0].current
    snap = take_snapshot(all_namespaces=True, parts={"neighbors"})
    assert snap.complete
    (seen,) = [ns for ns in snap.namespaces if ns.inode == inode]
    assert seen.label == f"inode:{inode}"
    assert seen.error is None
    assert {n.dst for n in seen.neighbors or ()} >= {"10.7.0.5", "10.7.0.6"}


def test_a_missing_namespace_is_never_created() -> None:
    name = unique_name("missing")
    with pytest.raises(NamespaceNotFoundError):
        take_snapshot(name)
    assert not os.path.exists(f"/run/netns/{name}")
    assert name not in run("ip", "netns", "list").stdout


def test_a_namespace_gone_during_the_walk_is_left_out(
    hidden_namespace: tuple[int, subprocess.Popen[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its last process exits between the walk and the read (a pod deleted on a busy
    node): its entries went with it, so it is left out and the count stays complete."""
    inode, proc = hidden_namespace
    refs = list_namespaces()
    (hidden,) = [r for r in refs if r.inode == inode]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with pytest.raises(NamespaceNotFoundError):
        read_namespace(hidden)
    monkeypatch.setattr(kernel_snapshot, "list_namespaces", lambda: refs)
    snap = take_snapshot(all_namespaces=True, parts={"neighbors"})
    assert inode not in [ns.inode for ns in snap.namespaces]
    assert snap.complete


def test_a_namespace_that_cannot_be_entered_becomes_a_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Mocked: as root every network namespace can be entered. A path that turns
    # out not to be a network namespace (here this process's UTS namespace) is
    # refused by setns all the same, and must not stop the walk.
    path = "/proc/self/ns/uts"
    bogus = NamespaceRef(inode=os.stat(path).st_ino, path=path, pid=os.getpid())
    real = list_namespaces()[0]
    monkeypatch.setattr(kernel_snapshot, "list_namespaces", lambda: [real, bogus])
    snap = take_snapshot(all_namespaces=True, parts={"neighbors"})
    assert [ns.error is None for ns in snap.namespaces] == [True, False]
    assert "not a network namespace" in (snap.namespaces[1].error or "")
    report = run_checks(snap, ["namespaces", "capacity"])
    (finding,) = [f for f in report.findings if f.check == "namespaces"]
    assert finding.netns == f"inode:{bogus.inode}"
    assert finding.severity == Severity.WARNING
    counts = count_tables(snap)
    assert not counts[AF_INET].complete
    assert counts[AF_INET].unread == [f"inode:{bogus.inode}"]


# --- what a snapshot holds, against iproute2 -------------------------------------


def _ns(name: str) -> NamespaceSnapshot:
    (ns,) = take_snapshot(name).namespaces
    assert ns.error is None
    assert ns.name == name
    assert not ns.current
    return ns


def test_links_addresses_routes_fdb_and_sysctls_match_ip(lab: Lab) -> None:
    batch(
        lab.ns,
        "link add br0 type bridge\nlink set br0 up\n"
        "link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev veth0 nolearning\n"
        "link set vx0 up\nlink set vx0 master br0\n"
        "addr add 192.168.50.1/24 dev br0\n"
        "route add 10.9.0.0/16 via 10.0.0.2 dev veth0\n"
        "route add 10.8.0.0/16 via 10.0.0.2 dev veth0 table 100\n"
        "route add fd01::/64 via fd00::2 dev veth0\n"
        "neigh add proxy 10.0.0.50 dev veth0\n",
    )
    run(
        "bridge",
        "-n",
        lab.ns,
        "fdb",
        "append",
        "02:aa:00:00:00:01",
        "dev",
        "vx0",
        "dst",
        "10.0.0.9",
    )
    sysctl(lab.ns, "net.ipv4.conf.veth0.proxy_arp", 1)
    sysctl(lab.ns, "net.ipv6.conf.veth0.proxy_ndp", 1)
    ns = _ns(lab.ns)

    links = {link.name: link for link in ns.links or ()}
    for obj in ip_json(lab.ns, "-d", "link", "show"):
        link = links[obj["ifname"]]
        assert link.index == obj["ifindex"]
        assert link.mac == obj.get("address")
        assert link.mtu == obj["mtu"]
        assert link.master == obj.get("master")
        assert link.kind == obj.get("linkinfo", {}).get("info_kind")
    vxlan = links["vx0"].vxlan
    assert vxlan is not None
    assert (vxlan.vni, vxlan.local, vxlan.port, vxlan.underlay, vxlan.learning) == (
        42,
        "10.0.0.1",
        4789,
        "veth0",
        False,
    )
    assert links["lo"].flags & 0x8

    want_addrs = {
        (a["family"], a["local"], a["prefixlen"], o["ifname"])
        for o in ip_json(lab.ns, "addr", "show")
        for a in o["addr_info"]
    }
    got_addrs = {
        ("inet6" if a.family == AF_INET6 else "inet", a.address, a.prefixlen, a.dev)
        for a in ns.addresses or ()
    }
    assert got_addrs == want_addrs

    for family, flag in ((AF_INET, "-4"), (AF_INET6, "-6")):
        want = {
            (r["dst"], r.get("gateway"), r.get("dev"), r.get("table", "main"))
            for r in ip_json(lab.ns, flag, "route", "show", "table", "all")
        }
        names = {254: "main", 255: "local", 253: "default"}
        got = {
            (
                r.dst
                if "/" not in r.dst or r.dst.split("/")[1] != ("32" if family == AF_INET else "128")
                else r.dst.split("/")[0],
                r.gateway,
                r.dev,
                names.get(r.table, str(r.table)),
            )
            for r in ns.routes or ()
            if r.family == family
        }
        assert got == want, family

    want_fdb = {
        (f["mac"], f["ifname"], f.get("dst"))
        for f in json.loads(run("bridge", "-n", lab.ns, "-j", "fdb", "show").stdout)
    }
    got_fdb = {(f.mac, f.dev, f.dst) for f in ns.fdb or ()}
    assert got_fdb == want_fdb
    assert ("02:aa:00:00:00:01", "vx0", "10.0.0.9") in got_fdb

    sysctls = ns.sysctls or {}
    assert sysctls["net.ipv4.conf.veth0.proxy_arp"] == "1"
    assert sysctls["net.ipv6.conf.veth0.proxy_ndp"] == "1"
    assert sysctls["net.ipv4.conf.veth0.forwarding"] == "0"
    assert sysctls["net.ipv4.neigh.veth0.retrans_time_ms"] == "100"  # lab.py sets it
    # Read inside the namespace: the host has no veth0/vx0 of ours.
    host = take_snapshot(parts={"sysctls"}).namespaces[0].sysctls or {}
    assert "net.ipv4.conf.vx0.proxy_arp" not in host

    assert any(n.is_proxy and n.dst == "10.0.0.50" for n in ns.neighbors or ())
    assert {p.dev for p in ns.parms or () if p.family == AF_INET} >= {None, "veth0", "br0", "vx0"}


# --- the GC accounting, against an independent count -----------------------------

ENTRIES = """\
neigh add 10.0.0.10 lladdr 02:00:00:00:00:10 dev veth0
neigh add 10.0.0.11 lladdr 02:00:00:00:00:11 dev veth0 nud noarp
neigh add 10.0.0.12 lladdr 02:00:00:00:00:12 dev veth0 nud stale
neigh add 10.0.0.14 dev veth0 nud incomplete
neigh add 10.0.0.17 lladdr 02:00:00:00:00:17 dev veth0 extern_learn
neigh add 10.0.0.19 lladdr 02:00:00:00:00:19 dev veth0 nud stale extern_learn
neigh add fd00::10 lladdr 02:00:00:00:00:30 dev veth0 router nud stale
neigh add fd00::11 lladdr 02:00:00:00:00:31 dev veth0 nud permanent
neigh add proxy 10.0.0.50 dev veth0
neigh add proxy fd00::50 dev veth0
neigh add proxy fd00::51 dev veth0
"""


def independent_count(ns: str) -> dict[str, dict[str, int]]:
    """`ip -j neigh show nud all` and `... proxy`, sorted by the kernel's exemption rule
    (net/core/neighbour.c: PERMANENT, extern_learn, loopback exempt; proxy in no count)."""
    out = {
        fam: {"eligible": 0, "permanent": 0, "extern_learn": 0, "loopback": 0, "proxy": 0}
        for fam in ("inet", "inet6")
    }
    for family, flag in (("inet", "-4"), ("inet6", "-6")):
        for e in ip_json(ns, flag, "neigh", "show", "nud", "all"):
            if "PERMANENT" in e.get("state", []):
                out[family]["permanent"] += 1
            elif "extern_learn" in e:
                out[family]["extern_learn"] += 1
            elif e["dev"] == "lo":
                out[family]["loopback"] += 1
            else:
                out[family]["eligible"] += 1
        out[family]["proxy"] = len(ip_json(ns, flag, "neigh", "show", "proxy"))
    return out


def ours(ns: NamespaceSnapshot) -> dict[str, dict[str, int]]:
    counts = count_namespace(ns)
    return {
        name: {"eligible": c.eligible, **c.exempt, "proxy": c.proxy}
        for name, c in (("inet", counts[AF_INET]), ("inet6", counts[AF_INET6]))
    }


def test_gc_eligible_count_equals_an_independent_count(lab: Lab) -> None:
    batch(lab.ns, ENTRIES)
    lab.send_udp("10.0.0.2")
    lab.send_udp("fd00::2")
    lab.wait_state("10.0.0.2", "REACHABLE")
    with namespaces("gcx") as (extra,):
        batch(
            extra,
            "link add e0 type veth peer name e1\nlink set e0 up\nlink set e1 up\n"
            "addr add 10.6.0.1/24 dev e0\n"
            + "".join(
                f"neigh add 10.6.0.{i} lladdr 02:00:00:06:00:{i:02x} dev e0 nud stale\n"
                for i in range(10, 40)
            )
            + "neigh add 10.6.0.99 lladdr 02:00:00:06:00:99 dev e0 nud permanent\n",
        )
        mine = (lab.ns, lab.peer, extra)
        # New links send MLD reports and make multicast NOARP entries for a moment:
        # read until nothing changes while we read.
        for _attempt in range(40):
            time.sleep(0.2)
            before = {ns: independent_count(ns) for ns in mine}
            snap = take_snapshot(all_namespaces=True, parts={"neighbors", "links"})
            after = {ns: independent_count(ns) for ns in mine}
            if before == after:  # nothing changed while we read
                break
        else:
            pytest.fail("the namespaces kept changing")
        by_name = {ns.name: ns for ns in snap.namespaces if ns.name in mine}
        for name in mine:
            assert ours(by_name[name]) == before[name], name
        assert before[lab.ns]["inet"]["extern_learn"] == 1  # the other is PERMANENT too
        assert before[extra]["inet"]["eligible"] >= 30
        # The table-wide count adds each namespace's eligible entries, placed by device.
        total = count_tables(snap)[AF_INET]
        assert total.complete
        assert (
            sum(n for (ns, _dev), n in total.by_place.items() if ns == extra)
            == before[extra]["inet"]["eligible"]
        )
