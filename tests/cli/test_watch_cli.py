"""`neighctl watch` usage errors and exit codes, through typer's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from neighctl.errors import ExitCode
from tests.lab import Lab

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--state", "bogus"], "unknown state 'bogus'"),
        (["-4", "-6"], "-4 and -6 exclude each other"),
        (["-6", "10.0.0.0/24"], "is not an IPv6 address or prefix"),
        (["not-an-address"], "is not an IP address or prefix"),
        (["--count", "0"], "--count"),
        (["--duration", "-1"], "--duration"),
        (["-o", "ip"], "-o"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["watch", *args])
    assert result.exit_code == ExitCode.USAGE
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_namespace_exits_7() -> None:
    result = runner.invoke(app, ["watch", "--netns", "nctest-does-not-exist"])
    assert result.exit_code == ExitCode.NO_NAMESPACE
    assert "network namespace 'nctest-does-not-exist' does not exist" in result.output


def test_missing_device_exits_2(lab: Lab) -> None:
    result = runner.invoke(app, ["watch", "--netns", lab.ns, "--dev", "nosuch0"])
    assert result.exit_code == ExitCode.USAGE
    assert "device 'nosuch0' does not exist" in result.output


def test_duration_ends_a_quiet_watch_with_nothing_printed(lab: Lab) -> None:
    result = runner.invoke(app, ["watch", "--netns", lab.ns, "--duration", "0.3", "-o", "json"])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_help_lists_the_contract_and_hides_rcvbuf() -> None:
    result = runner.invoke(app, ["watch", "--help"])
    assert result.exit_code == 0
    for option in ("--dev", "--state", "-4", "-6", "--output", "--count", "--duration", "--netns"):
        assert option in result.output
    assert "--rcvbuf" not in result.output


def test_watch_library_stays_off_pyroute2_and_rich() -> None:
    code = (
        "import sys, json\n"
        "import neighctl.kernel.monitor, neighctl.events, neighctl.render.events\n"
        "print(json.dumps([m for m in ('pyroute2', 'rich') if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert json.loads(out) == []
