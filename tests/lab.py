"""Test network namespaces: create, populate, drive traffic, always delete.

Every namespace is named ``nctest-<tag>-<random>``; nothing here touches the
host's own interfaces or neighbour table, and traffic is only ever sent from a
socket inside a test namespace to an address on a veth inside the test pair.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

PREFIX = "nctest-"


def unique_name(tag: str) -> str:
    return f"{PREFIX}{tag}-{uuid.uuid4().hex[:8]}"


def run(
    *args: str, check: bool = True, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=check, text=True, capture_output=True, input=input)


def netns_unavailable_reason() -> str | None:
    """Why this process cannot make network namespaces, or None if it can."""
    if os.geteuid() != 0:
        return "kernel tests need root (CAP_SYS_ADMIN) to create network namespaces"
    name = unique_name("probe")
    try:
        done = run("ip", "netns", "add", name, check=False)
    except FileNotFoundError:
        return "iproute2's `ip` is not installed"
    if done.returncode != 0:
        return f"cannot create a network namespace: {done.stderr.strip()}"
    run("ip", "netns", "del", name, check=False)
    return None


def delete_namespace(name: str) -> None:
    run("ip", "netns", "del", name, check=False)


@dataclass
class Lab:
    """A namespace ``ns`` with veth0 (10.0.0.1, fd00::1) wired to veth1 in ``peer``."""

    ns: str
    peer: str
    owned: list[str] = field(default_factory=list)

    def ip(self, *args: str, check: bool = True) -> str:
        return run("ip", "-n", self.ns, *args, check=check).stdout

    def ip_batch(self, commands: str) -> None:
        run("ip", "-n", self.ns, "-batch", "-", input=commands)

    def ip_json(self, *args: str) -> list[dict[str, Any]]:
        out = run("ip", "-n", self.ns, "-j", *args).stdout
        return json.loads(out) if out.strip() else []

    def neigh_json(self, *args: str) -> list[dict[str, Any]]:
        return self.ip_json("-s", "neigh", "show", *args)

    def sysctl(self, key: str, value: str | int) -> None:
        run("ip", "netns", "exec", self.ns, "sysctl", "-qw", f"{key}={value}")

    def send_udp(self, dst: str, port: int = 9) -> None:
        """Send one datagram from a socket inside the namespace (resolves the neighbour)."""
        family = "AF_INET6" if ":" in dst else "AF_INET"
        code = (
            "import socket\n"
            f"s = socket.socket(socket.{family}, socket.SOCK_DGRAM)\n"
            f"s.sendto(b'neighctl-test', ({dst!r}, {port}))\n"
        )
        run("ip", "netns", "exec", self.ns, sys.executable, "-c", code)

    def state_of(self, dst: str, dev: str = "veth0") -> list[str]:
        for entry in self.ip_json("neigh", "show", "nud", "all", "dev", dev):
            if entry["dst"] == dst:
                return list(entry.get("state", []))
        return []

    def wait_for(
        self, predicate: Callable[[], bool], timeout: float = 15.0, what: str = ""
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")

    def wait_state(self, dst: str, state: str, dev: str = "veth0", timeout: float = 15.0) -> None:
        self.wait_for(lambda: state in self.state_of(dst, dev), timeout, f"{dst} {state}")


@contextmanager
def lab(tag: str = "lab") -> Iterator[Lab]:
    """A fresh namespace pair; both are deleted on exit, even after a failure."""
    the_lab = Lab(ns=unique_name(tag), peer=unique_name(tag + "p"))
    try:
        for name in (the_lab.ns, the_lab.peer):
            run("ip", "netns", "add", name)
            the_lab.owned.append(name)
        ns, peer = the_lab.ns, the_lab.peer
        run(
            "ip",
            "-n",
            ns,
            "link",
            "add",
            "veth0",
            "type",
            "veth",
            "peer",
            "name",
            "veth1",
            "netns",
            peer,
        )
        the_lab.ip_batch(
            "link set lo up\n"
            "link set veth0 address 02:00:00:00:01:01\n"
            "link set veth0 up\n"
            "addr add 10.0.0.1/24 dev veth0\n"
            "addr add fd00::1/64 dev veth0 nodad\n"
        )
        run(
            "ip",
            "-n",
            peer,
            "-batch",
            "-",
            input=(
                "link set lo up\n"
                "link set veth1 address 02:00:00:00:01:02\n"
                "link set veth1 up\n"
                "addr add 10.0.0.2/24 dev veth1\n"
                "addr add fd00::2/64 dev veth1 nodad\n"
            ),
        )
        # Keep REACHABLE entries REACHABLE for the length of a test unless a test
        # shortens it; make unresolved neighbours fail fast.
        for fam in ("ipv4", "ipv6"):
            the_lab.sysctl(f"net.{fam}.neigh.veth0.base_reachable_time_ms", 600000)
            the_lab.sysctl(f"net.{fam}.neigh.veth0.retrans_time_ms", 100)
        yield the_lab
    finally:
        for name in the_lab.owned:
            delete_namespace(name)


# Entries put in the populated lab with `ip neigh add`, one per state and flag.
STATIC_ENTRIES = """\
neigh add 10.0.0.10 lladdr 02:00:00:00:00:10 dev veth0
neigh add 10.0.0.11 lladdr 02:00:00:00:00:11 dev veth0 nud noarp
neigh add 10.0.0.12 lladdr 02:00:00:00:00:12 dev veth0 nud stale
neigh add 10.0.0.13 dev veth0 nud failed
neigh add 10.0.0.14 dev veth0 nud incomplete
neigh add 10.0.0.15 dev veth0 nud none
neigh add 10.0.0.16 lladdr 02:00:00:00:00:16 dev veth0 nud reachable
neigh add 10.0.0.17 lladdr 02:00:00:00:00:17 dev veth0 extern_learn
neigh add 10.0.0.18 dev veth0 managed extern_learn
neigh add 10.0.0.19 lladdr 02:00:00:00:00:19 dev veth0 nud stale protocol static
neigh add 10.0.0.20 lladdr 02:00:00:00:00:20 dev veth0 nud delay
neigh add 192.168.50.21 lladdr 02:00:00:00:50:21 dev br0 nud probe
neigh add fd00::10 lladdr 02:00:00:00:00:30 dev veth0 router nud stale
neigh add fd00::11 lladdr 02:00:00:00:00:31 dev veth0 nud permanent
neigh add fd00::12 dev veth0 nud failed
neigh add proxy 10.0.0.50 dev veth0
neigh add proxy fd00::50 dev veth0
neigh add proxy fd00::51 dev veth0 router
neigh add 192.168.50.10 lladdr 02:00:00:00:50:10 dev br0 nud reachable
neigh add 192.168.50.11 lladdr 02:00:00:00:50:11 dev br0
neigh add 172.30.6.0 lladdr ca:82:f5:77:60:38 dev vxlan0
neigh add 172.30.91.0 lladdr c2:75:cd:6c:e8:6a dev vxlan0
neigh add fd00:50::10 lladdr 02:00:00:00:50:20 dev br0 nud stale
"""


def populate(the_lab: Lab) -> None:
    """Put entries in every state the kernel lets us make, on veth, bridge and vxlan."""
    the_lab.ip_batch(
        "link add br0 type bridge\n"
        "link set br0 up\n"
        "addr add 192.168.50.1/24 dev br0\n"
        "addr add fd00:50::1/64 dev br0 nodad\n"
        "link add vxlan0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev veth0\n"
        "link set vxlan0 up\n"
        "addr add 172.30.5.0/32 dev vxlan0\n"
    )
    # A slow retransmit timer on br0 holds a PROBE entry still while tests read
    # it. (An entry added as DELAY goes to PROBE at once: its timer fires
    # immediately, so 10.0.0.20 ends FAILED; DELAY is tested by transitions.)
    for fam in ("ipv4", "ipv6"):
        the_lab.sysctl(f"net.{fam}.neigh.br0.retrans_time_ms", 600000)
    the_lab.ip_batch(STATIC_ENTRIES)
    # Real resolutions driven by traffic from inside the namespace.
    the_lab.send_udp("10.0.0.2")  # answered by the peer: REACHABLE
    the_lab.send_udp("fd00::2")
    the_lab.send_udp("10.0.0.99")  # nobody there: INCOMPLETE, then FAILED
    the_lab.wait_state("10.0.0.2", "REACHABLE")
    the_lab.wait_state("fd00::2", "REACHABLE")
    the_lab.wait_state("10.0.0.99", "FAILED")
