"""`get`, and every command's odd inputs in a lab: iproute2 spellings give what the long
options give, zones pick the device, names that are not UTF-8 work, refusals change
nothing. `ip` is the witness."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neighctl.errors import ExitCode
from tests.cli.mutate_support import error_line, invoke
from tests.lab import Lab
from tests.witness import entry, flags, snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_get_is_ip_neigh_get(populated_lab: Lab) -> None:
    lab = populated_lab
    # No FAILED entry: the shared table's GC may remove one mid-test (tests/cli/mutate_support.py).
    for address in ("10.0.0.2", "fd00::10", "10.0.0.10"):
        ip_text = lab.ip("neigh", "get", address, "dev", "veth0")
        got = invoke(lab, "get", address, "--dev", "veth0", "-o", "ip")
        assert got.exit_code == 0, got.stderr
        assert got.stdout == ip_text
        (obj,) = json.loads(invoke(lab, "get", address, "--dev", "veth0", "-j").stdout)
        # iproute2 6.1 has no JSON for `get`: `show to ADDR` is the witness.
        (want,) = lab.ip_json("neigh", "show", "to", address, "dev", "veth0", "nud", "all")
        assert (obj["dst"], obj.get("lladdr"), obj["state"]) == (
            want["dst"],
            want.get("lladdr"),
            want["state"],
        )
    table = invoke(lab, "get", "10.0.0.2", "dev", "veth0")
    assert table.stdout.splitlines()[1].split()[:4] == ["10.0.0.2", "veth0", "02:00:00:00:01:02", "REACHABLE"]  # fmt: skip
    proxy = invoke(lab, "get", "proxy", "fd00::51", "dev", "veth0", "-o", "ip")
    assert proxy.stdout == lab.ip("neigh", "get", "proxy", "fd00::51", "dev", "veth0")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["10.0.0.77", "--dev", "veth0"], ExitCode.NOT_FOUND, "see `neighctl show --state all"),
        (["10.0.0.50", "--dev", "veth0"], ExitCode.NOT_FOUND, "has only a proxy entry on veth0"),
        (["192.168.50.10", "--dev", "veth0"], ExitCode.NOT_FOUND, "has an entry on br0"),
        (["10.0.0.10", "--dev", "veth0", "--proxy"], ExitCode.NOT_FOUND, "drop --proxy"),
        (["10.0.0.2", "--dev", "veth9"], ExitCode.USAGE, "'veth9' does not exist"),
        (["10.0.0.2"], ExitCode.USAGE, "missing option --dev"),
        (["10.0.0.0/24", "--dev", "veth0"], ExitCode.USAGE, "is a prefix"),
    ],
)
def test_get_errors(populated_lab: Lab, args: list[str], code: int, words: str) -> None:
    result = invoke(populated_lab, "get", *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert words in error_line(result)


def test_del_of_a_proxy_only_address_names_the_proxy(lab: Lab) -> None:
    lab.ip("neigh", "add", "proxy", "10.0.0.50", "dev", "veth0")
    before = snapshot(lab)
    result = invoke(lab, "del", "10.0.0.50", "--dev", "veth0")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert error_line(result).endswith(
        "(10.0.0.50 has only a proxy entry on veth0: neighctl del 10.0.0.50 --dev veth0 --proxy)"
    )
    assert snapshot(lab) == before
    assert invoke(lab, "del", "proxy", "10.0.0.50", "dev", "veth0").exit_code == 0
    assert entry(lab, "10.0.0.50", proxy=True) is None


def test_iproute2_spellings_give_the_same_output(populated_lab: Lab) -> None:
    lab = populated_lab
    pairs = [
        (["dev", "veth0", "nud", "stale"], ["--dev", "veth0", "--state", "stale"]),
        (["to", "10/8", "-j"], ["10.0.0.0/8", "-o", "json"]),
        (["proxy", "-o", "ip"], ["--proxy", "-o", "ip"]),
        (
            ["nud", "stale,failed", "-o", "ip"],
            ["--state", "stale", "--state", "failed", "-o", "ip"],
        ),
    ]
    for short, long in pairs:
        a, b = invoke(lab, "show", *short), invoke(lab, "show", *long)
        assert a.exit_code == b.exit_code == 0, a.stderr
        assert a.stdout == b.stdout
    # The witness: `ip neigh show dev veth0 nud stale`.
    spelled = invoke(lab, "show", "dev", "veth0", "nud", "stale", "-o", "ip")
    assert spelled.stdout == lab.ip("neigh", "show", "dev", "veth0", "nud", "stale")
    # `-n NS` is --netns.
    done = subprocess.run(
        [sys.executable, "-m", "neighctl", "show", "-n", lab.ns, "-o", "ip"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == lab.ip("neigh", "show")


def test_a_single_address_with_no_entry_exits_3(populated_lab: Lab) -> None:
    lab = populated_lab
    missing = invoke(lab, "show", "10.0.0.77")
    assert missing.exit_code == ExitCode.NOT_FOUND
    assert missing.stdout == ""
    noarp = invoke(lab, "show", "10.0.0.11")  # NOARP: hidden by the default filter
    assert noarp.exit_code == ExitCode.NOT_FOUND
    assert "--state all" in error_line(noarp)
    assert invoke(lab, "show", "10.0.0.11", "--state", "all").exit_code == 0
    assert invoke(lab, "show", "10.0.0.77/32").exit_code == 0  # a prefix may be empty


def test_summary_json_matches_the_table(populated_lab: Lab) -> None:
    lab = populated_lab
    doc = json.loads(invoke(lab, "show", "--summary", "-j").stdout)
    entries = json.loads(invoke(lab, "show", "-j").stdout)
    assert doc["total"] == len(entries)
    for device in doc["devices"]:
        assert device["total"] == sum(1 for e in entries if e["dev"] == device["dev"])


def test_zones_pick_the_device(lab: Lab) -> None:
    lab.ip("neigh", "add", "fe80::1", "lladdr", "02:00:00:00:00:01", "dev", "veth0", "nud", "stale")
    lab.ip("neigh", "add", "fe80::1", "lladdr", "02:00:00:00:00:02", "dev", "lo", "nud", "stale",
           check=False)  # fmt: skip
    before = snapshot(lab)
    dry = invoke(lab, "flush", "fe80::1%lo", "--dry-run")
    assert "dev veth0" not in dry.stdout
    shown = invoke(lab, "show", "fe80::1%veth0", "-o", "ip")
    assert shown.stdout == lab.ip("neigh", "show", "to", "fe80::1", "dev", "veth0")
    nope = invoke(lab, "show", "fe80::1%nope")
    assert nope.exit_code == ExitCode.USAGE
    assert "'nope' does not exist" in error_line(nope)
    clash = invoke(lab, "del", "fe80::1%veth0", "--dev", "lo")
    assert clash.exit_code == ExitCode.USAGE
    assert snapshot(lab) == before
    assert invoke(lab, "del", "fe80::1%veth0").exit_code == 0
    assert entry(lab, "fe80::1") is None
    added = invoke(lab, "add", "fe80::5%veth0", "2:0:0:0:0:5", "--nud", "stale")
    assert added.exit_code == 0, added.stderr
    assert entry(lab, "fe80::5")["lladdr"] == "02:00:00:00:00:05"  # type: ignore[index]


def test_refusals_before_sending(lab: Lab) -> None:
    lab.ip("addr", "add", "10.7.0.1/24", "dev", "lo")
    before = snapshot(lab)
    lo_before = lab.ip("neigh", "show", "dev", "lo", "nud", "all")
    cases = [
        (["10.0.0.255", "2:0:0:0:0:1", "--dev", "veth0"], "broadcast address of 10.0.0.0/24"),
        (["10.0.0.0", "2:0:0:0:0:1", "--dev", "veth0"], "network address of 10.0.0.0/24"),
        (["10.7.0.5", "2:0:0:0:0:1", "--dev", "lo"], "keyed 0.0.0.0"),
        (["10.0.0.255", "2:0:0:0:0:1", "--dev", "veth0", "--dry-run"], "broadcast address"),
    ]
    for args, words in cases:
        result = invoke(lab, "add", *args)
        assert result.exit_code == ExitCode.USAGE, result.stdout
        assert words in error_line(result)
    assert snapshot(lab) == before
    assert lab.ip("neigh", "show", "dev", "lo", "nud", "all") == lo_before
    # The kernel would have taken it, as 0.0.0.0 (the witness, then cleaned up).
    lab.ip("neigh", "add", "10.7.0.5", "lladdr", "02:00:00:00:00:01", "dev", "lo")
    assert "0.0.0.0" in lab.ip("neigh", "show", "dev", "lo")


def test_replace_says_what_changed_and_keeps_flags(lab: Lab) -> None:
    lab.ip("neigh", "add", "fd00::5", "lladdr", "02:00:00:00:00:05", "dev", "veth0", "router",
           "extern_learn", "nud", "stale")  # fmt: skip
    result = invoke(lab, "add", "fd00::5", "2:0:0:0:0:6", "--dev", "veth0", "--replace")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "neighctl: replaced fd00::5 dev veth0: lladdr 02:00:00:00:00:05 → 02:00:00:00:00:06, "
        "STALE → PERMANENT, kept router, kept extern_learn\n"
    )
    seen = entry(lab, "fd00::5")
    assert seen is not None
    assert flags(seen) == {"router", "extern_learn"}
    doc = json.loads(
        invoke(lab, "add", "fd00::5", "2:0:0:0:0:7", "--dev", "veth0", "--replace",
               "--no-router", "-j").stdout
    )  # fmt: skip
    assert doc["action"] == "replace"
    assert doc["before"][0]["flags"] == ["router", "extern_learn"]
    assert doc["after"][0]["flags"] == ["extern_learn"]
    assert flags(entry(lab, "fd00::5")) == {"extern_learn"}  # type: ignore[arg-type]


def test_dry_runs_have_every_view(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "veth0")
    before = snapshot(lab)
    doc = json.loads(invoke(lab, "del", "10.0.0.5", "--dev", "veth0", "--dry-run", "-j").stdout)
    assert doc["dry_run"] is True
    assert doc["commands"] == [f"ip -n {lab.ns} neigh del 10.0.0.5 dev veth0"]
    assert doc["before"][0]["lladdr"] == "02:00:00:00:00:05"
    table = invoke(
        lab, "add", "10.0.0.6", "2:0:0:0:0:6", "--dev", "veth0", "--dry-run", "-o", "table"
    )
    assert table.stdout.splitlines()[1].split()[:4] == ["10.0.0.6", "veth0", "02:00:00:00:00:06", "PERMANENT"]  # fmt: skip
    ip = invoke(lab, "add", "10.0.0.6", "2:0:0:0:0:6", "--dev", "veth0", "--dry-run", "-o", "ip")
    assert ip.stdout.startswith(f"ip -n {lab.ns} neigh add 10.0.0.6")
    assert snapshot(lab) == before


def _raw(lab: Lab, *args: bytes) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable.encode(), b"-m", b"neighctl", *args, b"--netns", lab.ns.encode()]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, capture_output=True, cwd=ROOT, env=env, check=False)


def test_device_names_that_are_not_utf8(lab: Lab) -> None:
    """`--dev $'\\xff'` on every command: a name the kernel can have, bytes and all."""
    run_ip = ["ip", "-n", lab.ns]
    subprocess.run(
        [*run_ip, "link", "add", b"\xff", "type", "veth", "peer", "name", b"\xfe"], check=True
    )
    subprocess.run([*run_ip, "link", "set", b"\xff", "up"], check=True)
    subprocess.run([*run_ip, "addr", "add", "10.9.0.1/24", "dev", b"\xff"], check=True)
    add = _raw(lab, b"add", b"10.9.0.5", b"2:0:0:0:0:5", b"--dev", b"\xff")
    assert add.returncode == 0, add.stderr
    assert b"\\xff" in add.stdout  # the table shows the byte escaped
    ip_view = _raw(lab, b"show", b"-o", b"ip")
    assert b"10.9.0.5 dev \xff lladdr 02:00:00:00:00:05 PERMANENT" in ip_view.stdout  # raw, as ip
    for args in (
        [b"show", b"--dev", b"\xff"],
        [b"show", b"-j", b"--dev", b"\xff"],
        [b"get", b"10.9.0.5", b"--dev", b"\xff"],
        [b"del", b"10.9.0.5", b"--dev", b"\xff", b"--dry-run"],
        [b"flush", b"--dev", b"\xff", b"--dry-run"],
        [b"watch", b"--dev", b"\xff", b"--duration", b"0.1"],
        [b"explain", b"stale", b"--dev", b"\xff", b"-o", b"json"],
        [b"probe", b"10.9.0.5", b"--dev", b"\xff"],
    ):
        done = _raw(lab, *args)
        assert b"Traceback" not in done.stderr
        assert done.returncode not in (1, 70), (args, done.stderr)
    for args in ([b"show", b"--dev", b"\xfd"], [b"del", b"10.9.0.5", b"--dev", b"\xfd"]):
        done = _raw(lab, *args)
        assert done.returncode == ExitCode.USAGE
        assert done.stderr.startswith(b"neighctl: error: device '\\udcfd' does not exist")
    deleted = _raw(lab, b"del", b"10.9.0.5", b"--dev", b"\xff")
    assert deleted.returncode == 0, deleted.stderr
