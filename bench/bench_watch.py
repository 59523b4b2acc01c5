"""Storm benchmark for `neighctl watch`: how fast the watcher folds notifications.

Run as root from the worktree: `python bench/bench_watch.py [--changes N] [--rcvbuf BYTES]`.
In a fresh `nctest-bench-*` namespace pair (deleted afterwards) it starts a
Watcher, runs one `ip -batch` of N changes (adds, MAC-changing replaces,
deletes), consumes events until the namespace is quiet, and reports events/s,
overflows (ENOBUFS resyncs) and whether the watcher's table equals
`ip -j neigh show nud all`. It also times the per-message decoders offline:
ours (neighctl.kernel.decode) against pyroute2's on the same captured bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from neighctl.kernel.decode import LinkInfo, decode_neigh_events
from neighctl.kernel.monitor import DEFAULT_RCVBUF, RTMGRP_NEIGH, Watcher, set_rcvbuf, subscribe
from neighctl.model import Neighbor
from tests.kernel.watch_support import ip_view, settle, storm_commands, view_of, wait_watching
from tests.lab import lab


def live(changes: int, rcvbuf: int) -> dict[str, object]:
    with lab("bench") as the_lab:
        settle(the_lab)
        overflows: list[float] = []
        watcher = Watcher(
            netns=the_lab.ns, rcvbuf=rcvbuf, on_overflow=lambda: overflows.append(time.monotonic())
        )
        commands = storm_commands(changes)
        done = threading.Event()

        def produce() -> None:
            the_lab.ip_batch(commands)
            done.set()

        start = time.monotonic()
        producer = threading.Thread(target=produce)
        producer.start()
        events = resynced = 0
        with watcher:
            for event in watcher.events(idle=1.0):
                events += 1
                resynced += event.resync
            producer.join()
            elapsed = time.monotonic() - start - 1.0  # minus the idle second
            ours = view_of(watcher.tracker.table())
            theirs = ip_view(the_lab)
            return {
                "changes": changes,
                "rcvbuf_requested": rcvbuf,
                "notifications": watcher.received,
                "events": events,
                "resync_events": resynced,
                "overflows": len(overflows),
                "seconds": round(elapsed, 3),
                "events_per_s": round(events / elapsed) if elapsed > 0 else None,
                "notifications_per_s": round(watcher.received / elapsed) if elapsed > 0 else None,
                "table_equal": ours == theirs,
                "table_size": len(theirs),
            }


def backlog(changes: int, render: bool) -> dict[str, object]:
    """Let a whole storm queue up (64 MiB buffer), then time draining it: the watcher's own speed."""
    from neighctl.render.events import event_json_line

    with lab("benchq") as the_lab:
        settle(the_lab)
        with Watcher(netns=the_lab.ns, rcvbuf=64 << 20) as watcher:
            the_lab.ip_batch(storm_commands(changes))
            t0 = time.perf_counter()
            events = 0
            size = 0
            for event in watcher.events(idle=0.2):
                events += 1
                if render:
                    size += len(event_json_line(event))
            elapsed = time.perf_counter() - t0 - 0.2
            return {
                "backend": "neighctl" + (" +json" if render else ""),
                "notifications": watcher.received,
                "overflows": watcher.overflows,
                "events_per_s": round(events / elapsed),
                "us_per_event": round(elapsed / events * 1e6, 2),
            }


def cli(changes: int) -> dict[str, object]:
    """`neighctl watch -o json` (default buffer) as a user runs it, through a pipe, in a storm."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with lab("benchcli") as the_lab:
        settle(the_lab)
        proc = subprocess.Popen(
            [sys.executable, "-m", "neighctl", "watch", "--netns", the_lab.ns, "-o", "json"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_watching(the_lab, proc)
        lines: list[float] = []
        resynced = [0]

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append(time.monotonic())
                resynced[0] += '"resync":true' in line

        reader = threading.Thread(target=read)
        reader.start()
        start = time.monotonic()
        the_lab.ip_batch(storm_commands(changes))
        storm = time.monotonic() - start
        while not lines or time.monotonic() - lines[-1] < 1.0:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        reader.join()
        took = lines[-1] - start
        return {
            "backend": "neighctl watch -o json | reader",
            "storm_s": round(storm, 3),
            "events": len(lines),
            "resync_events": resynced[0],
            "overflow_warning": "dropped" in err,
            "seconds_to_last_event": round(took, 3),
            "events_per_s": round(len(lines) / took),
            "exit": proc.returncode,
        }


def backlog_pyroute2(changes: int) -> dict[str, object]:
    """The same drain through pyroute2's IPRoute bound to the neighbour group."""
    t0 = time.perf_counter()
    from pyroute2 import IPRoute

    imported = time.perf_counter() - t0
    with lab("benchp") as the_lab:
        settle(the_lab)
        ipr = IPRoute(netns=the_lab.ns, flags=0, groups=RTMGRP_NEIGH, rcvbuf=64 << 20)
        overflow = False
        got = 0
        try:
            ipr.bind(groups=RTMGRP_NEIGH)
            # pyroute2 asks with SO_RCVBUF (capped by rmem_max): force the same size as ours.
            with socket.socket(fileno=os.dup(ipr.fileno())) as dup:
                set_rcvbuf(dup, 64 << 20)
            the_lab.ip_batch(storm_commands(changes))
            expected = len(storm_commands(changes).splitlines()) + changes // 5  # a del sends 2
            t0 = time.perf_counter()
            while got < expected:
                for msg in ipr.get():
                    got += 1
                    msg.get_attr("NDA_DST"), msg.get_attr("NDA_LLADDR"), msg["state"]
        except OSError as exc:
            if exc.errno != errno.ENOBUFS:
                raise
            overflow = True
        finally:
            elapsed = time.perf_counter() - t0
            with contextlib.suppress(OSError):
                ipr.close()
    return {
        "backend": "pyroute2 IPRoute.get",
        "import_s": round(imported, 3),
        "notifications": got,
        "overflow": overflow,
        "events_per_s": round(got / elapsed) if got else None,
        "us_per_event": round(elapsed / got * 1e6, 2) if got else None,
    }


def capture(changes: int) -> list[bytes]:
    """Raw notification datagrams of a storm, with a buffer big enough to lose none."""
    with lab("benchcap") as the_lab:
        sock = subscribe(the_lab.ns, 256 << 20)
        the_lab.ip_batch(storm_commands(changes))
        datagrams = []
        while True:
            try:
                datagrams.append(sock.recv(1 << 16))
            except BlockingIOError:
                break
        sock.close()
        return datagrams


def decoders(datagrams: list[bytes]) -> dict[str, object]:
    links = LinkInfo()
    links.names[2] = "veth0"
    out: list[tuple[int, Neighbor]] = []
    t0 = time.perf_counter()
    for d in datagrams:
        decode_neigh_events(d, links, out)
    ours = time.perf_counter() - t0
    result: dict[str, object] = {
        "messages": len(datagrams),
        "neighctl_us_per_msg": round(ours / len(datagrams) * 1e6, 2),
    }
    try:
        from pyroute2.netlink.rtnl.marshal import MarshalRtnl
    except ImportError:  # pragma: no cover
        return result
    marshal = MarshalRtnl()
    t0 = time.perf_counter()
    parsed = 0
    for d in datagrams:
        parsed += len(list(marshal.parse(d)))
    theirs = time.perf_counter() - t0
    result["pyroute2_us_per_msg"] = round(theirs / len(datagrams) * 1e6, 2)
    result["pyroute2_parsed"] = parsed
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20000)
    parser.add_argument("--rcvbuf", type=int, action="append", help="bytes; repeatable")
    parser.add_argument("--skip-decoders", action="store_true")
    parser.add_argument("--pyroute2-only", action="store_true")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root to create the nctest-bench-* namespaces")
    if args.pyroute2_only:
        print(json.dumps({"backlog": backlog_pyroute2(args.changes)}), flush=True)
        return
    for rcvbuf in args.rcvbuf or [16384, 256 << 10, DEFAULT_RCVBUF]:
        print(json.dumps({"live": live(args.changes, rcvbuf)}), flush=True)
    print(json.dumps({"cli": cli(args.changes)}), flush=True)
    print(json.dumps({"backlog": backlog(args.changes, False)}), flush=True)
    print(json.dumps({"backlog": backlog(args.changes, True)}), flush=True)
    print(json.dumps({"backlog": backlog_pyroute2(args.changes)}), flush=True)
    if not args.skip_decoders:
        print(json.dumps({"decoders": decoders(capture(args.changes))}), flush=True)


if __name__ == "__main__":
    socket.setdefaulttimeout(None)
    main()
