"""`neighctl show` errors and exit codes: one line on stderr, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from neighctl.errors import ExitCode
from tests.lab import Lab

runner = CliRunner()
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_one_line_error(stderr: str, *words: str) -> None:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("neighctl: error: ")
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--state", "IMCOMPLETE"], ["IMCOMPLETE", "INCOMPLETE"]),
        (["10.0.0.300"], ["10.0.0.300"]),
        (["not-an-address"], ["not-an-address"]),
        (["-4", "-6"], ["-4", "-6"]),
        (["-4", "fd00::/64"], ["IPv4"]),
        (["--dev", "a/b"], ["a/b"]),
        (["--dev", "x" * 20], ["valid interface name"]),
        (["--summary", "-o", "ip"], ["--summary"]),
        (["--summary", "-s"], ["--summary", "-s"]),
        (["--proxy", "--state", "stale"], ["--state", "proxy"]),
        (["--lenient"], ["--lenient", "--from"]),
        (["--input-format", "proc"], ["--input-format", "--from"]),
        (["--color", "always", "-o", "json"], ["--color"]),
        ([""], ["empty address"]),
        (["fe80::1%"], ["empty zone"]),
        (["10.0.0.1%veth0"], ["only IPv6"]),
        (["fe80::1%veth0", "--dev", "veth1"], ["veth0", "veth1"]),
        (["--state", "stale,,failed"], ["empty state"]),
    ],
)
def test_bad_input_exits_2_before_touching_the_kernel(args: list[str], words: list[str]) -> None:
    code, out, err = invoke("show", "--netns", "nctest-never-made", *args)
    assert code == ExitCode.USAGE
    assert out == ""
    assert_one_line_error(err, *words)


def test_unknown_output_format_is_a_usage_error() -> None:
    code, _, err = invoke("show", "-o", "xml")
    assert code == 2
    assert "xml" in err
    assert "Traceback" not in err


def test_missing_namespace_exits_7_and_creates_nothing() -> None:
    name = "nctest-does-not-exist"
    code, out, err = invoke("show", "--netns", name)
    assert code == ExitCode.NO_NAMESPACE == 7
    assert out == ""
    assert_one_line_error(err, name, "ip netns list")
    assert not os.path.exists(f"/run/netns/{name}")


def test_unknown_device_in_namespace_exits_2(lab: Lab) -> None:
    code, _, err = invoke("show", "--netns", lab.ns, "--dev", "eth9")
    assert code == ExitCode.USAGE
    assert_one_line_error(err, "eth9", "does not exist")


def test_state_names_are_case_insensitive_and_numeric(lab: Lab) -> None:
    lab.ip(
        "neigh", "add", "10.0.0.40", "lladdr", "02:00:00:00:00:40", "dev", "veth0", "nud", "stale"
    )
    for spelling in ("stale", "STALE", "Stale", "0x04", "4"):
        code, out, _ = invoke("show", "--netns", lab.ns, "--state", spelling, "-o", "ip")
        assert code == 0
        assert out == "10.0.0.40 dev veth0 lladdr 02:00:00:00:00:40 STALE \n"


def test_empty_table_prints_only_the_header(lab: Lab) -> None:
    code, out, _ = invoke("show", "--netns", lab.ns, "--state", "permanent", "--color", "never")
    assert code == 0
    assert out.split() == ["ADDRESS", "DEVICE", "LLADDR", "STATE", "FLAGS"]
    code, out, _ = invoke("show", "--netns", lab.ns, "--state", "permanent", "-o", "json")
    assert (code, out) == (0, "[]\n")


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out.startswith("neighctl ")


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs util-linux setpriv")
def test_no_permission_to_enter_namespace_exits_4(lab: Lab) -> None:
    """Root without CAP_SYS_ADMIN cannot setns(): a clear error, exit 4."""
    done = subprocess.run(
        ["setpriv", "--bounding-set=-sys_admin", "--inh-caps=-sys_admin",
         sys.executable, "-m", "neighctl", "show", "--netns", lab.ns],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == ExitCode.PERMISSION == 4
    assert_one_line_error(done.stderr, "CAP_SYS_ADMIN", lab.ns)


def test_internal_errors_exit_70_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import neighctl.kernel.dump as dump

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(dump, "read_neighbor_rows", boom)
    monkeypatch.setattr("neighctl.cli.common._debug", False)
    code, _, err = invoke("show")
    assert code == ExitCode.INTERNAL == 70
    assert_one_line_error(err, "simulated bug", "NEIGHCTL_DEBUG=1")


def test_broken_pipe_is_quiet(lab: Lab) -> None:
    """`neighctl show | head -1` ends without a traceback."""
    batch = "".join(
        f"neigh add 10.0.{i // 250}.{i % 250 + 1} lladdr 02:00:00:00:{i // 250:02x}:{i % 250:02x} dev veth0\n"
        for i in range(3000)
    )
    lab.ip_batch(batch)
    cmd = f"{sys.executable} -m neighctl show --netns {lab.ns} -o ip | head -1"
    done = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, cwd=REPO)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr


def test_color_rules(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    lab.ip("neigh", "add", "10.0.0.41", "lladdr", "02:00:00:00:00:41", "dev", "veth0")
    _, plain, _ = invoke("show", "--netns", lab.ns)  # not a terminal: no colour
    assert "\x1b[" not in plain
    _, forced, _ = invoke("show", "--netns", lab.ns, "--color", "always")
    assert "\x1b[34mPERMANENT" in forced
    monkeypatch.setenv("NO_COLOR", "1")
    _, env_off, _ = invoke("show", "--netns", lab.ns, "--color", "auto")
    assert "\x1b[" not in env_off


def test_main_builds_only_the_command_being_run() -> None:
    from neighctl.cli import app_for

    names = [
        info.name or info.callback.__name__ for info in app.registered_commands if info.callback
    ]
    assert len(names) >= 6
    one = app_for(["--debug", "del", "10.0.0.1", "--dev", "eth0"])
    assert [i.name for i in one.registered_commands] == ["del"]
    assert app_for(["shwo"]) is app  # a typo gets the whole app: its suggestion
    index = app_for(["--help"])
    assert [i.name for i in index.registered_commands] == names
    help_text = runner.invoke(index, ["--help"]).stdout
    assert help_text == runner.invoke(app, ["--help"]).stdout
    assert runner.invoke(app_for([]), ["--version"]).stdout.startswith("neighctl ")
    result = runner.invoke(app_for(["show", "--state", "bogus"]), ["show", "--state", "bogus"])
    assert result.exit_code == 2
    assert "bogus" in result.stderr


def test_streamed_views_write_undecodable_names_back_as_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name that is not UTF-8 (surrogate-escaped, PEP 383) on a strict stdout: the
    batch that holds it is written as its bytes, the others as text, in order."""
    import io

    from neighctl.cli.common import write_view
    from neighctl.model import AF_INET, Neighbor, NudState, as_row
    from neighctl.render import entry_view

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
    monkeypatch.setattr("sys.stdout", out)
    odd = "eth\udcff"  # the byte 0xff as the shell passes it
    batches = [
        [as_row(Neighbor(AF_INET, "10.0.0.1", "eth0", NudState.STALE))],
        [as_row(Neighbor(AF_INET, "10.0.0.2", odd, NudState.STALE))],
        [as_row(Neighbor(AF_INET, "10.0.0.3", "eth0", NudState.STALE))],
    ]
    write_view(entry_view("ip"), batches)
    assert raw.getvalue() == (
        b"10.0.0.1 dev eth0 STALE \n10.0.0.2 dev eth\xff STALE \n10.0.0.3 dev eth0 STALE \n"
    )


def test_stale_netns_file_is_no_such_namespace(lab: Lab) -> None:
    """A /run/netns file whose mount is gone (a crashed runtime leaves these) is not a
    namespace: exit 7, like a missing one, with one line."""
    from tests.lab import unique_name

    name = unique_name("stale")
    path = os.path.join("/run/netns", name)
    with open(path, "w"):
        pass
    try:
        code, _, err = invoke("show", "--netns", name)
    finally:
        os.unlink(path)
    assert code == ExitCode.NO_NAMESPACE == 7
    assert_one_line_error(err, name, "not a network namespace")
