"""Helpers shared by the watch kernel tests and bench/bench_watch.py."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterable

from neighctl.model import Neighbor, state_words
from tests.lab import Lab

View = set[tuple[str, str, str | None, tuple[str, ...]]]


def settle(lab: Lab) -> None:
    """Wait for the IPv6 multicast NOARP entries a new link gets; the kernel never announces them."""
    want = {"ff02::2", "ff02::16"}
    lab.wait_for(
        lambda: want <= {e["dst"] for e in lab.ip_json("neigh", "show", "nud", "all")},
        timeout=20,
        what="the IPv6 multicast entries of a new link",
    )


def view_of(entries: Iterable[Neighbor]) -> View:
    """(dst, dev, lladdr, state words) per entry: what `ip -j neigh` also shows."""
    return {(n.dst, n.dev, n.lladdr, tuple(state_words(n.state))) for n in entries}


def ip_view(lab: Lab) -> View:
    """The same for `ip -j neigh show nud all` in the lab."""
    return {
        (e["dst"], e["dev"], e.get("lladdr"), tuple(e.get("state", [])))
        for e in lab.ip_json("neigh", "show", "nud", "all")
    }


def storm_commands(changes: int) -> str:
    """``changes`` changes for `ip -batch`: adds, MAC-changing replaces of them, deletes."""
    adds = changes * 2 // 5
    dels = changes - 2 * adds

    def dst(i: int) -> str:
        return f"10.1.{i // 250}.{i % 250 + 1}"

    lines = [f"neigh add {dst(i)} lladdr 02:00:00:01:00:01 dev veth0" for i in range(adds)]
    lines += [f"neigh replace {dst(i)} lladdr 02:00:00:02:00:02 dev veth0" for i in range(adds)]
    lines += [f"neigh del {dst(i)} dev veth0" for i in range(dels)]
    return "\n".join(lines) + "\n"


def wait_watching(lab: Lab, proc: subprocess.Popen[str]) -> None:
    """Wait until ``proc`` has subscribed in the lab (its first netlink socket, group
    RTMGRP_NEIGH, bound to its pid), then give it a moment for the initial read."""

    def subscribed() -> bool:
        assert proc.poll() is None, proc.communicate()
        table = subprocess.run(
            ["ip", "netns", "exec", lab.ns, "cat", "/proc/net/netlink"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for line in table.splitlines()[1:]:
            fields = line.split()
            if fields[1] == "0" and fields[2] == str(proc.pid) and int(fields[3], 16) & 4:
                return True
        return False

    lab.wait_for(subscribed, timeout=20, what="neighctl watch to subscribe")
    time.sleep(0.5)
