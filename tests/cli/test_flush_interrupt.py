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
        (b"\x03", ExitCode.INTERRUPTED, ""),  # Ctrl-C: SIGINT from the terminal
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


def test_a_protected_match_is_named(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)
    before = snapshot(lab)
    result = invoke(lab, "flush", "10.0.0.10", "--yes")
    assert result.exit_code == 0
    assert "1 entry match but is PERMANENT" in result.stderr
    assert "--state permanent" in result.stderr
    assert "10.0.0.10 dev veth0 lladdr 02:00:00:00:00:10 PERMANENT" in result.stderr
    assert snapshot(lab) == before
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
