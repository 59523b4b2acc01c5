"""`explain --dev` reads the interface's real parameters; `explain ADDR` reads real entries."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest

from neighctl import timers
from neighctl.errors import NamespaceNotFoundError, NoSuchDeviceError, NotFoundError
from neighctl.kernel.ntable import read_parms
from neighctl.model import AF_INET, AF_INET6
from tests.explain_support import explain_address, explain_state
from tests.lab import Lab

CHANGED = {
    "net.ipv4.neigh.veth0.base_reachable_time_ms": 12000,
    "net.ipv4.neigh.veth0.retrans_time_ms": 200,  # a multiple of 4 ms: HZ may be 250
    "net.ipv4.neigh.veth0.delay_first_probe_time": 3,
    "net.ipv4.neigh.veth0.gc_stale_time": 90,
    "net.ipv4.neigh.veth0.ucast_solicit": 5,
    "net.ipv4.neigh.veth0.mcast_solicit": 4,
    "net.ipv4.neigh.veth0.mcast_resolicit": 2,
    "net.ipv4.neigh.veth0.locktime": 50,
    "net.ipv6.neigh.veth0.app_solicit": 1,
    "net.ipv6.neigh.veth0.interval_probe_time_ms": 2000,
}


def flat(text: str) -> str:
    return " ".join(text.split())


def proc_value(lab: Lab, family: int, param: str) -> int:
    path = timers.sysctl_path(family, "veth0", param)
    out = subprocess.run(
        ["ip", "netns", "exec", lab.ns, "cat", path], check=True, capture_output=True, text=True
    ).stdout
    return timers.from_sysctl_value(param, out)


def ntable_show(lab: Lab, family: str) -> dict[str, int]:
    """The numbers `ip -f FAMILY ntable show dev veth0` prints, by its own names."""
    out = lab.ip("-f", family, "ntable", "show", "dev", "veth0")
    return {k: int(v) for k, v in re.findall(r"([a-z_]+) (\d+)", out)}


def test_dev_values_equal_proc_and_ip_ntable(lab: Lab) -> None:
    for key, value in CHANGED.items():
        lab.sysctl(key, value)
    pairs = read_parms("veth0", netns=lab.ns)
    assert [p.family for p, _ in pairs] == [AF_INET, AF_INET6]
    for p, _table in pairs:
        assert p.dev == "veth0"
        for param in timers.SYSCTL:
            assert getattr(p, param) == proc_value(lab, p.family, param), param
        ip = ntable_show(lab, "inet" if p.family == AF_INET else "inet6")
        assert p.base_reachable_time == ip["base_reachable"]
        assert p.retrans_time == ip["retrans"]
        assert p.gc_stale_time == ip["gc_stale"]
        assert p.delay_first_probe_time == ip["delay_probe"]
        assert p.ucast_solicit == ip["ucast_probes"]
        assert p.mcast_solicit == ip["mcast_probes"]
        assert p.app_solicit == ip["app_probes"]
        assert p.locktime == ip["locktime"]
        lo, hi = timers.reachable_range(p)
        assert p.reachable_time is not None
        assert lo <= p.reachable_time < hi
    v4 = pairs[0][0]
    assert (v4.base_reachable_time, v4.retrans_time, v4.mcast_resolicit) == (12000, 200, 2)
    assert timers.differences(v4)["delay_first_probe_time"] == (3000, 5000)


def test_table_values_are_the_kernels(lab: Lab) -> None:
    (_p, table), _ = read_parms("veth0", netns=lab.ns)
    ip = lab.ip("ntable", "show", "name", "arp_cache")
    t1, t2, t3 = (
        int(x) for x in re.search(r"thresh1 (\d+) thresh2 (\d+) thresh3 (\d+)", ip).groups()
    )
    assert (table.gc_thresh1, table.gc_thresh2, table.gc_thresh3) == (t1, t2, t3)
    assert table.name == "arp_cache"
    assert "table_fulls" in table.stats
    assert table.entries is not None
    assert table.entries >= 0


def test_explain_state_with_dev_states_live_timers(lab: Lab) -> None:
    for key, value in CHANGED.items():
        lab.sysctl(key, value)
    text = flat(explain_state("REACHABLE", lang="en", output="text", dev="veth0", netns=lab.ns))
    assert "On veth0 (IPv4), REACHABLE lasts 6–18 s (base_reachable_time 12 s)" in text
    assert "the current draw is" in text
    assert "delay_first_probe_time 3 s (default 5 s)" in text
    assert "By kernel default" not in text
    probe = flat(explain_state("PROBE", lang="en", output="text", dev="veth0", netns=lab.ns))
    # ucast_solicit 5 + mcast_resolicit 2 probes, 0.2 s apart
    assert "PROBE lasts about 1.4 s (7 probes every 0.2 s)" in probe
    data = json.loads(explain_state("PROBE", lang="en", output="json", dev="veth0", netns=lab.ns))
    [v4, v6] = data["timers"]
    assert v4["source"] == "kernel"
    assert v4["dev"] == "veth0"
    assert v4["probe_ms"] == 1400
    assert v4["params"]["mcast_resolicit"] == 2
    assert v6["family"] == "inet6"
    zh = explain_state("REACHABLE", lang="zh", output="text", dev="veth0", netns=lab.ns)
    assert "在 veth0（IPv4）上，REACHABLE 持续 6～18 秒" in zh.replace("\n", "")


def test_missing_device_and_namespace(lab: Lab) -> None:
    with pytest.raises(NoSuchDeviceError):
        read_parms("nosuch0", netns=lab.ns)
    with pytest.raises(NamespaceNotFoundError):
        read_parms("veth0", netns=lab.ns + "-missing")
    assert (lab.ns + "-missing") not in subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True
    ).stdout  # a typo never creates a namespace


def test_every_entry_of_the_populated_lab_is_explained(populated_lab: Lab) -> None:
    entries = populated_lab.neigh_json("nud", "all")
    assert len(entries) >= 15
    for e in entries:
        data = json.loads(
            explain_address(
                e["dst"], lang="en", output="json", netns=populated_lab.ns, dev=e["dev"]
            )
        )
        [one] = data
        want = e.get("state") or ["NONE"]
        assert one["entry"].get("state", []) == e.get("state", []), e
        assert one["state"] == want[0]
        assert one["next"], e
        assert one["timers_from"] == "kernel"
        zh = explain_address(
            e["dst"], lang="zh", output="text", netns=populated_lab.ns, dev=e["dev"]
        )
        assert zh.startswith(e["dst"] + " dev " + e["dev"])


def test_several_entries_for_one_address_and_none(lab: Lab) -> None:
    lab.ip_batch(
        "link add br0 type bridge\nlink set br0 up\naddr add 192.168.50.1/24 dev br0\n"
        "neigh add 10.0.0.77 lladdr 02:00:00:00:00:77 dev veth0\n"
        "neigh add 10.0.0.77 lladdr 02:00:00:00:00:78 dev br0 nud stale\n"
    )
    data = json.loads(explain_address("10.0.0.77", lang="en", output="json", netns=lab.ns))
    assert {(d["entry"]["dev"], d["state"]) for d in data} == {
        ("veth0", "PERMANENT"),
        ("br0", "STALE"),
    }
    only = json.loads(
        explain_address("10.0.0.77", lang="en", output="json", netns=lab.ns, dev="br0")
    )
    assert [d["entry"]["dev"] for d in only] == ["br0"]
    with pytest.raises(NotFoundError):
        explain_address("10.0.0.78", lang="en", output="text", netns=lab.ns)


def test_calico_and_flannel_patterns_on_real_devices(lab: Lab) -> None:
    lab.ip_batch(
        "link add cali69de609d5af type veth peer name calipeer0\n"
        "link set cali69de609d5af up\n"
        "neigh add 192.168.8.42 lladdr b2:21:5b:82:e1:27 dev cali69de609d5af\n"
        "link add flannel.1 type vxlan id 1 dstport 8472 local 10.0.0.1 dev veth0\n"
        "link set flannel.1 up\n"
        "neigh add 172.30.6.0 lladdr ca:82:f5:77:60:38 dev flannel.1\n"
        "neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev veth0 nud stale\n"
    )

    def ids(addr: str) -> set[str]:
        data = json.loads(explain_address(addr, lang="en", output="json", netns=lab.ns))
        return {p["id"] for d in data for p in d["patterns"]}

    assert "calico_workload" in ids("192.168.8.42")
    assert "flannel_vtep" in ids("172.30.6.0")
    assert "calico_gateway" in ids("169.254.1.1")


def test_permanent_entries_go_with_the_device_going_down(lab: Lab) -> None:
    """The catalogue says PERMANENT survives everything but admin and ifdown: check ifdown."""
    lab.ip("neigh", "add", "10.0.0.66", "lladdr", "02:00:00:00:00:66", "dev", "veth0")
    assert lab.state_of("10.0.0.66") == ["PERMANENT"]
    lab.ip("link", "set", "veth0", "down")
    assert lab.state_of("10.0.0.66") == []


def test_permanent_entries_survive_carrier_loss(lab: Lab) -> None:
    """...but not a lost carrier: neigh_carrier_down skips PERMANENT entries."""
    lab.ip("neigh", "add", "10.0.0.66", "lladdr", "02:00:00:00:00:66", "dev", "veth0")
    lab.ip(
        "neigh", "add", "10.0.0.67", "lladdr", "02:00:00:00:00:67", "dev", "veth0", "nud", "stale"
    )
    subprocess.run(["ip", "-n", lab.peer, "link", "set", "veth1", "down"], check=True)
    lab.wait_for(lambda: "NO-CARRIER" in lab.ip("link", "show", "veth0"), 5, "no carrier")
    assert lab.state_of("10.0.0.66") == ["PERMANENT"]
    assert lab.state_of("10.0.0.67") == []


def test_proxy_entry_is_explained_as_proxy(populated_lab: Lab) -> None:
    data = json.loads(
        explain_address("10.0.0.50", lang="en", output="json", netns=populated_lab.ns)
    )
    [one] = data
    assert one["entry"]["flags"] == ["proxy"]
    assert "proxy entry has no state" in one["next"][0]["text"]
    assert [f["flag"] for f in one["flags"]] == ["proxy"]


def test_incomplete_set_by_hand_waits_for_the_neighbour(lab: Lab) -> None:
    """`nud incomplete` sets the state without a timer: explain says nothing happens by
    itself and the neighbour's own request resolves it; the kernel does just that."""
    lab.ip("neigh", "add", "10.0.0.2", "dev", "veth0", "nud", "incomplete")
    lab.send_udp("10.0.0.2")  # queued: a hand-set INCOMPLETE starts no solicitation
    [entry] = json.loads(explain_address("10.0.0.2", lang="en", output="json", netns=lab.ns))
    assert entry["state"] == "INCOMPLETE"
    assert entry["next"][0]["to"] is None
    assert "neither fail nor be collected" in entry["next"][0]["text"]
    assert entry["next"][1]["to"] == "STALE"
    assert "the neighbour itself sends" in entry["next"][1]["text"]
    time.sleep(1.0)  # three times what 3 solicitations at retrans_time 0.1 s would take
    assert lab.state_of("10.0.0.2") == ["INCOMPLETE"]
    assert lab.neigh_json("10.0.0.2", "nud", "all")[0]["probes"] == 0
    # The peer talks to us: its ARP request names 10.0.0.2 and its MAC.
    subprocess.run(
        ["ip", "netns", "exec", lab.peer, sys.executable, "-c",
         "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
         ".sendto(b'x', ('10.0.0.1', 9))"],
        check=True,
    )  # fmt: skip
    lab.wait_for(lambda: lab.state_of("10.0.0.2") != ["INCOMPLETE"], 5, "10.0.0.2 resolved")
    [after] = lab.neigh_json("10.0.0.2", "nud", "all")
    assert after["lladdr"] == "02:00:00:00:01:02"
    assert after["state"][0] in ("STALE", "DELAY", "REACHABLE")  # the queued packet went out
