"""`show --from`: saved outputs through the same filters and renderers; errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from neighctl.errors import ExitCode

runner = CliRunner()
FIXTURES = Path(__file__).parent.parent.parent / "fixtures"
FLANNEL = str(FIXTURES / "flannel-centos7.txt")


def invoke(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_filters_apply_to_a_saved_table() -> None:
    code, out, _ = invoke("show", "--from", FLANNEL, "--dev", "flannel.1", "-o", "ip")
    assert code == 0
    assert out.splitlines() == [
        "172.30.6.0 lladdr ca:82:f5:77:60:38 PERMANENT ",
        "172.30.91.0 lladdr c2:75:cd:6c:e8:6a PERMANENT ",
        "172.30.54.0 lladdr 76:c5:14:6a:e5:8c PERMANENT ",
        "172.30.96.0 lladdr 56:6b:51:72:d9:56 PERMANENT ",
    ]
    _, out, _ = invoke("show", "--from", FLANNEL, "--state", "stale", "-o", "json")
    assert {e["dst"] for e in json.loads(out)} == {
        "192.168.3.134", "172.30.45.3", "192.168.3.135", "192.168.3.127",
    }  # fmt: skip
    _, out, _ = invoke("show", "--from", FLANNEL, "172.30.45.0/24", "-o", "ip")
    assert len(out.splitlines()) == 3


def test_summary_and_table_of_a_saved_table() -> None:
    code, out, _ = invoke("show", "--from", FLANNEL, "--summary", "--color", "never")
    assert code == 0
    header, *_, total = out.splitlines()
    assert header.split() == ["DEVICE", "REACHABLE", "STALE", "FAILED", "PERMANENT", "TOTAL"]
    assert total.split() == ["TOTAL", "6", "4", "1", "4", "15"]
    code, out, _ = invoke("show", "--from", FLANNEL, "--color", "always")
    assert "\x1b[1;31mFAILED" in out


def test_stdin_and_stats() -> None:
    text = (FIXTURES / "ip-s-neigh-5.15.txt").read_text()
    code, out, _ = invoke("show", "--from", "-", "-s", "-o", "ip", "--state", "all", stdin=text)
    assert code == 0
    assert "10.0.0.12 dev veth0 lladdr 02:00:00:00:00:12  used 12/34/5probes 1 STALE \n" in out


def test_proxy_entries_of_a_saved_table() -> None:
    path = str(FIXTURES / "proc-net-arp.txt")
    _, out, _ = invoke("show", "--from", path, "--proxy", "-o", "ip")
    assert out == "10.0.0.50 dev veth0 proxy \n"


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["--from", "/nonexistent/file"], None, ["no such file"]),
        (["--from", "/"], None, ["directory"]),
        (["--from", "-"], b"\x7fELF\x00\x01\x02", ["binary"]),
        (["--from", "-"], b"\xff\xfe not utf8", ["UTF-8"]),
        (["--from", "-"], "10.0.0.1 dev eth0 STALE\nthis is not an entry\n", [":2:", "this is not an entry"]),
        (["--from", "-", "--input-format", "proc"], "10.0.0.1 dev eth0 STALE\n", ["proc"]),
        (["--from", "-", "--netns", "x"], "", ["--netns"]),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], stdin: str | bytes | None, words: list[str]
) -> None:
    code, out, err = invoke("show", *args, stdin=stdin)
    assert code == ExitCode.USAGE
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("neighctl: error: ")
    for word in words:
        assert word in lines[0]


def test_empty_file_is_an_empty_table() -> None:
    code, out, _ = invoke("show", "--from", "-", "-o", "json", stdin="")
    assert (code, out) == (0, "[]\n")


def test_lenient_keeps_going_and_counts() -> None:
    text = "10.0.0.1 dev eth0 STALE\njunk\n10.0.0.2 dev eth0 STALE\n"
    code, out, err = invoke("show", "--from", "-", "--lenient", "-o", "ip", stdin=text)
    assert code == 0
    assert out.count("\n") == 2
    assert "<stdin>:2" in err
    assert "skipped 1 line" in err


def test_explain_an_entry_from_a_saved_table() -> None:
    code, out, _ = invoke("explain", "172.30.6.0", "--from", FLANNEL)
    assert code == 0
    assert out.startswith("172.30.6.0 dev flannel.1 lladdr ca:82:f5:77:60:38 PERMANENT\n")
    assert "VTEP" in out
    code, _, err = invoke("explain", "10.9.9.9", "--from", FLANNEL)
    assert code == ExitCode.NOT_FOUND
    assert "10.9.9.9" in err
    code, _, err = invoke("explain", "stale", "--from", FLANNEL)
    assert code == ExitCode.USAGE


def test_explain_never_guesses_a_state_proc_cannot_tell() -> None:
    code, out, _ = invoke("explain", "10.0.0.12", "--from", str(FIXTURES / "proc-net-arp.txt"))
    assert code == 0
    assert "one of REACHABLE, STALE, DELAY, PROBE" in out
    assert "cannot be predicted" in out
    _, out, _ = invoke("explain", "10.0.0.12", "-o", "json", "--from", str(FIXTURES / "arp-an.txt"))
    (item,) = json.loads(out) if out.startswith("[") else [json.loads(out)]
    text = json.dumps(item)
    assert "cannot be predicted" in text


def test_a_note_counts_the_lines_that_are_not_entries() -> None:
    code, out, err = invoke("show", "--from", str(FIXTURES / "paste-comments.txt"), "-o", "ip")
    assert code == 0
    assert out.count("\n") == 2
    assert err == (
        f"neighctl: {FIXTURES / 'paste-comments.txt'}: skipped 2 lines that are not entries: "
        "2 comments\n"
    )


def test_entries_the_default_filter_hides_are_counted_with_the_option() -> None:
    code, out, err = invoke("show", "--from", str(FIXTURES / "ip-neigh-proxy.txt"))
    assert code == 0
    assert out.splitlines()[1:] == []  # only the header: proxy entries need --proxy
    assert "neighctl: 3 proxy entries hidden; --proxy shows them\n" in err
    code, out, err = invoke(
        "show", "--from", str(FIXTURES / "ip-neigh-proxy.txt"), "--proxy", "-o", "ip"
    )
    assert out.count("\n") == 3
    assert "hidden" not in err
    _, _, err = invoke("show", "--from", str(FIXTURES / "ip-s-neigh.txt"), "-o", "ip")
    assert (
        "hidden by the default state filter (10 in state NOARP, 1 in state NONE); --state all shows them"
        in err
    )
    _, _, err = invoke("show", "--from", str(FIXTURES / "ip-s-neigh.txt"), "--state", "stale")
    assert "hidden" not in err  # a state asked for hides the others on purpose


def test_summary_counts_state_sets_as_sets() -> None:
    code, out, _ = invoke(
        "show", "--from", str(FIXTURES / "arp-n-v.txt"), "--summary", "--color", "never"
    )
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == [
        "DEVICE",
        "PERMANENT",
        "INCOMPLETE|FAILED",
        "REACHABLE|STALE|DELAY|PROBE",
        "TOTAL",
    ]
    assert rows[-1].split() == ["TOTAL", "1", "1", "1", "3"]


def test_streamed_json_and_ip_equal_the_whole_renderings() -> None:
    from neighctl.parse import read_path
    from neighctl.render import render_entries

    path = str(FIXTURES / "ip-s-neigh.txt")
    entries = [n for n in read_path(path) if n.state and not n.is_proxy and n.state != 0x40]
    for view, extra in (("json", ["-s"]), ("ip", [])):
        _, out, _ = invoke("show", "--from", path, "-o", view, *extra)
        assert out == render_entries(entries, view, stats=bool(extra))


def test_from_dev_zero_fails_at_once() -> None:
    code, _, err = invoke("show", "--from", "/dev/zero")
    assert code == ExitCode.USAGE
    assert err == (
        "neighctl: error: /dev/zero:1: binary data, not the text output of a command "
        "(--from reads text that ip, arp, bridge or sysctl printed)\n"
    )


def test_progress_shows_only_on_a_terminal_after_a_moment() -> None:
    import io

    from neighctl.render.progress import ByteProgress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet = ByteProgress(100, "reading", delay=0.0, stream=io.StringIO())
    quiet(50)
    assert not quiet.shown
    tty = Tty()
    early = ByteProgress(100, "reading", delay=60.0, stream=tty)
    early(50)
    assert not early.shown
    bar = ByteProgress(100, "reading", delay=0.0, stream=tty)
    bar(50)
    assert bar.shown
    bar.close()
    assert "reading" in tty.getvalue()


def test_diff_of_two_saved_tables(tmp_path: Path) -> None:
    before = tmp_path / "before.txt"
    after = tmp_path / "after.txt"
    before.write_text(
        "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE\n192.0.2.3 dev eth0 FAILED\n"
    )
    after.write_text("$ ip neigh\n192.0.2.1 dev eth0 lladdr 02:00:00:00:00:aa REACHABLE\n")
    code, out, err = invoke("diff", str(before), str(after), "--color", "never")
    assert code == 0
    assert out.splitlines() == [
        "    ADDRESS    DEVICE  LLADDR                                 STATE      FLAGS",
        "-   192.0.2.3  eth0    -                                      FAILED     -",
        "~   192.0.2.1  eth0    02:00:00:00:00:01 → 02:00:00:00:00:aa  REACHABLE  -",
        "0 added, 1 removed, 1 changed",
    ]
    assert "skipped 1 line" in err
    code, out, _ = invoke("diff", str(before), str(after), "-o", "json")
    doc = json.loads(out)
    assert doc["summary"] == {"added": 0, "removed": 1, "changed": 1}
    assert doc["changed"][0]["fields"] == ["lladdr"]
    code, out, _ = invoke("diff", str(before), str(before))
    assert (code, out) == (0, "no differences\n")
    code, _, err = invoke("diff", str(before), str(after), "--netns", "x")
    assert code == ExitCode.USAGE
    assert "--netns applies to the live kernel" in err
