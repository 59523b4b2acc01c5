"""flush on a real terminal (a pty): Ctrl-C, Ctrl-D and "no" at the prompt; Ctrl-C mid-flush;
what flush says when the only match is a PERMANENT entry; its JSON twin."""

from __future__ import annotations

import json
import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

from neighctl.errors import ExitCode
from neighctl.kernel import rtnl
from tests.cli.mutate_support import ALL_FLUSHABLE, FLUSH_ENTRIES, invoke, present
from tests.lab import Lab
from tests.witness import snapshot

ROOT = Path(__file__).resolve().parents[2]


def on_terminal(lab: Lab, keys: bytes, *args: str) -> tuple[int, str]:
    """Run neighctl with a pty as its terminal; type ``keys`` once it asks."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: neighctl, with the pty as stdin/stdout/stderr
        os.chdir(ROOT)
        os.environ["PYTHONPATH"] = str(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "neighctl", *args, "--netns", lab.ns])
    out = b""
    deadline = time.monotonic() + 30
    sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        if not sent and b"[y/N]" in out:
            os.write(fd, keys)
            sent = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


@pytest.mark.parametrize(
    ("keys", "code", "words"),
    [
        # Ctrl-C: SIGINT from the terminal; the message starts on a line of its own
        (b"\x03", ExitCode.INTERRUPTED, "^C\r\nneighctl: interrupted: nothing deleted"),
        (b"\x04", ExitCode.DECLINED, "flush cancelled: nothing deleted"),  # Ctrl-D: end of input
        (b"n\r", ExitCode.DECLINED, "flush cancelled: nothing deleted"),
        (b"\r", ExitCode.DECLINED, "flush cancelled: nothing deleted"),  # the default is no
    ],
    ids=["ctrl-c", "ctrl-d", "no", "enter"],
)
def test_the_prompt_on_a_terminal(lab: Lab, keys: bytes, code: int, words: str) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    rc, out = on_terminal(lab, keys, "flush", "--dev", "br0", "--state", "stale")
    assert rc == code, out
    assert words in out
    assert "Traceback" not in out
    assert "Aborted" not in out
    assert snapshot(lab) == before


def test_yes_on_a_terminal_deletes(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    rc, out = on_terminal(lab, b"y\r", "flush", "--dev", "br0", "--state", "stale")
    assert rc == 0, out
    assert "deleted 1 of 1 entry" in out
    assert present(lab) == ALL_FLUSHABLE - {"192.168.50.10"}


def test_ctrl_c_in_the_middle_reports_what_was_deleted(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A namespace cannot deliver Ctrl-C at a chosen point of a flush, so the third
    # deletion request raises KeyboardInterrupt, as SIGINT would during it; the
    # first two deletions are real.
    lab.ip_batch(FLUSH_ENTRIES)
    real = rtnl.delete_neighbor
    calls: list[str] = []

    def delete(ipr: object, req: object, ifindex: int) -> None:
        calls.append(str(req))
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(ipr, req, ifindex)  # type: ignore[arg-type]

    monkeypatch.setattr(rtnl, "delete_neighbor", delete)
    result = invoke(lab, "flush", "--all", "--yes", "-o", "json")
    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert "interrupted: deleted 2 of 4 entries; 2 left untouched" in result.stderr
    report = json.loads(result.stdout)
    assert report["interrupted"] is True
    deleted = {e["dst"] for e in report["deleted"]}
    untouched = {e["dst"] for e in report["not_tried"]}
    assert len(deleted) == 2
    assert len(untouched) == 2
    # The kernel agrees: two are gone, the other two are there.
    assert not deleted & present(lab)
    assert untouched <= present(lab)


def test_ctrl_c_that_python_would_swallow_still_stops_the_flush(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SIGINT lands wherever the interpreter is; in pyroute2's calls that is often
    # a weakref callback (asyncio's task set), where Python prints "Exception
    # ignored" and drops the KeyboardInterrupt. Seen on a terminal: the flush went
    # on and deleted every entry, exit 0. Reproduced here by raising SIGINT inside
    # such a callback just after the second (real) deletion.
    import signal
    import weakref

    lab.ip_batch(FLUSH_ENTRIES)
    real = rtnl.delete_neighbor
    calls: list[str] = []

    class Target:
        pass

    def delete(ipr: object, req: object, ifindex: int) -> None:
        calls.append(str(req))
        real(ipr, req, ifindex)  # type: ignore[arg-type]
        if len(calls) == 2:
            target = Target()
            ref = weakref.ref(target, lambda _: signal.raise_signal(signal.SIGINT))
            del target
            assert ref() is None

    monkeypatch.setattr(rtnl, "delete_neighbor", delete)
    result = invoke(lab, "flush", "--all", "--yes", "-o", "json")
    assert result.exit_code == ExitCode.INTERRUPTED, result.stderr
    assert "Exception ignored" not in result.stderr
    assert "interrupted: deleted 2 of 4 entries; 2 left untouched\n" in result.stderr
    report = json.loads(result.stdout)
    deleted = {e["dst"] for e in report["deleted"]}
    untouched = {e["dst"] for e in report["not_tried"]}
    assert len(calls) == 2
    # The deletion in flight finished: the report is exact, and the kernel agrees.
    assert not deleted & present(lab)
    assert untouched <= present(lab)
    assert len(deleted) == len(untouched) == 2


def test_a_protected_match_is_named(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    result = invoke(lab, "flush", "10.0.0.10", "--yes")
    assert result.exit_code == 0
    assert "1 entry matches but is PERMANENT, which flush keeps unless --state names it" in (
        result.stderr
    )
    assert "(add --state permanent)" in result.stderr
    assert "10.0.0.10 dev veth0 lladdr 02:00:00:00:00:10 PERMANENT" in result.stderr
    assert snapshot(lab) == before
    # Both kinds kept: both named, PERMANENT first (it was "are NOARP and PERMANENT
    # ... (add --state noarp)", which would have left the PERMANENT ones).
    both = invoke(lab, "flush", "10.0.0.10/31", "--yes")
    assert (
        "2 entries match but are PERMANENT or NOARP, which flush keeps unless --state "
        "names them (add --state permanent,noarp)"
    ) in both.stderr
    missing = invoke(lab, "flush", "10.0.0.99", "--yes")
    assert "nothing to flush: no entry matches" in missing.stderr
    gone = invoke(lab, "flush", "10.0.0.10", "--state", "permanent", "--yes")
    assert gone.exit_code == 0
    assert "10.0.0.10" not in present(lab)


def test_flush_json_and_dry_run_views(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    dry = invoke(lab, "flush", "--dev", "br0", "--state", "stale", "--dry-run", "-j")
    assert dry.exit_code == 0, dry.stderr
    doc = json.loads(dry.stdout)
    assert doc["dry_run"] is True
    assert [e["dst"] for e in doc["before"]] == ["192.168.50.10"]
    assert doc["commands"] == [f"ip -n {lab.ns} neigh del 192.168.50.10 dev br0"]
    table = invoke(lab, "flush", "--dev", "br0", "--state", "stale", "--dry-run", "-o", "table")
    assert table.stdout.split()[5:7] == ["192.168.50.10", "br0"]
    assert snapshot(lab) == before
    refused = invoke(lab, "flush", "--dev", "br0", "--dry-run", "--yes")
    assert refused.exit_code == ExitCode.USAGE
    real = invoke(lab, "flush", "--dev", "br0", "--state", "stale", "--yes", "-o", "json")
    assert real.exit_code == 0, real.stderr
    report = json.loads(real.stdout)
    assert [e["dst"] for e in report["deleted"]] == ["192.168.50.10"]
    assert report["interrupted"] is False
    assert report["failed"] == report["left"] == report["not_tried"] == []
    assert "192.168.50.10" not in present(lab)


def test_unprivileged_flush_json_is_one_error(lab: Lab) -> None:
    """Without CAP_NET_ADMIN: one error line, exit 4, nothing on stdout."""
    from tests.cli.mutate_support import run_without_net_admin

    lab.ip_batch(FLUSH_ENTRIES)
    done = run_without_net_admin(lab, "flush", "--dev", "br0", "--yes", "-o", "json")
    assert done.returncode == ExitCode.PERMISSION
    assert done.stderr.splitlines()[-1].startswith("neighctl: error: ")
    assert done.stdout == ""


def test_a_long_flush_shows_its_progress(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing moved on the terminal while thousands of entries were deleted (design.md:
    rich draws progress for a flush of thousands). The bar itself is rich's, shown on a
    terminal after half a second (test_from_cli tests that); here, that flush feeds it
    one count per entry and closes it, Ctrl-C or not."""
    from neighctl.render import progress

    seen: list[object] = []

    class Recorder:
        def __init__(self, total: int | None, label: str, **kw: object) -> None:
            seen.append((total, label, kw.get("unit")))

        def __call__(self, done: int) -> None:
            seen.append(done)

        def close(self) -> None:
            seen.append("closed")

    monkeypatch.setattr(progress, "ByteProgress", Recorder)
    lab.ip_batch(FLUSH_ENTRIES)
    result = invoke(lab, "flush", "--all", "--yes")
    assert result.exit_code == 0, result.stderr
    assert seen == [(4, "deleting", "entries"), 1, 2, 3, 4, "closed"]


def test_the_progress_bar_counts_entries() -> None:
    import io

    from neighctl.render.progress import ByteProgress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    bar = ByteProgress(4, "deleting", delay=0.0, stream=tty, unit="entries")
    bar(2)
    bar.close()
    assert "deleting" in tty.getvalue()
    assert "2/4" in tty.getvalue()


def test_a_reader_of_the_messages_that_goes_away_does_not_stop_the_flush(lab: Lab) -> None:
    """`neighctl flush … --yes 2>&1 | true`: the listing met a closed pipe, and flush
    exited 0 having deleted nothing. Messages are for a person; the flush goes on."""
    import subprocess

    lab.ip_batch(FLUSH_ENTRIES)
    read, write = os.pipe()
    os.close(read)  # the reader is gone before neighctl writes a word
    try:
        done = subprocess.run(
            [sys.executable, "-m", "neighctl", "flush", "--dev", "br0", "--state", "stale",
             "--yes", "--netns", lab.ns],
            stdout=subprocess.DEVNULL, stderr=write, cwd=ROOT, check=False,
        )  # fmt: skip
    finally:
        os.close(write)
    assert done.returncode == 0
    assert "192.168.50.10" not in present(lab)
