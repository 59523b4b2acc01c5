"""`neighctl add`, `del` and `flush` end to end in a lab, `ip -j neigh` as the witness.

Every command here names --netns of a test namespace, even the ones that are
refused before the namespace is entered: without it they would touch the host.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from neighctl import cli
from neighctl.errors import ExitCode, KernelError
from neighctl.kernel.netlink import RTM_DELNEIGH, RouteSocket
from tests.lab import Lab
from tests.witness import entry, flags, snapshot

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def invoke(lab: Lab, *args: str, input: str | None = None) -> Result:
    result = runner.invoke(cli.app, [*args, "--netns", lab.ns], input=input)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def error_line(result: Result) -> str:
    """The one-line error on stderr (the last line, after any listing)."""
    lines = result.stderr.splitlines()
    assert lines, "expected an error message on stderr"
    assert lines[-1].startswith("neighctl: error: ")
    return lines[-1]


def table_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["ADDRESS", "DEVICE", "LLADDR", "STATE"]
    return [line.split() for line in lines[1:]]


# --- add ------------------------------------------------------------------------


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


# --- dry runs ---------------------------------------------------------------------


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


# --- del --------------------------------------------------------------------------


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


# --- flush ------------------------------------------------------------------------

FLUSH_ENTRIES = """\
link add br0 type bridge
link set br0 up
addr add 192.168.50.1/24 dev br0
neigh add 10.0.0.10 lladdr 02:00:00:00:00:10 dev veth0
neigh add 10.0.0.11 lladdr 02:00:00:00:00:11 dev veth0 nud noarp
neigh add 10.0.0.12 lladdr 02:00:00:00:00:12 dev veth0 nud stale
neigh add 10.0.0.13 dev veth0 nud failed
neigh add fd00::12 lladdr 02:00:00:00:00:32 dev veth0 nud stale
neigh add 192.168.50.10 lladdr 02:00:00:00:50:10 dev br0 nud stale
neigh add 192.168.50.11 lladdr 02:00:00:00:50:11 dev br0
"""


def present(lab: Lab) -> set[str]:
    return {
        e["dst"]
        for e in lab.ip_json("neigh", "show", "nud", "all")
        if not ipaddress.ip_address(e["dst"]).is_multicast  # the kernel's own NOARP entries
    }


ALL_FLUSHABLE = {"10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.13", "fd00::12"} | {
    "192.168.50.10",
    "192.168.50.11",
}


def test_flush_without_a_filter_is_refused(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    for extra in ([], ["--yes"], ["-4", "--yes"], ["--dry-run"]):
        result = invoke(lab, "flush", *extra)
        assert result.exit_code == ExitCode.USAGE
        assert "flush needs a filter" in error_line(result)
        assert "--all" in error_line(result)
    assert snapshot(lab) == before


def test_flush_without_terminal_needs_yes(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    result = invoke(lab, "flush", "--dev", "veth0")
    assert result.exit_code == ExitCode.USAGE
    assert "no terminal" in error_line(result)
    assert "--yes" in error_line(result)
    assert "10.0.0.12" in result.stderr  # it listed what it would have deleted
    assert snapshot(lab) == before


def test_flush_by_device_with_yes(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    result = invoke(lab, "flush", "--dev", "veth0", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "flush will delete 3 entries:" in result.stderr
    assert "deleted 3 of 3 entries" in result.stderr
    assert result.stdout == ""
    assert present(lab) == ALL_FLUSHABLE - {"10.0.0.12", "10.0.0.13", "fd00::12"}


def test_flush_by_state_across_devices(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    result = invoke(lab, "flush", "--state", "stale", "-4", "--yes")
    assert result.exit_code == 0, result.stderr
    assert present(lab) == ALL_FLUSHABLE - {"10.0.0.12", "192.168.50.10"}


def test_flush_named_permanent_state(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    result = invoke(lab, "flush", "192.168.50.0/24", "--state", "PERMANENT", "--yes")
    assert result.exit_code == 0, result.stderr
    assert present(lab) == ALL_FLUSHABLE - {"192.168.50.11"}


def test_flush_all(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    lab.ip("neigh", "add", "proxy", "10.0.0.50", "dev", "veth0")
    result = invoke(lab, "flush", "--all", "--yes")
    assert result.exit_code == 0, result.stderr
    assert present(lab) == {"10.0.0.10", "10.0.0.11", "192.168.50.11"}
    assert entry(lab, "10.0.0.50", proxy=True) is not None


def test_flush_dry_run_prints_del_commands(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    result = invoke(
        lab, "flush", "--dev", "br0", "--state", "stale", "--state", "permanent", "--dry-run"
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == [
        f"ip -n {lab.ns} neigh del 192.168.50.10 dev br0",
        f"ip -n {lab.ns} neigh del 192.168.50.11 dev br0",
    ]
    assert snapshot(lab) == before


def test_flush_nothing_to_do(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    result = invoke(lab, "flush", "--dev", "br0", "--state", "failed")
    assert result.exit_code == 0
    assert "nothing to flush" in result.stderr
    assert snapshot(lab) == before


def test_flush_missing_device_exits_2(lab: Lab) -> None:
    result = invoke(lab, "flush", "--dev", "veth9", "--yes")
    assert result.exit_code == ExitCode.USAGE
    assert "device 'veth9' does not exist" in error_line(result)


def test_flush_confirmed_on_a_terminal(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    monkeypatch.setattr(cli, "stdin_is_terminal", lambda: True)
    result = invoke(lab, "flush", "--dev", "br0", "--state", "stale", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "Delete 1 entry?" in result.stderr
    assert present(lab) == ALL_FLUSHABLE - {"192.168.50.10"}


def test_flush_declined_on_a_terminal(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    monkeypatch.setattr(cli, "stdin_is_terminal", lambda: True)
    result = invoke(lab, "flush", "--dev", "veth0", input="n\n")
    assert result.exit_code == ExitCode.FAILURE
    assert "flush cancelled: nothing deleted" in result.stderr
    assert snapshot(lab) == before


def test_flush_partial_failure_exits_1(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    # No real kernel refuses one deletion out of several on demand, so one
    # refusal is injected at the socket; the other deletions are real.
    lab.ip_batch(FLUSH_ENTRIES)
    real_request = RouteSocket.request

    def request(
        self: RouteSocket, msg_type: int, flags: int, payload: bytes, what: str
    ) -> list[bytes]:
        if msg_type == RTM_DELNEIGH and "10.0.0.12" in what:
            raise KernelError(
                f"{what}: the kernel refused: Device or resource busy", errno=errno.EBUSY
            )
        return real_request(self, msg_type, flags, payload, what)

    monkeypatch.setattr(RouteSocket, "request", request)
    result = invoke(lab, "flush", "--dev", "veth0", "--yes")
    assert result.exit_code == ExitCode.FAILURE == 1
    assert "deleted 2 of 3 entries" in result.stderr
    assert "could not delete 10.0.0.12 dev veth0 lladdr 02:00:00:00:00:12 STALE" in result.stderr
    assert present(lab) == ALL_FLUSHABLE - {"10.0.0.13", "fd00::12"}


# --- not permitted ------------------------------------------------------------------


def run_without_net_admin(lab: Lab, *args: str) -> subprocess.CompletedProcess[str]:
    """neighctl in a child that keeps CAP_SYS_ADMIN (to enter the namespace) but lacks
    CAP_NET_ADMIN, as an unprivileged operator would."""
    command = [
        "setpriv",
        "--bounding-set=-net_admin",
        "--inh-caps=-net_admin",
        sys.executable,
        "-m",
        "neighctl",
        *args,
        "--netns",
        lab.ns,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


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
