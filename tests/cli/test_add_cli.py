"""`neighctl add` in a lab, `ip -j neigh` as the witness; dry runs replayed through `ip`."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from neighctl import cli
from neighctl.errors import ExitCode
from tests.cli.mutate_support import (
    error_line,
    invoke,
    runner,
    table_rows,
)
from tests.lab import Lab
from tests.witness import entry, flags, snapshot


def test_add_prints_the_entry_the_kernel_has(lab: Lab) -> None:
    result = invoke(lab, "add", "10.0.0.5", "AA:BB:CC:00:00:05", "--dev", "veth0")
    assert result.exit_code == 0, result.stderr
    assert table_rows(result.stdout) == [
        ["10.0.0.5", "veth0", "aa:bb:cc:00:00:05", "PERMANENT", "-"]
    ]
    seen = entry(lab, "10.0.0.5")
    assert seen is not None
    assert (seen["lladdr"], seen["state"]) == ("aa:bb:cc:00:00:05", ["PERMANENT"])
    assert result.stderr == ""


def test_add_ipv6_router_stale_as_json(lab: Lab) -> None:
    result = invoke(
        lab,
        "add",
        "fd00::5",
        "02-00-00-00-00-05",
        "--dev",
        "veth0",
        "--router",
        "--nud",
        "STALE",
        "-o",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    (obj,) = json.loads(result.stdout)
    assert (obj["dst"], obj["lladdr"], obj["state"], obj["flags"]) == (
        "fd00::5",
        "02:00:00:00:00:05",
        ["STALE"],
        ["router"],
    )
    seen = entry(lab, "fd00::5")
    assert seen is not None
    assert seen["state"] == ["STALE"]
    assert flags(seen) == {"router"}


def test_add_output_ip_is_what_ip_neigh_prints(lab: Lab) -> None:
    result = invoke(
        lab, "add", "10.0.0.5", "0200.0000.0005", "--dev", "veth0", "--extern-learn", "-o", "ip"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == lab.ip("neigh", "show", "to", "10.0.0.5")
    seen = entry(lab, "10.0.0.5")
    assert seen is not None
    assert flags(seen) == {"extern_learn"}


@pytest.mark.parametrize(("address", "router"), [("10.0.0.50", []), ("fd00::50", ["--router"])])
def test_add_proxy(lab: Lab, address: str, router: list[str]) -> None:
    result = invoke(lab, "add", address, "--dev", "veth0", "--proxy", *router)
    assert result.exit_code == 0, result.stderr
    seen = entry(lab, address, proxy=True)
    assert seen is not None
    assert flags(seen) == {"proxy"} | ({"router"} if router else set())
    assert entry(lab, address) is None


def test_add_existing_exits_6_and_suggests_replace(lab: Lab) -> None:
    lab.ip(
        "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "veth0", "nud", "stale"
    )
    before = snapshot(lab)
    result = invoke(lab, "add", "10.0.0.5", "02:00:00:00:00:06", "--dev", "veth0")
    assert result.exit_code == ExitCode.EXISTS == 6
    line = error_line(result)
    assert "10.0.0.5 dev veth0 already exists" in line
    assert "--replace" in line
    assert result.stdout == ""
    assert snapshot(lab) == before


def test_add_existing_proxy_exits_6(lab: Lab) -> None:
    lab.ip("neigh", "add", "proxy", "10.0.0.50", "dev", "veth0")
    before = snapshot(lab)
    result = invoke(lab, "add", "10.0.0.50", "--dev", "veth0", "--proxy")
    assert result.exit_code == ExitCode.EXISTS
    assert "--replace" in error_line(result)
    assert snapshot(lab) == before


@pytest.mark.parametrize("address", ["10.0.0.5", "fd00::5"])
def test_replace_changes_the_mac(lab: Lab, address: str) -> None:
    lab.ip("neigh", "add", address, "lladdr", "02:00:00:00:00:05", "dev", "veth0", "nud", "stale")
    result = invoke(lab, "add", address, "02:00:00:00:00:99", "--dev", "veth0", "--replace")
    assert result.exit_code == 0, result.stderr
    assert table_rows(result.stdout) == [[address, "veth0", "02:00:00:00:00:99", "PERMANENT", "-"]]
    seen = entry(lab, address)
    assert seen is not None
    assert (seen["lladdr"], seen["state"]) == ("02:00:00:00:00:99", ["PERMANENT"])


BAD_ADDS = [
    (["10.0.0.256", "02:00:00:00:00:05"], "'10.0.0.256' is not an IPv4 or IPv6 address"),
    (["10.0.0.0/24", "02:00:00:00:00:05"], "'10.0.0.0/24' is a prefix"),
    (["224.0.0.5", "02:00:00:00:00:05"], "'224.0.0.5' is a multicast address"),
    (["10.0.0.5", "02:00:00:00:00"], "MAC '02:00:00:00:00' is too short"),
    (["10.0.0.5", "02:00:00:00:00:zz"], "'02:00:00:00:00:zz' is not a MAC address"),
    (["10.0.0.5", "ff:ff:ff:ff:ff:ff"], "ff:ff:ff:ff:ff:ff is the broadcast MAC"),
    (["10.0.0.5", "01:00:5e:00:00:05"], "01:00:5e:00:00:05 is a multicast MAC"),
    (["10.0.0.5"], "LLADDR is required"),
    (["10.0.0.5", "02:00:00:00:00:05", "--proxy"], "drop '02:00:00:00:00:05'"),
    (["10.0.0.5", "--proxy", "--nud", "stale"], "--nud 'stale' does not apply to proxy"),
    (["10.0.0.5", "02:00:00:00:00:05", "--router"], "--router is IPv6 only: 10.0.0.5"),
    (["10.0.0.5", "02:00:00:00:00:05", "--nud", "sleepy"], "unknown --nud 'sleepy'"),
]


@pytest.mark.parametrize(("args", "words"), BAD_ADDS)
def test_add_refusals_exit_2_and_change_nothing(lab: Lab, args: list[str], words: str) -> None:
    lab.ip(
        "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:01", "dev", "veth0", "nud", "stale"
    )
    before = snapshot(lab)
    result = invoke(lab, "add", *args, "--dev", "veth0")
    assert result.exit_code == ExitCode.USAGE == 2
    assert words in error_line(result)
    assert result.stdout == ""
    assert snapshot(lab) == before


def test_add_on_missing_device_exits_2(lab: Lab) -> None:
    before = snapshot(lab)
    result = invoke(lab, "add", "10.0.0.5", "02:00:00:00:00:05", "--dev", "veth9")
    assert result.exit_code == ExitCode.USAGE
    assert "device 'veth9' does not exist" in error_line(result)
    assert snapshot(lab) == before


def test_add_ipv6_on_device_with_ipv6_disabled_exits_2(lab: Lab) -> None:
    lab.sysctl("net.ipv6.conf.veth0.disable_ipv6", 1)
    before = snapshot(lab)
    result = invoke(lab, "add", "fd00::5", "02:00:00:00:00:05", "--dev", "veth0")
    assert result.exit_code == ExitCode.USAGE
    assert "IPv6 is disabled on device 'veth0'" in error_line(result)
    assert snapshot(lab) == before


def test_add_without_dev_is_a_usage_error(lab: Lab) -> None:
    before = snapshot(lab)
    result = invoke(lab, "add", "10.0.0.5", "02:00:00:00:00:05")
    assert result.exit_code == 2
    assert "--dev" in result.stderr
    assert snapshot(lab) == before


@pytest.mark.parametrize(
    "args",
    [
        ["add", "10.0.0.5", "02:00:00:00:00:05", "--dev", "veth0"],
        ["del", "10.0.0.5", "--dev", "veth0"],
        ["flush", "--dev", "veth0", "--yes"],
    ],
)
def test_missing_namespace_exits_7(lab: Lab, args: list[str]) -> None:
    result = runner.invoke(cli.app, [*args, "--netns", lab.ns + "-missing"])
    assert result.exit_code == ExitCode.NO_NAMESPACE == 7
    assert f"network namespace '{lab.ns}-missing' does not exist" in error_line(result)
    assert not Path("/run/netns", lab.ns + "-missing").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["10.0.0.5", "aa-bb-cc-00-00-05"],
        ["10.0.0.5", "aa-bb-cc-00-00-05", "--nud", "noarp"],
        ["fd00::5", "AABB.CC00.0005", "--router", "--nud", "reachable"],
        ["fd00::5", "aa:bb:cc:00:00:05", "--extern-learn"],
        ["fd00::50", "--proxy", "--router"],
    ],
)
def test_add_dry_run_prints_an_ip_command_that_does_the_same(lab: Lab, args: list[str]) -> None:
    before = snapshot(lab)
    dry = invoke(lab, "add", *args, "--dev", "veth0", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert snapshot(lab) == before
    command = dry.stdout.strip()
    assert command.startswith(f"ip -n {lab.ns} neigh add ")
    subprocess.run(shlex.split(command), check=True)
    by_ip = snapshot(lab)
    proxy = "--proxy" in args
    delete = ["neigh", "del", *(["proxy"] if proxy else []), args[0], "dev", "veth0"]
    lab.ip(*delete)
    assert snapshot(lab) == before
    real = invoke(lab, "add", *args, "--dev", "veth0")
    assert real.exit_code == 0, real.stderr
    assert snapshot(lab) == by_ip


def test_replace_and_del_dry_runs_change_nothing(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "veth0")
    before = snapshot(lab)
    rep = invoke(
        lab, "add", "10.0.0.5", "02:00:00:00:00:06", "--dev", "veth0", "--replace", "--dry-run"
    )
    assert rep.exit_code == 0, rep.stderr
    assert rep.stdout == (
        f"ip -n {lab.ns} neigh replace 10.0.0.5 lladdr 02:00:00:00:00:06 dev veth0 nud permanent\n"
    )
    gone = invoke(lab, "del", "10.0.0.5", "--dev", "veth0", "--dry-run")
    assert gone.exit_code == 0, gone.stderr
    assert gone.stdout == f"ip -n {lab.ns} neigh del 10.0.0.5 dev veth0\n"
    assert snapshot(lab) == before
    # A dry run is checked like the real thing.
    exists = invoke(lab, "add", "10.0.0.5", "02:00:00:00:00:06", "--dev", "veth0", "--dry-run")
    assert exists.exit_code == ExitCode.EXISTS
    missing = invoke(lab, "del", "10.0.0.9", "--dev", "veth0", "--dry-run")
    assert missing.exit_code == ExitCode.NOT_FOUND
    assert snapshot(lab) == before


def test_add_and_del_on_a_device_whose_name_is_not_utf8(lab: Lab) -> None:
    """The shell passes such a name surrogate-escaped; pyroute2 cannot encode that."""
    name = os.fsdecode(b"ve\xfe")
    lab.ip("link", "add", name, "type", "veth", "peer", "name", os.fsdecode(b"vp\xfe"))
    result = invoke(lab, "add", "192.0.2.9", "02:00:00:00:02:09", "--dev", name)
    assert result.exit_code == 0, result.stderr
    assert [e["dst"] for e in lab.neigh_json("dev", name)] == ["192.0.2.9"]
    result = invoke(lab, "del", "192.0.2.9", "--dev", name)
    assert result.exit_code == 0, result.stderr
    assert lab.neigh_json("dev", name) == []
