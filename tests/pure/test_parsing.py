"""The command line: one-line usage errors for every command and iproute2's spellings
(CliRunner; every command names a namespace that does not exist, so none reaches a kernel)."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from neighctl.cli import COMMANDS, app, build_app
from neighctl.cli.parsing import translate
from neighctl.errors import ExitCode

runner = CliRunner()
NS = ["--netns", "nctest-never-made"]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("neighctl: error: ")
    return lines[0]


def test_the_example_of_the_contract() -> None:
    code, out, err = run("del", "10.0.0.1", *NS)
    assert (code, out) == (ExitCode.USAGE, "")
    assert err == "neighctl: error: missing option --dev (see neighctl del --help)\n"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["shwo"], "unknown command 'shwo' (did you mean show?"),
        (["--bogus"], "unknown option --bogus"),
        (["show", "--devv", "x"], "unknown option --devv (did you mean --dev? see neighctl show"),
        (["show", "--count", "1"], "unknown option --count (see neighctl show --help)"),
        (["show", "-o", "xml"], "invalid value for --output: 'xml' is not one of"),
        (["show", "--dev"], "option --dev needs a value (see neighctl show --help)"),
        (["show", "a", "b"], "unexpected argument 'b'"),
        (["show", "-j", "-o", "table"], "-j means -o json; it contradicts -o table"),
        (["show", "dev"], "dev needs a value"),
        (["add"], "missing argument ADDR (see neighctl add --help)"),
        (["get", "10.0.0.1"], "missing option --dev (see neighctl get --help)"),
        (["probe", "10.0.0.1"], "missing option --dev (see neighctl probe --help)"),
        (["probe", "10.0.0.1", "--dev", "x", "--timeout", "nan"], "invalid value for --timeout"),
        (["watch", "--duration", "nan"], "nan is not a number of seconds"),
        (["watch", "--duration", "inf"], "inf is not a number of seconds"),
        (["watch", "--duration", "1e400"], "inf is not a number of seconds"),
        (["watch", "--duration", "-1"], "-1 is negative"),
        (["watch", "--duration", "1e12"], "more than ten years"),
        (["watch", "--count", "0"], "0 is not a count"),
        (["watch", "--count", "9" * 30], "too large"),
        (["watch", "--count", "x"], "invalid value for --count"),
        (["explain", "--lang", "fr"], "invalid value for --lang"),
        (["flush", "--dry-run", "--yes", "--all"], "--yes does not apply"),
        (["add", "10.0.0.5", "2:0:0:0:0:5", "--dev", "x", "--no-router"], "needs --replace"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], words: str) -> None:
    code, out, err = run(args[0], *NS, *args[1:]) if args[0] in COMMANDS else run(*args)
    assert code == ExitCode.USAGE, err
    assert out == ""
    assert words in one_line(err)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_reports_an_unknown_option_in_one_line(name: str) -> None:
    code, _, err = run(name, "--no-such-option", *NS)
    assert code == ExitCode.USAGE
    assert one_line(err).endswith(f"(see neighctl {name} --help)")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_still_works(name: str) -> None:
    code, out, _ = run(name, "--help")
    assert code == 0
    assert out.startswith(f"Usage: neighctl {name}")


def _command(name: str) -> Any:
    group: Any = typer.main.get_command(build_app([name]))
    return group.commands[name]


def _translate(name: str, *args: str) -> list[str]:
    command = _command(name)
    ctx = command.make_context(name, ["--help"], resilient_parsing=True)
    return translate(command, ctx, list(args))


@pytest.mark.parametrize(
    ("name", "args", "want"),
    [
        (
            "show",
            ["dev", "eth0", "nud", "stale", "to", "10/8", "proxy"],
            ["--dev", "eth0", "--state", "stale", "10/8", "--proxy"],
        ),
        ("show", ["-n", "blue", "-j"], ["-n", "blue", "-o", "json"]),
        ("show", ["-j", "-o", "json"], ["-o", "json", "-o", "json"]),
        ("show", ["--dev", "dev", "--state", "nud"], ["--dev", "dev", "--state", "nud"]),
        ("show", ["--", "dev", "x"], ["--", "dev", "x"]),
        ("show", ["--dev=dev", "to", "x"], ["--dev=dev", "x"]),
        (
            "add",
            ["10.0.0.5", "lladdr", "2:0:0:0:0:5", "dev", "eth0", "nud", "stale"],
            ["10.0.0.5", "2:0:0:0:0:5", "--dev", "eth0", "--nud", "stale"],
        ),
        ("add", ["proxy", "10.0.0.5", "dev", "eth0"], ["--proxy", "10.0.0.5", "--dev", "eth0"]),
        ("del", ["proxy", "10.0.0.5", "dev", "eth0"], ["--proxy", "10.0.0.5", "--dev", "eth0"]),
        ("get", ["10.0.0.5", "dev", "eth0", "-j"], ["10.0.0.5", "--dev", "eth0", "-o", "json"]),
        ("flush", ["dev", "eth0", "nud", "all"], ["--dev", "eth0", "--state", "all"]),
        ("watch", ["dev", "eth0", "-j"], ["--dev", "eth0", "-o", "json"]),
        ("explain", ["stale", "dev", "eth0"], ["stale", "--dev", "eth0"]),
        ("probe", ["10.0.0.5", "dev", "eth0", "-j"], ["10.0.0.5", "--dev", "eth0", "-o", "json"]),
    ],
)
def test_iproute2_spellings(name: str, args: list[str], want: list[str]) -> None:
    assert _translate(name, *args) == want


def test_keywords_only_where_the_command_has_the_option() -> None:
    # explain and watch have no --proxy, explain no LLADDR: the words stay arguments.
    assert _translate("explain", "proxy") == ["proxy"]
    assert _translate("watch", "proxy") == ["proxy"]
    assert _translate("explain", "lladdr") == ["lladdr"]


def test_a_single_address_from_a_file_with_no_entry_exits_3(tmp_path: Any) -> None:
    saved = tmp_path / "neigh.txt"
    saved.write_text(
        "10.0.0.2 dev veth0 lladdr 02:00:00:00:01:02 REACHABLE\n"
        "10.0.0.11 dev veth0 lladdr 02:00:00:00:00:11 NOARP\n"
    )
    code, out, err = run("show", "10.0.0.2", "--from", str(saved), "-j")
    assert code == 0
    assert '"dst":"10.0.0.2"' in out
    code, out, err = run("show", "10.0.0.77", "--from", str(saved), "-j")
    assert (code, out) == (ExitCode.NOT_FOUND, "")
    assert err.splitlines()[-1].startswith("neighctl: error: no entry for 10.0.0.77")
    code, out, err = run("show", "10.0.0.11", "--from", str(saved))
    assert code == ExitCode.NOT_FOUND
    assert "--state all" in err
    code, _, _ = run("show", "10.0.0.0/30", "--from", str(saved), "--state", "failed")
    assert code == 0  # a prefix may match nothing
