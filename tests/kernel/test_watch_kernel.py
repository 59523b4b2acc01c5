"""`watch` against the real kernel: events from a test namespace as they happen."""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from neighctl.events import CHANGE, DEL, MISS, NEW, Event
from neighctl.filters import ALL_STATES, NeighFilter, state_mask
from neighctl.kernel.monitor import Watcher, subscribe
from neighctl.model import AF_INET6, Neighbor, NudState
from tests.kernel.watch_support import ip_view, settle, storm_commands, view_of, wait_watching
from tests.lab import Lab

S = NudState
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def take(watcher: Watcher, count: int, idle: float = 5.0) -> list[Event]:
    """The next ``count`` events (fewer if nothing comes for ``idle`` seconds)."""
    out: list[Event] = []
    for event in watcher.events(idle=idle):
        out.append(event)
        if len(out) >= count:
            break
    return out


def brief(events: list[Event]) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """(kind, dst, previous state, state, lladdr) per event."""
    return [
        (
            e.kind,
            e.entry.dst,
            None if e.previous is None else e.previous.state.name,
            e.entry.state.name,
            e.entry.lladdr,
        )
        for e in events
    ]


@pytest.fixture
def watcher(lab: Lab) -> Iterator[Watcher]:
    with Watcher(NeighFilter(states=ALL_STATES), netns=lab.ns) as w:
        yield w


def test_add_replace_change_delete(lab: Lab, watcher: Watcher) -> None:
    lab.ip(
        *[
            "neigh",
            "add",
            "10.0.0.10",
            "lladdr",
            "02:00:00:00:00:10",
            "dev",
            "veth0",
            "nud",
            "stale",
        ]
    )
    lab.ip(
        *[
            "neigh",
            "replace",
            "10.0.0.10",
            "lladdr",
            "02:00:00:00:00:11",
            "dev",
            "veth0",
            "nud",
            "stale",
        ]
    )
    lab.ip("neigh", "change", "10.0.0.10", "dev", "veth0", "nud", "reachable")
    lab.ip("neigh", "del", "10.0.0.10", "dev", "veth0")
    events = take(watcher, 5)
    mac10, mac11 = "02:00:00:00:00:10", "02:00:00:00:00:11"
    assert brief(events) == [
        (NEW, "10.0.0.10", None, "STALE", mac10),
        (CHANGE, "10.0.0.10", "STALE", "STALE", mac11),
        (CHANGE, "10.0.0.10", "STALE", "REACHABLE", mac11),
        # `ip neigh del` first fails the entry (and the kernel drops its address), then deletes it.
        (CHANGE, "10.0.0.10", "REACHABLE", "FAILED", None),
        (DEL, "10.0.0.10", "FAILED", "FAILED", None),
    ]
    assert events[1].lladdr_changed
    assert events[1].previous is not None
    assert events[1].previous.lladdr == mac10
    assert all(e.entry.dev == "veth0" and e.entry.ifindex for e in events)
    assert events[2].seconds is not None
    assert 0 <= events[2].seconds < 5
    assert not any(e.resync for e in events)
    assert all(n.dst != "10.0.0.10" for n in watcher.tracker.table())


def test_initial_read_gives_the_previous_state(lab: Lab) -> None:
    lab.ip(
        "neigh", "add", "fd00::10", "lladdr", "02:00:00:00:00:20", "dev", "veth0", "nud", "stale"
    )
    with Watcher(netns=lab.ns) as w:
        lab.ip("neigh", "change", "fd00::10", "dev", "veth0", "nud", "reachable")
        (event,) = take(w, 1)
    assert event.kind == CHANGE
    assert event.entry.family == AF_INET6
    assert event.previous is not None
    assert event.previous.state == S.STALE
    assert event.entry.state == S.REACHABLE
    assert event.seconds is not None  # from the kernel's `updated` age at the initial read


def test_resolution_by_traffic_with_app_solicit(lab: Lab) -> None:
    # The kernel does not announce an entry it creates as INCOMPLETE, unless
    # app_solicit asks user space to help: then it sends RTM_GETNEIGH (`miss`).
    lab.sysctl("net.ipv4.neigh.veth0.app_solicit", 1)
    with Watcher(netns=lab.ns) as w:
        lab.send_udp("10.0.0.2")
        answered = take(w, 2)
        lab.send_udp("10.0.0.99")
        absent = take(w, 2)
    assert brief(answered) == [
        (MISS, "10.0.0.2", None, "INCOMPLETE", None),
        (CHANGE, "10.0.0.2", "INCOMPLETE", "REACHABLE", "02:00:00:00:01:02"),
    ]
    assert brief(absent) == [
        (MISS, "10.0.0.99", None, "INCOMPLETE", None),
        (CHANGE, "10.0.0.99", "INCOMPLETE", "FAILED", None),
    ]
    # retrans_time is 100 ms in the lab: an app probe then mcast_solicit (3) broadcasts.
    assert absent[1].seconds is not None
    assert 0.2 < absent[1].seconds < 3


def test_resolution_by_traffic_without_app_solicit_is_new(lab: Lab) -> None:
    with Watcher(netns=lab.ns) as w:
        lab.send_udp("10.0.0.2")
        lab.send_udp("10.0.0.99")
        events = take(w, 2)
    assert sorted(brief(events)) == [
        (NEW, "10.0.0.2", None, "REACHABLE", "02:00:00:00:01:02"),
        (NEW, "10.0.0.99", None, "FAILED", None),
    ]


def test_timer_transition_reachable_to_stale_with_its_duration(lab: Lab) -> None:
    # REACHABLE lasts 0.5-1.5 x base_reachable_time; unused (delay_first_probe_time 0) -> STALE.
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 0)
    lab.sysctl("net.ipv4.neigh.veth0.base_reachable_time_ms", 1000)
    with Watcher(netns=lab.ns) as w:
        lab.ip(
            "neigh", "add", "10.0.0.2", "lladdr", "02:00:00:01:02:03", "dev", "veth0",
            "nud", "reachable",
        )  # fmt: skip
        events = take(w, 2)
    assert brief(events) == [
        (NEW, "10.0.0.2", None, "REACHABLE", "02:00:00:01:02:03"),
        (CHANGE, "10.0.0.2", "REACHABLE", "STALE", "02:00:00:01:02:03"),
    ]
    assert events[1].seconds is not None
    assert 0.4 < events[1].seconds < 2.5


def test_traffic_to_a_stale_entry_revalidates_it_and_delay_is_not_announced(lab: Lab) -> None:
    # STALE -> DELAY (a packet is sent) is silent in the kernel; it announces
    # DELAY -> PROBE after delay_first_probe_time, then PROBE -> REACHABLE on the reply.
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 1)
    lab.ip_batch("neigh add 10.0.0.2 lladdr 02:00:00:00:01:02 dev veth0 nud stale\n")
    with Watcher(netns=lab.ns) as w:
        lab.send_udp("10.0.0.2")
        events = take(w, 2)
    mac = "02:00:00:00:01:02"
    assert brief(events) == [
        (CHANGE, "10.0.0.2", "STALE", "PROBE", mac),
        (CHANGE, "10.0.0.2", "PROBE", "REACHABLE", mac),
    ]
    assert events[0].seconds is not None
    assert events[0].seconds >= 0.9  # includes the unannounced second in DELAY


def test_filters_apply_to_events(lab: Lab) -> None:
    lab.ip_batch("link add br0 type bridge\nlink set br0 up\n")
    filt = NeighFilter(
        dev="veth0",
        prefix=ipaddress.ip_network("10.0.0.0/28"),
        states=state_mask(["reachable"]),
    )
    with Watcher(filt, netns=lab.ns) as w:
        lab.ip_batch(
            "neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev br0 nud reachable\n"  # other device
            "neigh add 10.0.0.100 lladdr 02:00:00:00:01:00 dev veth0 nud reachable\n"  # outside
            "neigh add fd00::3 lladdr 02:00:00:00:00:03 dev veth0 nud reachable\n"  # family
            "neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev veth0 nud stale\n"  # state
            "neigh change 10.0.0.4 dev veth0 nud reachable\n"  # enters REACHABLE
            "neigh change 10.0.0.4 dev veth0 nud stale\n"  # leaves it
        )
        events = take(w, 3, idle=1.5)
    assert brief(events) == [
        (CHANGE, "10.0.0.4", "STALE", "REACHABLE", "02:00:00:00:00:04"),
        (CHANGE, "10.0.0.4", "REACHABLE", "STALE", "02:00:00:00:00:04"),
    ]
    # The device filter also narrows the initial read.
    assert {n.dev for n in w.tracker.table()} <= {"veth0"}


def test_storm_with_a_small_buffer_resynchronises(lab: Lab) -> None:
    settle(lab)
    overflows: list[int] = []
    with Watcher(netns=lab.ns, rcvbuf=16384, on_overflow=lambda: overflows.append(1)) as w:
        producer = subprocess.Popen(
            ["ip", "-n", lab.ns, "-batch", "-"], stdin=subprocess.PIPE, text=True
        )
        assert producer.stdin is not None
        producer.stdin.write(storm_commands(20000))
        producer.stdin.close()
        resynced = 0
        for event in w.events(idle=2.0):
            resynced += event.resync
        assert producer.wait(timeout=60) == 0
        ours = view_of(w.tracker.table())
    assert overflows, "a 16 KiB buffer should overflow under 20,000 changes"
    assert w.overflows == len(overflows)
    assert resynced > 0
    assert ours == ip_view(lab)
    assert len(ours) >= 4000


def test_receive_buffer_is_forced_as_root_and_capped_without_cap_net_admin(lab: Lab) -> None:
    import socket

    with open("/proc/sys/net/core/rmem_max") as f:
        rmem_max = int(f.read())
    big = 4 * rmem_max
    sock = subscribe(lab.ns, big)
    try:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) == 2 * big
    finally:
        sock.close()
    if shutil.which("setpriv") is None:
        pytest.skip("util-linux setpriv is not installed")
    code = (
        "import socket, sys\n"
        "from neighctl.kernel.monitor import subscribe\n"
        f"s = subscribe({lab.ns!r}, {big})\n"
        "print(s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))\n"
    )
    done = subprocess.run(
        ["setpriv", "--bounding-set=-net_admin", sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 and "setpriv" in done.stderr:
        pytest.skip(f"cannot drop CAP_NET_ADMIN here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == 2 * rmem_max  # SO_RCVBUF, capped by net.core.rmem_max


def test_decoded_notifications_match_pyroute2(lab: Lab) -> None:
    from pyroute2.netlink.rtnl.marshal import MarshalRtnl

    from neighctl.kernel.decode import LinkInfo, decode_neigh_events

    sock = subscribe(lab.ns)
    try:
        lab.ip_batch(
            "neigh add 10.0.0.10 lladdr 02:00:00:00:00:10 dev veth0 nud stale router\n"
            "neigh add fd00::10 lladdr 02:00:00:00:00:20 dev veth0 extern_learn\n"
            "neigh del 10.0.0.10 dev veth0\n"
        )
        time.sleep(0.2)
        datagrams = []
        while True:
            try:
                datagrams.append(sock.recv(65536))
            except BlockingIOError:
                break
    finally:
        sock.close()
    assert len(datagrams) >= 4
    marshal = MarshalRtnl()
    for data in datagrams:
        ours: list[tuple[int, Neighbor]] = []
        decode_neigh_events(data, LinkInfo(), ours)
        (theirs,) = list(marshal.parse(data))
        (kind, n) = ours[0]
        assert kind == theirs["header"]["type"]
        assert n.dst == theirs.get_attr("NDA_DST")
        assert n.lladdr == theirs.get_attr("NDA_LLADDR")
        assert int(n.state) == theirs["state"]
        assert n.ifindex == theirs["ifindex"]
        assert int(n.flags) & 0xFF == theirs["flags"]


# --- the command, as a subprocess ---------------------------------------------


def neighctl(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "neighctl", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_cli_json_count(lab: Lab) -> None:
    proc = neighctl("watch", "--netns", lab.ns, "-o", "json", "--count", "3", "10.0.0.0/24")
    # We cannot see when the subscription is made: keep changing until it has seen 3.
    i = 0
    deadline = time.monotonic() + 20
    while proc.poll() is None and time.monotonic() < deadline:
        lab.ip("neigh", "add", f"fd00::{100 + i:x}", "lladdr", "02:00:00:00:00:01", "dev", "veth0")
        lab.ip("neigh", "add", f"10.0.0.{100 + i}", "lladdr", "02:00:00:00:00:01", "dev", "veth0")
        i += 1
        time.sleep(0.1)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert len(lines) == 3
    for line in lines:
        obj = json.loads(line)
        assert obj["event"] == "new"
        assert obj["dst"].startswith("10.0.0.")
        assert obj["state"] == ["PERMANENT"]
        assert obj["previous"] is None
        assert obj["resync"] is False
        assert {"time", "dev", "lladdr", "family", "ifindex", "flags"} <= obj.keys()
    assert err == ""


def test_cli_table_duration_and_colourless_pipe(lab: Lab) -> None:
    lab.ip(
        *[
            "neigh",
            "add",
            "10.0.0.10",
            "lladdr",
            "02:00:00:00:00:10",
            "dev",
            "veth0",
            "nud",
            "stale",
        ]
    )
    started = time.monotonic()
    proc = neighctl("watch", "--netns", lab.ns, "--duration", "4")
    wait_watching(lab, proc)
    lab.ip(
        *[
            "neigh",
            "replace",
            "10.0.0.10",
            "lladdr",
            "02:00:00:00:00:11",
            "dev",
            "veth0",
            "nud",
            "stale",
        ]
    )
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert 4 <= time.monotonic() - started < 10
    assert "\x1b[" not in out
    assert "change 10.0.0.10 dev veth0 lladdr 02:00:00:00:00:10 → 02:00:00:00:00:11 STALE" in out


def test_cli_ctrl_c_exits_zero_quietly(lab: Lab) -> None:
    proc = neighctl("watch", "--netns", lab.ns)
    wait_watching(lab, proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert err == ""
    assert "Traceback" not in out


def test_cli_storm_says_so_and_marks_resync(lab: Lab) -> None:
    settle(lab)
    proc = neighctl(
        "watch", "--netns", lab.ns, "-o", "json", "--rcvbuf", "16384", "--duration", "8"
    )
    wait_watching(lab, proc)
    lab.ip_batch(
        "".join(
            f"neigh add 10.2.{i // 250}.{i % 250 + 1} lladdr 02:00:00:03:00:01 dev veth0\n"
            for i in range(5000)
        )
    )
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "dropped neighbour notifications" in err
    assert "Traceback" not in err
    objs = [json.loads(line) for line in out.splitlines()]
    assert any(o["resync"] for o in objs)
    # Every entry added shows up, from a notification or from the re-read.
    assert {o["dst"] for o in objs if o["event"] == "new"} >= {
        f"10.2.{i // 250}.{i % 250 + 1}" for i in range(5000)
    }
