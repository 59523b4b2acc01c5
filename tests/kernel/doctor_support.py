"""Helpers for the doctor's kernel tests: extra namespaces, snapshots of the ones a test made."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from neighctl.diagnose import run_checks
from neighctl.diagnose.findings import Finding, Report
from neighctl.kernel.snapshot import read_tables, take_snapshot
from neighctl.snapshot import Snapshot
from tests.lab import delete_namespace, run, unique_name


@contextmanager
def namespaces(*tags: str) -> Iterator[list[str]]:
    """Fresh namespaces (lo up), deleted on exit."""
    names: list[str] = []
    try:
        for tag in tags:
            name = unique_name(tag)
            run("ip", "netns", "add", name)
            names.append(name)
            run("ip", "-n", name, "link", "set", "lo", "up")
        yield names
    finally:
        for name in names:
            delete_namespace(name)


def ip(ns: str, *args: str) -> str:
    return run("ip", "-n", ns, *args).stdout


def batch(ns: str, commands: str) -> None:
    run("ip", "-n", ns, "-batch", "-", input=commands)


def sysctl(ns: str, key: str, value: str | int) -> None:
    run("ip", "netns", "exec", ns, "sysctl", "-qw", f"{key}={value}")


def ip_json(ns: str, *args: str) -> list[dict[str, Any]]:
    out = run("ip", "-n", ns, "-j", *args).stdout
    return json.loads(out) if out.strip() else []


def snapshot_of(*names: str) -> Snapshot:
    """One snapshot holding exactly the named namespaces (as --netns reads each)."""
    parts = [take_snapshot(name) for name in names]
    snap = parts[0]
    for other in parts[1:]:
        snap.namespaces.extend(other.namespaces)
    snap.tables = read_tables()
    return snap


def diagnose(*names: str, checks: list[str] | None = None) -> Report:
    return run_checks(snapshot_of(*names), checks)


def found(report: Report, check: str, netns: str | None = None) -> list[Finding]:
    return [f for f in report.findings if f.check == check and (netns is None or f.netns == netns)]


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")


def state_of(ns: str, dst: str, dev: str) -> list[str]:
    for e in ip_json(ns, "neigh", "show", "nud", "all", "dev", dev):
        if e["dst"] == dst:
            return list(e.get("state", []))
    return []


def send_udp(ns: str, dst: str, port: int = 9) -> None:
    """One datagram from a socket inside ``ns`` (starts resolution of the next hop)."""
    import sys

    family = "AF_INET6" if ":" in dst else "AF_INET"
    code = (
        "import socket\n"
        f"s = socket.socket(socket.{family}, socket.SOCK_DGRAM)\n"
        "try:\n"
        f"    s.sendto(b'neighctl-test', ({dst!r}, {port}))\n"
        "except OSError:\n"
        "    pass\n"
    )
    run("ip", "netns", "exec", ns, sys.executable, "-c", code)
