"""Helpers for the CLI tests of add, del and flush.

Every command names --netns of a test namespace, even the ones that are
refused before the namespace is entered: without it they would touch the host.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from neighctl import cli
from tests.lab import Lab

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def invoke(lab: Lab, *args: str, input: str | None = None) -> Result:
    result = runner.invoke(cli.app, [*args, "--netns", lab.ns], input=input)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def error_line(result: Result) -> str:
    """The one-line error on stderr (the last line, after any listing)."""
    lines = result.stderr.splitlines()
    assert lines, "expected an error message on stderr"
    assert lines[-1].startswith("neighctl: error: ")
    return lines[-1]


def table_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["ADDRESS", "DEVICE", "LLADDR", "STATE"]
    return [line.split() for line in lines[1:]]


# No FAILED entries: the kernel's garbage collector removes unreferenced FAILED
# entries whenever the table, shared by every namespace, holds gc_thresh1 entries
# or more, so one could vanish mid-test when other tests run alongside.
FLUSH_ENTRIES = """\
link add br0 type bridge
link set br0 up
addr add 192.168.50.1/24 dev br0
neigh add 10.0.0.10 lladdr 02:00:00:00:00:10 dev veth0
neigh add 10.0.0.11 lladdr 02:00:00:00:00:11 dev veth0 nud noarp
neigh add 10.0.0.12 lladdr 02:00:00:00:00:12 dev veth0 nud stale
neigh add 10.0.0.13 lladdr 02:00:00:00:00:13 dev veth0 nud reachable
neigh add fd00::12 lladdr 02:00:00:00:00:32 dev veth0 nud stale
neigh add 192.168.50.10 lladdr 02:00:00:00:50:10 dev br0 nud stale
neigh add 192.168.50.11 lladdr 02:00:00:00:50:11 dev br0
"""


def present(lab: Lab) -> set[str]:
    return {
        e["dst"]
        for e in lab.ip_json("neigh", "show", "nud", "all")
        if not ipaddress.ip_address(e["dst"]).is_multicast  # the kernel's own NOARP entries
    }


ALL_FLUSHABLE = {"10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.13", "fd00::12"} | {
    "192.168.50.10",
    "192.168.50.11",
}


def run_without_net_admin(lab: Lab, *args: str) -> subprocess.CompletedProcess[str]:
    """neighctl in a child that keeps CAP_SYS_ADMIN (to enter the namespace) but lacks
    CAP_NET_ADMIN, as an unprivileged operator would."""
    command = [
        "setpriv",
        "--bounding-set=-net_admin",
        "--inh-caps=-net_admin",
        sys.executable,
        "-m",
        "neighctl",
        *args,
        "--netns",
        lab.ns,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
