"""Start-up and exit of the command line (checked in subprocesses, as a user runs it).

`--help` and `show` start within a few milliseconds of `import typer`: the help
index reads command helps from source instead of importing every command, and
`show` loads only the view it prints. The console script leaves with
os._exit after flushing, so nothing written may be lost and exit codes must
come through.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neighctl import cli
from tests.pure.test_imports import REPO

PROBE = """
import sys
sys.argv = ["neighctl", *{args!r}]
from neighctl.cli import main
try:
    main()
except SystemExit:
    pass
loaded = sorted(sys.modules)
import json
print(json.dumps(loaded), file=sys.stderr)
"""


def modules_after(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def neighctl(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neighctl", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        **kw,  # type: ignore[call-overload]
    )


def test_help_imports_no_command_module() -> None:
    loaded = modules_after("--help")
    commands = {f"neighctl.cli.{module}" for module in cli.COMMANDS.values()}
    assert not loaded & commands
    assert "neighctl.filters" not in loaded


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_help_index_reads_each_commands_own_docstring(name: str) -> None:
    module = importlib.import_module(f"neighctl.cli.{cli.COMMANDS[name]}")
    assert cli.command_help(name) == inspect.getdoc(module.run)


def test_help_index_lists_every_command() -> None:
    done = neighctl("--help")
    assert done.returncode == 0
    for name in cli.COMMANDS:
        assert f"  {name} " in done.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="reads the host's table (root: netns lookups)")
@pytest.mark.parametrize("output", ["table", "json", "ip"])
def test_show_loads_only_what_it_prints(output: str) -> None:
    # The host's own table, read only.
    loaded = modules_after("show", "-o", output)
    assert "socket" not in loaded  # the C module _socket is enough
    assert "json" not in loaded  # -o json is built by hand
    assert "ctypes" not in loaded  # needed only to enter a namespace on Python < 3.12
    assert "neighctl.render.fit" not in loaded  # only for a terminal narrower than the table
    views = {"table": "table", "json": "jsonview", "ip": "ip"}
    others = {f"neighctl.render.{v}" for k, v in views.items() if k != output}
    assert not loaded & others
    assert f"neighctl.render.{views[output]}" in loaded


def big_saved_table(tmp_path: Path, entries: int = 6000) -> Path:
    path = tmp_path / "neigh.txt"
    path.write_text(
        "".join(
            f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255} dev eth0 "
            f"lladdr 02:00:00:00:{i >> 8 & 255:02x}:{i & 255:02x} STALE \n"
            for i in range(entries)
        )
    )
    return path


def test_everything_written_arrives_before_the_quick_exit(tmp_path: Path) -> None:
    path = big_saved_table(tmp_path)
    done = neighctl("show", "--from", str(path), "-o", "ip")
    assert done.returncode == 0, done.stderr
    assert done.stdout == path.read_text()
    table = neighctl("show", "--from", str(path))
    assert table.returncode == 0
    assert len(table.stdout.splitlines()) == 6001


def test_a_reader_that_goes_away_ends_it_quietly(tmp_path: Path) -> None:
    path = big_saved_table(tmp_path, 40000)  # more than a pipe buffer holds
    proc = subprocess.Popen(
        [sys.executable, "-m", "neighctl", "show", "--from", str(path), "-o", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.read(10) == b'[{"dst":"1'
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""


@pytest.mark.parametrize(
    ("args", "code"),
    [(["show", "--state", "bogus"], 2), (["explain", "nosuchstate"], 2), (["--version"], 0)],
)
def test_exit_codes_come_through_the_quick_exit(args: list[str], code: int) -> None:
    done = neighctl(*args)
    assert done.returncode == code
    if code:
        assert done.stderr.startswith("neighctl: error:")
        assert "Traceback" not in done.stderr
