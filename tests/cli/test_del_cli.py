"""`neighctl del` in a lab, and every mutation without CAP_NET_ADMIN."""

from __future__ import annotations

import json

import pytest

from neighctl.errors import ExitCode
from tests.cli.mutate_support import (
    FLUSH_ENTRIES,
    error_line,
    invoke,
    run_without_net_admin,
    table_rows,
)
from tests.lab import Lab
from tests.witness import entry, snapshot


@pytest.mark.parametrize("address", ["10.0.0.5", "fd00::5"])
def test_del_prints_the_removed_entry(lab: Lab, address: str) -> None:
    lab.ip("neigh", "add", address, "lladdr", "02:00:00:00:00:05", "dev", "veth0", "nud", "stale")
    lab.ip(
        "neigh", "add", "10.0.0.6", "lladdr", "02:00:00:00:00:06", "dev", "veth0", "nud", "stale"
    )
    result = invoke(lab, "del", address, "--dev", "veth0")
    assert result.exit_code == 0, result.stderr
    assert table_rows(result.stdout) == [[address, "veth0", "02:00:00:00:00:05", "STALE", "-"]]
    assert entry(lab, address) is None
    assert entry(lab, "10.0.0.6") is not None


def test_del_proxy(lab: Lab) -> None:
    lab.ip("neigh", "add", "proxy", "fd00::50", "dev", "veth0", "router")
    lab.ip("neigh", "add", "fd00::50", "lladdr", "02:00:00:00:00:50", "dev", "veth0")
    result = invoke(lab, "del", "fd00::50", "--dev", "veth0", "--proxy", "-o", "json")
    assert result.exit_code == 0, result.stderr
    (obj,) = json.loads(result.stdout)
    assert obj["flags"] == ["router", "proxy"]
    assert entry(lab, "fd00::50", proxy=True) is None
    assert entry(lab, "fd00::50") is not None  # the neighbour entry is another thing


def test_del_missing_exits_3(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "veth0")
    before = snapshot(lab)
    result = invoke(lab, "del", "10.0.0.9", "--dev", "veth0")
    assert result.exit_code == ExitCode.NOT_FOUND == 3
    assert "no entry for 10.0.0.9 dev veth0" in error_line(result)
    proxy = invoke(lab, "del", "10.0.0.5", "--dev", "veth0", "--proxy")
    assert proxy.exit_code == ExitCode.NOT_FOUND
    assert "no entry for proxy 10.0.0.5 dev veth0" in error_line(proxy)
    assert snapshot(lab) == before


@pytest.mark.parametrize(
    ("args", "words", "code"),
    [
        (["10.0.0.300", "--dev", "veth0"], "'10.0.0.300' is not an IPv4 or IPv6 address", 2),
        (["10.0.0.5", "--dev", "veth9"], "device 'veth9' does not exist", 2),
    ],
)
def test_del_refusals(lab: Lab, args: list[str], words: str, code: int) -> None:
    lab.ip("neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "veth0")
    before = snapshot(lab)
    result = invoke(lab, "del", *args)
    assert result.exit_code == code
    assert words in error_line(result)
    assert snapshot(lab) == before


@pytest.mark.parametrize(
    "args",
    [
        ["add", "10.0.0.5", "02:00:00:00:00:05", "--dev", "veth0"],
        ["add", "10.0.0.12", "02:00:00:00:00:05", "--dev", "veth0", "--replace"],
        ["add", "fd00::50", "--dev", "veth0", "--proxy"],
        ["del", "10.0.0.12", "--dev", "veth0"],
        ["flush", "--dev", "veth0", "--yes"],
    ],
)
def test_not_permitted_exits_4(lab: Lab, args: list[str]) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    done = run_without_net_admin(lab, *args)
    assert done.returncode == ExitCode.PERMISSION == 4, done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("neighctl: error: ")
    assert "needs CAP_NET_ADMIN: run with sudo" in last
    assert "Traceback" not in done.stderr
    assert snapshot(lab) == before
