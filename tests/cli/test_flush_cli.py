"""`neighctl flush` in a lab: filters, --all, --yes and the terminal, partial failure."""

from __future__ import annotations

import errno

import pytest

from neighctl.cli import flush as cli_flush
from neighctl.errors import ExitCode, KernelError
from neighctl.kernel import rtnl
from neighctl.validate import NeighRequest
from tests.cli.mutate_support import (
    ALL_FLUSHABLE,
    FLUSH_ENTRIES,
    error_line,
    invoke,
    present,
)
from tests.lab import Lab
from tests.witness import entry, snapshot


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
    monkeypatch.setattr(cli_flush, "stdin_is_terminal", lambda: True)
    result = invoke(lab, "flush", "--dev", "br0", "--state", "stale", input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "Delete 1 entry?" in result.stderr
    assert present(lab) == ALL_FLUSHABLE - {"192.168.50.10"}


def test_flush_declined_on_a_terminal(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    monkeypatch.setattr(cli_flush, "stdin_is_terminal", lambda: True)
    result = invoke(lab, "flush", "--dev", "veth0", input="n\n")
    assert result.exit_code == ExitCode.DECLINED == 10
    assert "flush cancelled: nothing deleted" in result.stderr
    assert snapshot(lab) == before


def test_flush_partial_failure_exits_1(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    # No real kernel refuses one deletion out of several on demand, so one
    # refusal is injected at the socket; the other deletions are real.
    lab.ip_batch(FLUSH_ENTRIES)
    real_delete = rtnl.delete_neighbor

    def delete_neighbor(ipr: object, req: NeighRequest, ifindex: int) -> None:
        if req.dst == "10.0.0.12":
            raise KernelError(
                f"deleting {req.what}: the kernel refused: Device or resource busy",
                errno=errno.EBUSY,
            )
        real_delete(ipr, req, ifindex)

    monkeypatch.setattr(rtnl, "delete_neighbor", delete_neighbor)
    result = invoke(lab, "flush", "--dev", "veth0", "--yes")
    assert result.exit_code == ExitCode.FAILURE == 1
    assert "deleted 2 of 3 entries" in result.stderr
    assert "could not delete 10.0.0.12 dev veth0 lladdr 02:00:00:00:00:12 STALE" in result.stderr
    assert present(lab) == ALL_FLUSHABLE - {"10.0.0.13", "fd00::12"}
