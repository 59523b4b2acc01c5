"""`neighctl explain`: exit codes, messages, output formats (typer's CliRunner)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from neighctl.errors import ExitCode
from neighctl.explain.catalogue import STATE_NAMES
from neighctl.explain.text import cells as width
from neighctl.render.terminal import ASCII_FALLBACK
from tests.lab import Lab
from tests.pure.test_imports import REPO

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


def test_state_with_a_missing_namespace_exits_7() -> None:
    for args in (["stale"], [], ["0x04", "-o", "json"]):
        code, out, err = invoke("explain", *args, "--netns", "nctest-never-made")
        assert code == ExitCode.NO_NAMESPACE
        assert out == ""
        assert "nctest-never-made" in one_error_line(err)


def test_state_with_an_existing_namespace(lab: Lab) -> None:
    code, out, _ = invoke("explain", "stale", "--netns", lab.ns)
    assert code == ExitCode.OK
    assert out.startswith("STALE (0x04): ")


@pytest.mark.parametrize(
    ("word", "says"),
    [
        ("10.0.0.0/24", "is a prefix, not one address"),
        ("10.0.0.999", "looks like an IPv4 address but is not one"),
        ("10.0.0", "looks like an IPv4 address but is not one"),
        ("fd00::zz", "looks like an IPv6 address but is not one"),
        ("02:00:00:00:00:01", "is a MAC address, not an IP address"),
        ("10.0.0.0/33", "looks like a prefix but is not a valid one"),
        ("10.0.0.1%eth0", "only IPv6 addresses have a zone"),
        ("fe80::1%", "has an empty zone"),
    ],
)
def test_arguments_that_are_not_a_state_or_an_address(word: str, says: str) -> None:
    code, out, err = invoke("explain", word)
    assert code == ExitCode.USAGE
    assert out == ""
    line = one_error_line(err)
    assert says in line
    assert "unknown state" not in line
    assert "explain takes a state such as stale or 0x04, or an IP address" in line


def test_prefix_points_at_show() -> None:
    _, _, err = invoke("explain", "10.0.0.7/24")
    assert "`neighctl show 10.0.0.0/24` lists the entries inside it" in err


def test_zone_is_the_device(lab: Lab) -> None:
    lab.ip_batch(
        "link add br0 type bridge\nlink set br0 up\n"
        "neigh add fe80::1 lladdr 02:00:00:00:00:01 dev veth0 nud stale\n"
        "neigh add fe80::1 lladdr 02:00:00:00:00:02 dev br0 nud stale\n"
    )
    code, out, _ = invoke("explain", "fe80::1%veth0", "--netns", lab.ns, "-o", "json")
    assert code == ExitCode.OK
    assert [d["entry"]["dev"] for d in json.loads(out)] == ["veth0"]
    code, out, _ = invoke("explain", "fe80::1%br0", "--dev", "br0", "--netns", lab.ns)
    assert code == ExitCode.OK
    assert out.startswith("fe80::1 dev br0 lladdr 02:00:00:00:00:02 STALE")
    code, out, err = invoke("explain", "fe80::1%veth0", "--dev", "br0", "--netns", lab.ns)
    assert code == ExitCode.USAGE
    assert "names device 'veth0', but --dev names 'br0'" in one_error_line(err)
    code, out, err = invoke("explain", "fe80::1%nope0", "--netns", lab.ns)
    assert code == ExitCode.USAGE
    assert "names no device" in one_error_line(err)
    code, out, _ = invoke("explain", "fe80::1", "--netns", lab.ns, "-o", "json")
    assert sorted(d["entry"]["dev"] for d in json.loads(out)) == ["br0", "veth0"]


def test_zone_with_a_saved_table(tmp_path: Path) -> None:
    saved = tmp_path / "neigh.txt"
    saved.write_text(
        "fe80::1 dev eth0 lladdr 02:00:00:00:00:01 router STALE\n"
        "fe80::1 dev eth1 lladdr 02:00:00:00:00:02 router STALE\n"
    )
    code, out, _ = invoke("explain", "fe80::1%eth1", "--from", str(saved))
    assert code == ExitCode.OK
    assert out.startswith("fe80::1 dev eth1 ")
    assert "dev eth0" not in out
    code, _, err = invoke("explain", "fe80::1%eth9", "--from", str(saved))
    assert code == ExitCode.USAGE
    assert "names no device" in one_error_line(err)


def ansi(text: str) -> bool:
    return "\x1b[" in text


def test_colour_follows_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    plain = invoke("explain", "failed")[1]
    assert not ansi(plain)  # not a terminal
    always = invoke("explain", "failed", "--color", "always")[1]
    assert ansi(always)
    assert "\x1b[1;31mFAILED" in always  # the state in its colour
    assert re.sub(r"\x1b\[[0-9;]*m", "", always) == plain  # the same layout
    assert not ansi(invoke("explain", "failed", "--color", "never")[1])
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ansi(invoke("explain", "failed")[1])
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ansi(invoke("explain", "failed")[1])
    assert ansi(invoke("explain", "failed", "--color", "always")[1])
    assert not ansi(invoke("explain", "failed", "-o", "json", "--color", "always")[1])


@pytest.mark.parametrize("columns", [40, 50, 100, 140])
def test_text_follows_the_width(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    for lang in ("en", "zh"):
        out = invoke("explain", "reachable", "--lang", lang)[1]
        widths = [width(line) for line in out.splitlines() if "--" not in line]
        assert max(widths) <= columns - 1
        assert max(widths) >= columns - 12  # paragraphs use the room they have
        for line in out.splitlines():
            assert not line.lstrip().startswith(("，", "。", "）", "：")), line
            assert not line.endswith("（"), line


def run_with_encoding(encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    env.pop("COLUMNS", None)
    return subprocess.run(
        [sys.executable, "-m", "neighctl", "explain", *args],
        capture_output=True, env=env, cwd=REPO,
    )  # fmt: skip


@pytest.mark.parametrize("args", [["stale"], ["reachable"], [], ["probe", "--color", "always"]])
def test_an_ascii_stream_gets_ascii_punctuation(args: list[str]) -> None:
    done = run_with_encoding("ascii", *args)
    assert done.returncode == ExitCode.OK, done.stderr
    assert done.stderr == b""
    out = done.stdout.decode("ascii")  # raises if anything else got through
    utf8 = run_with_encoding("utf-8", *args).stdout.decode()
    assert out == utf8.translate(ASCII_FALLBACK)
    if args == ["reachable"]:
        assert "REACHABLE lasts 15-45 s" in out


def test_an_ascii_stream_gets_escaped_json() -> None:
    done = run_with_encoding("ascii", "reachable", "-o", "json")
    assert done.returncode == ExitCode.OK
    data = json.loads(done.stdout.decode("ascii"))
    assert data == json.loads(run_with_encoding("utf-8", "reachable", "-o", "json").stdout)
    assert "–" in data["timers"][0]["headline"]  # the exact text, escaped on the way


def test_chinese_on_an_ascii_stream_is_one_error() -> None:
    done = run_with_encoding("ascii", "stale", "--lang", "zh")
    assert done.returncode == ExitCode.USAGE
    assert done.stdout == b""
    line = one_error_line(done.stderr.decode())
    assert "output encoding (ascii) cannot show" in line
    assert "--lang en" in line
    done = run_with_encoding("ascii", "stale", "--lang", "zh", "-o", "json")
    assert done.returncode == ExitCode.OK  # JSON escapes what the stream cannot carry
    assert "\\u" in done.stdout.decode("ascii")
    assert "有报文" in json.loads(done.stdout)["transitions"][0]["trigger"]


def on_a_terminal(columns: int, *args: str, **env: str) -> str:
    """Run explain with its stdout on a pseudo-terminal ``columns`` wide; what it wrote."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environ = {
        k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "neighctl", "explain", *args],
        stdout=follower, stderr=subprocess.PIPE, env={**environ, "TERM": "xterm", **env}, cwd=REPO,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the writer is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=30) == ExitCode.OK
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_on_a_terminal_text_is_coloured_and_fits_its_width() -> None:
    out = on_a_terminal(64, "failed")
    assert ansi(out)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(width(line) for line in plain.splitlines()) <= 63
    assert max(width(line) for line in plain.splitlines()) >= 55
    wide = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal(110, "failed"))
    assert max(width(line) for line in wide.splitlines()) > 79


def test_on_a_dumb_terminal_or_with_no_color_text_is_plain() -> None:
    assert not ansi(on_a_terminal(80, "failed", TERM="dumb"))
    assert not ansi(on_a_terminal(80, "failed", NO_COLOR="1"))


def test_a_terminal_that_reports_no_width_gets_80_columns() -> None:
    """A pseudo-terminal nobody sized (`script`, `docker exec -t`, a serial console)
    reports 0 columns: the layout is 80 columns wide, not the 40-column minimum."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal(0, "failed"))
    assert max(width(line) for line in plain.splitlines()) <= 79
    assert max(width(line) for line in plain.splitlines()) >= 70
