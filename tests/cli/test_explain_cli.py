"""`neighctl explain`: exit codes, messages, output formats (typer's CliRunner)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from neighctl.errors import ExitCode
from neighctl.explain.catalogue import STATE_NAMES
from tests.lab import Lab

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("neighctl: error: ")
    return lines[0]


def test_overview() -> None:
    code, out, err = invoke("explain")
    assert code == ExitCode.OK
    assert err == ""
    for name in STATE_NAMES:
        assert name in out
    assert "--packet to send-->" in out


@pytest.mark.parametrize("word", ["stale", "STALE", "0x04", "4"])
def test_state_by_name_or_value(word: str) -> None:
    code, out, _ = invoke("explain", word)
    assert code == ExitCode.OK
    assert out.startswith("STALE (0x04): ")
    assert "By kernel default" in out


@pytest.mark.parametrize(
    ("word", "suggestion"), [("IMCOMPLETE", "INCOMPLETE"), ("reachabel", "REACHABLE")]
)
def test_unknown_word_exits_2_with_a_suggestion(word: str, suggestion: str) -> None:
    code, out, err = invoke("explain", word)
    assert code == ExitCode.USAGE
    assert out == ""
    assert f"did you mean {suggestion}?" in one_error_line(err)


def test_bad_value_and_bad_options_exit_2() -> None:
    code, _, err = invoke("explain", "0x03")
    assert code == ExitCode.USAGE
    one_error_line(err)
    code, _, _ = invoke("explain", "stale", "--lang", "fr")
    assert code == ExitCode.USAGE
    code, _, _ = invoke("explain", "stale", "-o", "table")
    assert code == ExitCode.USAGE
    code, _, err = invoke("explain", "--dev", "lo")
    assert code == ExitCode.USAGE
    assert "--dev" in one_error_line(err)


def test_json_catalogue_and_state() -> None:
    code, out, _ = invoke("explain", "-o", "json")
    assert code == ExitCode.OK
    data = json.loads(out)
    assert [d["state"] for d in data] == list(STATE_NAMES)
    code, out, _ = invoke("explain", "probe", "-o", "json", "--lang", "zh")
    one = json.loads(out)
    assert one["state"] == "PROBE"
    assert one["value"] == 0x10
    assert "探测" in one["summary"]


def test_zh_overview_and_state() -> None:
    code, out, _ = invoke("explain", "--lang", "zh")
    assert code == ExitCode.OK
    assert "状态一览" in out
    code, out, _ = invoke("explain", "failed", "--lang", "zh")
    assert "按内核默认值" in out


def test_missing_namespace_is_an_error_and_never_created() -> None:
    code, _, err = invoke("explain", "stale", "--dev", "lo", "--netns", "nctest-never-made")
    assert code == ExitCode.NO_NAMESPACE
    assert "nctest-never-made" in one_error_line(err)
    code, _, _ = invoke("explain", "10.0.0.1", "--netns", "nctest-never-made")
    assert code == ExitCode.NO_NAMESPACE


def test_live_dev_address_and_missing_entry(lab: Lab) -> None:
    lab.send_udp("10.0.0.2")
    lab.wait_state("10.0.0.2", "REACHABLE")
    code, out, _ = invoke("explain", "reachable", "--dev", "veth0", "--netns", lab.ns)
    assert code == ExitCode.OK
    assert "On veth0 (IPv4), REACHABLE lasts" in out
    code, _, err = invoke("explain", "stale", "--dev", "nosuch0", "--netns", lab.ns)
    assert code == ExitCode.USAGE
    assert "nosuch0" in one_error_line(err)
    code, out, _ = invoke("explain", "10.0.0.2", "--netns", lab.ns)
    assert code == ExitCode.OK
    assert out.startswith("10.0.0.2 dev veth0 lladdr 02:00:00:00:01:02 REACHABLE")
    code, out, err = invoke("explain", "10.0.0.3", "--netns", lab.ns)
    assert code == ExitCode.NOT_FOUND
    assert out == ""
    assert "no neighbour entry for 10.0.0.3" in one_error_line(err)
    code, out, _ = invoke("explain", "10.0.0.2", "--netns", lab.ns, "-o", "json")
    assert json.loads(out)[0]["entry"]["dst"] == "10.0.0.2"
