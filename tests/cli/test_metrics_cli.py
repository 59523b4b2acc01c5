"""`neighctl metrics` option errors: one line on stderr, the documented code, no kernel read."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from neighctl.errors import ExitCode
from tests.cli.test_show_cli import assert_one_line_error

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["metrics", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--textfile", "x.prom", "--listen", "127.0.0.1:9870"], ["--textfile", "--listen"]),
        (["--netns", "nctest-never-made", "--all-namespaces"], ["--netns", "--all-namespaces"]),
        (["--listen", "localhost"], ["HOST:PORT"]),
        (["--listen", "::1:9870"], ["brackets"]),
        (["--listen", "localhost:99999"], ["HOST:PORT"]),
    ],
)
def test_bad_options_exit_2(args: list[str], words: list[str]) -> None:
    code, out, err = invoke(*args)
    assert code == ExitCode.USAGE
    assert out == ""
    assert_one_line_error(err, *words)


def test_unknown_namespace_exits_7_and_is_not_created() -> None:
    code, out, err = invoke("--netns", "nctest-never-made")
    assert code == ExitCode.NO_NAMESPACE
    assert out == ""
    assert_one_line_error(err, "nctest-never-made")
    assert not os.path.exists("/run/netns/nctest-never-made")
