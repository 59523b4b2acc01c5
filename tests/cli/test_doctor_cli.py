"""`neighctl doctor` and `neighctl ntable` from the command line: options, output, exit codes."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner, Result

from neighctl import cli
from neighctl.diagnose import CHECKS
from neighctl.errors import ExitCode
from tests.lab import Lab, unique_name

runner = CliRunner()


def invoke(*args: str) -> Result:
    result = runner.invoke(cli.app, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def one_error(result: Result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("neighctl: error: ")
    return lines[0]


# Each refused before the kernel is read (a missing --netns makes sure nothing
# would be read from the host if it were not).
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["doctor", "--check", "capasity"], "did you mean capacity?"),
        (["doctor", "--netns", "x", "--all-namespaces"], "exclude each other"),
        (["doctor", "--netns", "x", "--interval", "0"], "--interval takes a positive number"),
        (["doctor", "--netns", "x", "--interval", "nan"], "--interval takes a positive number"),
        (["doctor", "--netns", "x", "--interval", "inf"], "at most 86400"),
        (["doctor", "--netns", "x", "--interval", "1e300"], "at most 86400"),
        (["doctor", "--from", "/nonexistent"], "/nonexistent: no such file or directory"),
        (["doctor", "--from", "/tmp", "--netns", "x"], "--from"),
        (["ntable", "-4", "-6", "--netns", "x"], "-4 and -6 exclude each other"),
        (["ntable", "--dev", "no such", "--netns", "x"], "not a valid interface name"),
    ],
)
def test_usage_errors_exit_2(args: list[str], words: str) -> None:
    result = invoke(*args)
    assert result.exit_code == ExitCode.USAGE
    assert words in one_error(result)


def test_bad_output_format_is_typer_usage() -> None:
    assert invoke("doctor", "-o", "yaml").exit_code == ExitCode.USAGE
    assert invoke("ntable", "-o", "table").exit_code == ExitCode.USAGE


@pytest.mark.parametrize("command", ["doctor", "ntable"])
def test_missing_namespace_exits_7(command: str) -> None:
    result = invoke(command, "--netns", unique_name("missing"))
    assert result.exit_code == ExitCode.NO_NAMESPACE == 7
    assert "does not exist" in one_error(result)


def test_help_names_every_check() -> None:
    result = invoke("doctor", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for check in CHECKS:
        assert check in text
    assert "8" in text
    assert "9" in text


def test_clean_namespace_exits_0(lab: Lab) -> None:
    result = invoke("doctor", "--netns", lab.ns, "-o", "json")
    assert result.exit_code == 0, result.stdout
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 0
    assert doc["worst"] in ("ok", "info")
    assert doc["checks"] == list(CHECKS)
    assert [ns["netns"] for ns in doc["namespaces"]] == [lab.ns]


def test_a_warning_exits_8_with_the_same_data_in_text_and_json(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.14", "dev", "veth0", "nud", "incomplete")
    text = invoke("doctor", "--netns", lab.ns, "--color", "never")
    assert text.exit_code == ExitCode.DOCTOR_WARNING == 8
    assert "WARNING (1)" in text.stdout
    assert "[failed-pile]" in text.stdout
    assert f"-> neighctl del 10.0.0.14 --dev veth0 --netns {lab.ns}" in text.stdout
    assert "\x1b[" not in text.stdout
    doc = json.loads(invoke("doctor", "--netns", lab.ns, "-o", "json").stdout)
    assert doc["exit_code"] == 8
    assert doc["counts"]["warning"] == 1
    (finding,) = [f for f in doc["findings"] if f["severity"] == "warning"]
    assert finding["check"] == "failed-pile"
    assert finding["netns"] == lab.ns
    assert finding["dev"] == "veth0"
    assert finding["family"] == "inet"
    assert finding["evidence"]["entry"]["dst"] == "10.0.0.14"
    assert finding["action"] == f"neighctl del 10.0.0.14 --dev veth0 --netns {lab.ns}"
    assert finding["title"] in " ".join(text.stdout.split())


def test_a_critical_finding_exits_9(lab: Lab) -> None:
    """A pod-like namespace (default via 169.254.1.1) whose gateway is FAILED."""
    lab.ip_batch(
        "route add 169.254.1.1 dev veth0 scope link\nroute add default via 169.254.1.1 dev veth0\n"
    )
    lab.send_udp("10.99.0.1")  # nobody answers for 169.254.1.1
    lab.wait_state("169.254.1.1", "FAILED")
    result = invoke("doctor", "--netns", lab.ns, "--check", "calico", "-o", "json")
    assert result.exit_code == ExitCode.DOCTOR_CRITICAL == 9
    doc = json.loads(result.stdout)
    assert doc["checks"] == ["calico"]
    assert doc["worst"] == "critical"


def test_check_selects_and_orders(lab: Lab) -> None:
    result = invoke(
        "doctor", "--netns", lab.ns, "--check", "vxlan", "--check", "CAPACITY", "-o", "json"
    )
    assert json.loads(result.stdout)["checks"] == ["capacity", "vxlan"]


def test_interval_reads_the_counters_twice(lab: Lab) -> None:
    result = invoke(
        "doctor", "--netns", lab.ns, "--check", "capacity", "--interval", "0.3", "-o", "json"
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["interval"] >= 0.3
    for finding in doc["findings"]:
        assert finding["evidence"]["table_fulls_increase"] is not None
        assert finding["evidence"]["forced_gc_runs_increase"] is not None


def test_ntable_text(lab: Lab) -> None:
    result = invoke("ntable", "--netns", lab.ns, "--dev", "veth0", "-s", "--color", "never")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "inet arp_cache" in out
    assert "inet6 ndisc_cache" in out
    assert "gc-eligible" in out
    assert "exempt" in out
    assert "table_fulls" in out
    assert "mcast_reprobes" in out
    assert "veth0" in out


def test_ntable_unknown_device_exits_2(lab: Lab) -> None:
    result = invoke("ntable", "--netns", lab.ns, "--dev", "nosuch0")
    assert result.exit_code == ExitCode.USAGE
    assert "device 'nosuch0' does not exist" in one_error(result)


def test_device_names_that_are_not_utf8(lab: Lab) -> None:
    """The kernel allows any bytes but '/', ':' and whitespace in a name; the shell
    passes them to us surrogate-escaped. Nothing may crash on them."""
    name = os.fsdecode(b"ve\xff")
    lab.ip("link", "add", name, "type", "veth", "peer", "name", os.fsdecode(b"vp\xff"))
    lab.ip("link", "set", name, "up")
    lab.ip("neigh", "add", "192.0.2.7", "lladdr", "02:00:00:00:02:07", "dev", name)
    for output in ("json", "text"):
        result = invoke("doctor", "--netns", lab.ns, "-o", output)
        assert result.exit_code == 0, result.stderr
    doc = json.loads(invoke("doctor", "--netns", lab.ns, "-o", "json").stdout)
    assert doc["counts"]["warning"] == doc["counts"]["critical"] == 0
    result = invoke("ntable", "--netns", lab.ns, "--dev", name, "-4", "-o", "json")
    assert result.exit_code == 0, result.stderr
    (table,) = json.loads(result.stdout)["tables"]
    assert [p["dev"] for p in table["parms"]] == [name]
    # A name of 16 bytes or more is refused by its byte length, as the kernel does.
    result = invoke("ntable", "--netns", lab.ns, "--dev", os.fsdecode(b"\xff" * 16))
    assert result.exit_code == ExitCode.USAGE
    assert "not a valid interface name" in one_error(result)
