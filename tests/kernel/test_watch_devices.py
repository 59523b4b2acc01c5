"""watch follows its devices: delete and re-create a veth while watching it, rename one."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from neighctl.events import DEVICE_BACK, DEVICE_GONE, DEVICE_RENAMED, NEW, Event, LinkEvent
from neighctl.filters import ALL_STATES, NeighFilter
from neighctl.kernel.monitor import Watcher
from tests.kernel.watch_support import wait_watching
from tests.lab import Lab

ROOT = Path(__file__).resolve().parents[2]


def recreate(lab: Lab) -> None:
    """Delete veth0 and make a new veth0 (a new ifindex), as flannel and Calico do."""
    lab.ip("link", "del", "veth0")
    lab.ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", lab.peer)
    lab.ip("link", "set", "veth0", "up")


def take(watcher: Watcher, count: int) -> list[Event | LinkEvent]:
    out: list[Event | LinkEvent] = []
    for event in watcher.events(idle=5.0):
        out.append(event)
        if len(out) >= count:
            break
    return out


def take_until(watcher: Watcher, dst: str) -> list[Event | LinkEvent]:
    """Events up to the first one for ``dst`` (the kernel's own multicast entries come
    and go with a device, so their number is not fixed)."""
    out: list[Event | LinkEvent] = []
    for event in watcher.events(idle=5.0):
        out.append(event)
        if isinstance(event, Event) and event.entry.dst == dst:
            break
    return out


def test_a_recreated_device_is_reported_and_followed(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.10", "lladdr", "02:00:00:00:00:10", "dev", "veth0")
    old_index = int(lab.ip_json("link", "show", "veth0")[0]["ifindex"])
    with Watcher(NeighFilter(dev="veth0", states=ALL_STATES), netns=lab.ns) as watcher:
        recreate(lab)
        lab.ip("neigh", "add", "10.0.0.11", "lladdr", "02:00:00:00:00:11", "dev", "veth0")
        events = take_until(watcher, "10.0.0.11")
    links = [e for e in events if isinstance(e, LinkEvent)]
    assert [e.kind for e in links] == [DEVICE_GONE, DEVICE_BACK]
    assert links[0].ifindex == old_index
    new_index = int(lab.ip_json("link", "show", "veth0")[0]["ifindex"])
    assert links[1].ifindex == new_index != old_index
    neigh = [e for e in events if isinstance(e, Event)]
    # The old entry's deletion came before the device went; the new entry is seen on
    # the new device, under the name asked for.
    assert [(e.kind, e.entry.dst, e.entry.dev, e.entry.ifindex) for e in neigh][-1] == (
        NEW,
        "10.0.0.11",
        "veth0",
        new_index,
    )


def test_a_renamed_device_renames_its_entries(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.10", "lladdr", "02:00:00:00:00:10", "dev", "veth0")
    with Watcher(NeighFilter(dev="veth0", states=ALL_STATES), netns=lab.ns) as watcher:
        lab.ip("link", "set", "veth0", "name", "flannel.9")  # this kernel renames a live link
        lab.ip("neigh", "replace", "10.0.0.10", "lladdr", "02:00:00:00:00:99", "dev", "flannel.9")
        events = take(watcher, 2)
    assert isinstance(events[0], LinkEvent)
    assert (events[0].kind, events[0].previous_dev, events[0].dev) == (
        DEVICE_RENAMED,
        "veth0",
        "flannel.9",
    )
    change = events[1]
    assert isinstance(change, Event)
    assert change.entry.dev == "flannel.9"
    assert change.previous is not None
    assert change.previous.dev == "flannel.9"  # the tracker renamed what it held
    assert change.previous.lladdr == "02:00:00:00:00:10"


def test_the_cli_reports_gone_and_back(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.10", "lladdr", "02:00:00:00:00:10", "dev", "veth0")
    proc = subprocess.Popen(
        [sys.executable, "-m", "neighctl", "watch", "10.0.0.0/24", "--dev", "veth0", "-o",
         "json", "--count", "4", "--duration", "20", "--netns", lab.ns],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        wait_watching(lab, proc)
        recreate(lab)
        time.sleep(0.2)
        lab.ip("neigh", "add", "10.0.0.12", "lladdr", "02:00:00:00:00:12", "dev", "veth0")
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds == ["del", DEVICE_GONE, DEVICE_BACK, "new"], out
    assert events[1]["dev"] == events[2]["dev"] == "veth0"
    assert events[1]["ifindex"] != events[2]["ifindex"]
    assert events[3]["dst"] == "10.0.0.12"
    assert err == ""


def test_long_duration_is_accepted(lab: Lab) -> None:
    """--duration 1e8 (three years) overflowed poll()'s millisecond timeout; now it waits,
    and ends on --count. (1e9, over ten years, is refused: tests/pure/test_parsing.py.)"""
    proc = subprocess.Popen(
        [sys.executable, "-m", "neighctl", "watch", "--duration", "1e8", "--count", "1",
         "--netns", lab.ns],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        wait_watching(lab, proc)
        lab.ip("neigh", "add", "10.0.0.10", "lladdr", "02:00:00:00:00:10", "dev", "veth0")
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert (proc.returncode, err) == (0, "")
    assert "10.0.0.10" in out
