"""`neighctl ntable -o json` against `ip -j -s ntable show` (and /proc/sys for what ip omits)."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from neighctl import cli
from tests.kernel.doctor_support import ip_json, sysctl
from tests.lab import Lab

runner = CliRunner()
SHARED_PARMS = (
    "reachable",
    "base_reachable",
    "retrans",
    "gc_stale",
    "delay_probe",
    "queue",
    "app_probes",
    "ucast_probes",
    "mcast_probes",
    "anycast_delay",
    "proxy_delay",
    "proxy_queue",
    "locktime",
)
STATS = (
    "allocs",
    "destroys",
    "hash_grows",
    "res_failed",
    "lookups",
    "hits",
    "rcv_probes_mcast",
    "rcv_probes_ucast",
    "periodic_gc_runs",
    "forced_gc_runs",
    "table_fulls",
)


def ours(ns: str, *args: str) -> dict[str, Any]:
    result = runner.invoke(cli.app, ["ntable", "-s", "-o", "json", "--netns", ns, *args])
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def theirs(ns: str) -> list[dict[str, Any]]:
    return ip_json(ns, "-s", "ntable", "show")


def test_ntable_json_agrees_with_ip_ntable(lab: Lab) -> None:
    sysctl(lab.ns, "net.ipv4.neigh.veth0.ucast_solicit", 5)
    sysctl(lab.ns, "net.ipv6.neigh.veth0.app_solicit", 1)
    sysctl(lab.ns, "net.ipv4.neigh.veth0.mcast_resolicit", 2)
    sysctl(lab.ns, "net.ipv4.neigh.veth0.interval_probe_time_ms", 7000)
    sysctl(lab.ns, "net.ipv4.neigh.veth0.unres_qlen_bytes", 100000)
    compared = 0
    # The table's entries are global and move with every other namespace's traffic
    # (up and back down between two of ip's readings): wait for a quiet moment.
    entries_agree = False
    for _attempt in range(30):
        before = theirs(lab.ns)
        doc = ours(lab.ns)
        after = theirs(lab.ns)
        assert doc["netns"] == lab.ns
        for table in doc["tables"]:
            (ip_table,) = [
                t
                for t in before
                if t["family"] == table["family"] and t["name"] == table["name"] and "dev" not in t
            ]
            (ip_after,) = [
                t
                for t in after
                if t["family"] == table["family"] and t["name"] == table["name"] and "dev" not in t
            ]
            for key in ("thresh1", "thresh2", "thresh3", "gc_interval"):
                assert table[key] == ip_table[key], key
            # Counters only grow: ours was read between the two readings of ip's.
            for key in STATS:
                assert ip_table[key] <= table["stats"][key] <= ip_after[key], key
            quiet = ip_table["entries"] == ip_after["entries"] == table["entries"]
            entries_agree = entries_agree or quiet
            by_dev = {t.get("dev"): t for t in before if t["family"] == table["family"]}
            for parms in table["parms"]:
                ip_parms = by_dev[parms["dev"]]
                for key in SHARED_PARMS:
                    assert parms[key] == ip_parms[key], (parms["dev"], key)
                compared += 1
        if compared and entries_agree:
            break
    assert compared >= 4  # both families' defaults and veth0 at least
    assert entries_agree, "the entries never matched ip's while the table was still"
    veth0 = {t["family"]: next(p for p in t["parms"] if p["dev"] == "veth0") for t in doc["tables"]}
    assert veth0["inet"]["ucast_probes"] == 5
    assert veth0["inet6"]["app_probes"] == 1
    # What `ip ntable` omits, against the sysctl files.
    assert veth0["inet"]["mcast_reprobes"] == 2
    assert veth0["inet"]["interval_probe_time_ms"] == 7000
    assert veth0["inet"]["queue_lenbytes"] == 100000


def test_ntable_dev_and_family(lab: Lab) -> None:
    doc = ours(lab.ns, "--dev", "veth0", "-6")
    (table,) = doc["tables"]
    assert table["family"] == "inet6"
    assert [p["dev"] for p in table["parms"]] == ["veth0"]
    gc = table["gc"]
    assert gc["complete"] is True
    assert gc["headroom"]["thresh3"] == table["thresh3"] - gc["eligible"]
    assert set(gc["exempt"]) == {"permanent", "extern_learn", "loopback"}


def test_ntable_counts_entries_of_every_namespace(lab: Lab) -> None:
    """The lab's eligible entries show up under its name, whichever namespace is asked."""
    lab.ip_batch(
        "".join(
            f"neigh add 10.0.0.{i} lladdr 02:00:00:00:00:{i:02x} dev veth0 nud stale\n"
            for i in range(10, 30)
        )
    )
    doc = ours(lab.peer, "-4")
    (table,) = doc["tables"]
    assert table["gc"]["eligible_by_namespace"].get(lab.ns, 0) >= 20
