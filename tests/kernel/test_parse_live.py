"""Captures of the tools iproute2 6.1, net-tools and BusyBox print in a test namespace,
parsed, against `ip -j` of the same namespace; a sosreport-like directory built from it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from neighctl.model import state_words
from neighctl.parse import read_snapshot, read_text
from tests import sos_support
from tests.kernel.test_show_differential import sandwich
from tests.lab import Lab, run


def capture(lab: Lab, *cmd: str) -> str:
    return run("ip", "netns", "exec", lab.ns, *cmd).stdout


def witness(lab: Lab, *args: str, family: str | None = None) -> list[dict[str, Any]]:
    opts = ["-j", family] if family else ["-j"]
    return json.loads(capture(lab, "ip", *opts, "neigh", "show", *args) or "[]")


@pytest.fixture(scope="session")
def busybox() -> Iterator[str]:
    """Debian's busybox-static unpacked in a temporary folder (never installed system-wide)."""
    with tempfile.TemporaryDirectory(prefix="nctest-busybox-") as tmp:
        got = subprocess.run(
            ["apt-get", "download", "busybox-static"], cwd=tmp, capture_output=True, text=True
        )
        debs = list(Path(tmp).glob("busybox-static_*.deb"))
        if got.returncode != 0 or not debs:
            pytest.skip(f"cannot download busybox-static: {got.stderr.strip()[-200:]}")
        run("dpkg", "-x", str(debs[0]), os.path.join(tmp, "root"))
        yield os.path.join(tmp, "root", "bin", "busybox")


def test_ip_brief_gives_sets_that_hold_the_real_state(populated_lab: Lab) -> None:
    listed, text = sandwich(
        lambda: witness(populated_lab), lambda: capture(populated_lab, "ip", "-br", "neigh")
    )
    parsed = {(n.dst, n.dev): n for n in read_text(text)}
    assert set(parsed) == {(e["dst"], e["dev"]) for e in listed}
    for e in listed:
        n = parsed[(e["dst"], e["dev"])]
        assert set(e.get("state", [])) <= set(state_words(n.state)), (e, n)
        assert n.lladdr == e.get("lladdr")


def test_ip_colour_reads_as_plain(populated_lab: Lab) -> None:
    plain, coloured = sandwich(
        lambda: capture(populated_lab, "ip", "neigh"),
        lambda: capture(populated_lab, "ip", "-c=always", "neigh"),
    )
    assert "\x1b[" in coloured
    assert read_text(coloured) == read_text(plain)


@pytest.mark.parametrize(
    "cmd",
    [["arp", "-n", "-v"], ["BUSYBOX", "arp", "-a"], ["BUSYBOX", "arp", "-n"]],
    ids=["net-tools-arp-n-v", "busybox-arp-a", "busybox-arp-n"],
)
def test_linux_arp_variants_carry_what_they_can(
    populated_lab: Lab, cmd: list[str], request: pytest.FixtureRequest
) -> None:
    if cmd[0] == "BUSYBOX":
        cmd = [request.getfixturevalue("busybox"), *cmd[1:]]
    listed, text = sandwich(
        lambda: witness(populated_lab, "nud", "all", family="-4"),
        lambda: capture(populated_lab, *cmd),
    )
    listed = [e for e in listed if set(e.get("state", [])) - {"NOARP"}]
    entries = read_text(text)
    parsed = {(n.dst, n.dev): n for n in entries if not n.is_proxy}
    assert set(parsed) == {(e["dst"], e["dev"]) for e in listed}
    for e in listed:
        n = parsed[(e["dst"], e["dev"])]
        assert set(e["state"]) <= set(state_words(n.state)), (e, n)
    proxies = {n.dst for n in entries if n.is_proxy}
    assert proxies == {e["dst"] for e in populated_lab.ip_json("-4", "neigh", "show", "proxy")}


MONITORS = {
    "t": ["ip", "-t", "monitor", "neigh"],
    "ts": ["ip", "-ts", "monitor", "neigh"],
    "label": ["ip", "monitor", "label", "neigh"],
    "all": ["ip", "monitor", "all"],
    "plain-all-objects": ["ip", "monitor"],
    "stats": ["ip", "-s", "monitor", "neigh"],
}


def test_monitor_variants_leave_the_table_ip_shows(lab: Lab) -> None:
    lab.ip_batch("neigh add 10.0.0.70 lladdr 02:00:00:00:00:70 dev veth0 nud stale\n")
    procs = {
        name: subprocess.Popen(
            ["ip", "netns", "exec", lab.ns, *cmd], stdout=subprocess.PIPE, text=True
        )
        for name, cmd in MONITORS.items()
    }
    try:
        time.sleep(0.5)
        lab.ip_batch(
            "neigh add 10.0.0.60 lladdr 02:00:00:00:00:60 dev veth0 nud reachable\n"
            "neigh replace 10.0.0.60 lladdr 02:00:00:00:00:61 dev veth0 nud stale\n"
            "neigh add 10.0.0.61 lladdr 02:00:00:00:00:62 dev veth0\n"
            "addr add 10.0.1.1/24 dev veth0\n"
            "route add 10.9.0.0/16 via 10.0.0.2\n"
            "neigh del 10.0.0.70 dev veth0\n"
        )
        lab.send_udp("10.0.0.2")
        lab.wait_state("10.0.0.2", "REACHABLE")
        time.sleep(0.5)
    finally:
        outputs = {}
        for name, proc in procs.items():
            proc.terminate()
            outputs[name] = proc.communicate()[0]
    now = {e["dst"]: e for e in witness(lab, "nud", "all")}
    assert "10.0.0.70" not in now
    for name, text in outputs.items():
        table = {n.dst: n for n in read_text(text)}
        assert "10.0.0.70" not in table, name
        for dst in ("10.0.0.60", "10.0.0.61", "10.0.0.2"):
            assert table[dst].lladdr == now[dst]["lladdr"], (name, dst)
            assert state_words(table[dst].state) == now[dst]["state"], (name, dst)


def _listed(lab: Lab) -> list[tuple[str, str, str | None, list[str] | None]]:
    # sos saves `ip -s -s neigh show` and `ip neigh show nud noarp`: NONE entries are in neither.
    return sorted(
        (e["dst"], e["dev"], e.get("lladdr"), e.get("state"))
        for e in witness(lab, "nud", "all")
        if e.get("state")
    )


def test_a_sosreport_built_from_a_namespace(populated_lab: Lab, tmp_path: Path) -> None:
    # The populated namespace keeps moving (REACHABLE ages into STALE): build the report
    # between two identical witness reads, so that it saw the same table they did.
    for attempt in range(5):
        before = _listed(populated_lab)
        root = sos_support.build(
            str(tmp_path / f"sosreport-lab{attempt}"), populated_lab.ns, [populated_lab.peer]
        )
        if _listed(populated_lab) == before:
            break
        shutil.rmtree(root)
    else:
        pytest.fail("the namespace's table kept changing while the report was written")
    runner = CliRunner()
    result = runner.invoke(app, ["show", "--from", str(tmp_path), "-o", "json", "--state", "all"])
    assert result.exit_code == 0, result.stderr
    ours = json.loads(result.stdout)
    key = lambda e: (e["dev"], e["dst"])  # noqa: E731
    assert sorted((e["dst"], e["dev"], e.get("lladdr"), e.get("state")) for e in ours) == before, (
        sorted(ours, key=key)
    )
    # the default filter's note: the NOARP file and NONE entries are in the table
    result = runner.invoke(app, ["show", "--from", str(tmp_path), "-o", "ip"])
    assert "hidden by the default state filter" in result.stderr
    assert "--state all shows them" in result.stderr
    peer = runner.invoke(
        app, ["show", "--from", root, "--netns", populated_lab.peer, "-o", "json", "--state", "all"]
    )
    assert peer.exit_code == 0, peer.stderr
    # sos runs only `ip -s -s neigh show` in a namespace: its default filter's entries.
    peer_witness = json.loads(run("ip", "-n", populated_lab.peer, "-j", "neigh", "show").stdout)
    assert {e["dst"] for e in json.loads(peer.stdout)} == {e["dst"] for e in peer_witness}

    snap = read_snapshot(root)
    host, inner = snap.namespaces
    assert host.links is not None
    links = json.loads(capture(populated_lab, "ip", "-j", "-d", "link"))
    assert {link.name: link.kind for link in host.links} == {
        link["ifname"]: link.get("linkinfo", {}).get("info_kind") for link in links
    }
    addrs = json.loads(capture(populated_lab, "ip", "-j", "address"))
    assert host.addresses is not None
    assert sorted((a.dev, a.address, a.prefixlen) for a in host.addresses) == sorted(
        (link["ifname"], a["local"], a["prefixlen"]) for link in addrs for a in link["addr_info"]
    )
    routes = json.loads(capture(populated_lab, "ip", "-j", "route", "show", "table", "all"))
    routes += json.loads(capture(populated_lab, "ip", "-6", "-j", "route", "show", "table", "all"))
    assert host.routes is not None
    assert len({(r.dst, r.table, r.dev) for r in host.routes}) == len(
        {(r["dst"], r.get("table", "main"), r.get("dev")) for r in routes}
    )
    fdb = json.loads(capture(populated_lab, "bridge", "-j", "fdb", "show"))
    assert host.fdb is not None
    assert sorted((f.mac, f.dev) for f in host.fdb) == sorted((f["mac"], f["ifname"]) for f in fdb)
    assert host.sysctls is not None
    assert host.sysctl("net.ipv4.neigh.veth0.retrans_time_ms") == "100"
    veth0 = [p for p in host.parms or [] if p.dev == "veth0" and p.family == 2]
    assert veth0[0].retrans_time == 100
    assert inner.name == populated_lab.peer
    assert inner.neighbors is not None
    assert inner.unread == {"fdb": "sos does not save a namespace's bridge FDB"}
    shutil.rmtree(tmp_path)


def test_doctor_runs_on_a_sosreport(populated_lab: Lab, tmp_path: Path) -> None:
    diagnose = pytest.importorskip("neighctl.diagnose")
    if not hasattr(diagnose, "run_checks"):
        pytest.skip("the doctor's checks are not in this tree yet")
    root = sos_support.build(str(tmp_path), populated_lab.ns, skip=("bridge -s -s -d -t fdb show",))
    report = diagnose.run_checks(read_snapshot(root))
    assert report.checks
    assert read_snapshot(root).namespaces[0].unread["fdb"].startswith("no sos_commands")


def test_a_sosreport_missing_its_neighbour_listing(populated_lab: Lab, tmp_path: Path) -> None:
    """sos copies /proc/net/ too: without `ip -s -s neigh show` the table comes from it
    (IPv4, states as sets that hold ip's), completed by the NOARP listing; the doctor
    names what the report lacks."""
    for _attempt in range(5):
        before = witness(populated_lab, "nud", "all", family="-4")
        root = Path(
            sos_support.build(
                str(tmp_path / "sos"), populated_lab.ns, skip=("ip -s -s neigh show",)
            )
        )
        (root / "proc" / "net").mkdir(parents=True)
        (root / "proc" / "net" / "arp").write_text(capture(populated_lab, "cat", "/proc/net/arp"))
        if witness(populated_lab, "nud", "all", family="-4") == before:
            break
        shutil.rmtree(root)
    else:
        pytest.fail("the namespace's table kept changing while the report was written")
    runner = CliRunner()
    result = runner.invoke(app, ["show", "--from", str(root), "-o", "json", "--state", "all"])
    assert result.exit_code == 0, result.stderr
    assert "only proc/net/arp" in result.stderr
    ours = {(e["dst"], e["dev"]): e for e in json.loads(result.stdout)}
    for e in before:
        if not e.get("state"):  # NONE: neither /proc/net/arp nor the NOARP listing has it
            continue
        n = ours[(e["dst"], e["dev"])]
        assert set(e["state"]) <= set(n["state"]), (e, n)
        assert n.get("lladdr") == e.get("lladdr")
    doctor = runner.invoke(app, ["doctor", "--from", str(root)])
    assert doctor.exit_code in (0, 8, 9), doctor.stderr
    assert "host: neighbour entries (only proc/net/arp: IPv4 entries, states as sets)" in (
        doctor.stdout
    )
    shutil.rmtree(root)
