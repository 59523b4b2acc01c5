"""Parsing a saved 50,000-line `ip -s neigh` against reading the same table live;
the memory of streaming a 1,000,000-line capture to JSON.

Usage: sudo python bench/bench_parse.py [--entries 50000] [--runs 7]
       python bench/bench_parse.py --memory [--lines 1000000]

Speed: parsing the file takes no longer than reading the table from the
kernel. Both are timed in-process (library calls) and end to end (`neighctl
show -o json` with --from FILE vs --netns NS), medians of several runs in
this one invocation.

Memory (--memory, no root needed): `neighctl show --from FILE -o json` of a
capture of ``--lines`` lines in the shapes iproute2 6.1's `ip -s neigh`
prints (every state, both families, with and without `ref`; written here,
since no test may put a million entries in the kernel's shared table), its
peak RSS reported against the 200 MiB budget; then the same for `-o ip` and
for `--summary`. A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from common import bench_namespace, cache_bytecode, median_time, neighctl_cmd  # noqa: E402

from neighctl.kernel.dump import read_neighbors  # noqa: E402
from neighctl.parse import read_path  # noqa: E402


def in_process(func: object, runs: int) -> float:
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


# Line shapes of iproute2 6.1 `ip -s neigh show nud all` (fixtures/ip-s-neigh.txt).
SHAPES = (
    "10.{a}.{b}.{c} dev veth0 lladdr 02:00:{a:02x}:{b:02x}:{c:02x}:01  ref 1 used 0/0/0probes 0 REACHABLE \n",
    "10.{a}.{b}.{c} dev veth0 lladdr 02:00:{a:02x}:{b:02x}:{c:02x}:01  used 0/1200/0probes 0 STALE \n",
    "10.{a}.{b}.{c} dev veth0  used 0/1200/0probes 6 FAILED \n",
    "10.{a}.{b}.{c} dev br0 lladdr 02:00:{a:02x}:{b:02x}:{c:02x}:01  used 0/0/0probes 0 PERMANENT \n",
    "fd00::{a:x}:{b:x}:{c:x} dev veth0 lladdr 02:00:{a:02x}:{b:02x}:{c:02x}:01 router  used 0/1200/0probes 0 STALE \n",
    "10.{a}.{b}.{c} dev veth0  used 0/1200/0probes 0 INCOMPLETE \n",
    "224.{a}.{b}.{c} dev br0 lladdr 01:00:5e:{a:02x}:{b:02x}:{c:02x}  used 0/60/0probes 0 NOARP \n",
    "10.{a}.{b}.{c} dev veth0 lladdr 02:00:{a:02x}:{b:02x}:{c:02x}:01  used 0/1200/0probes 0 STALE proto static \n",
)


def write_capture(path: str, lines: int) -> int:
    """A capture of ``lines`` distinct entries in SHAPES; returns its size in bytes."""
    with open(path, "w") as f:
        for i in range(lines):
            a, b, c = (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF
            f.write(SHAPES[i % len(SHAPES)].format(a=a, b=b, c=c))
    return os.path.getsize(path)


def memory(lines: int) -> None:
    from common import run_timed

    cache_bytecode()
    nc = neighctl_cmd()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ip-s-neigh.txt")
        size = write_capture(path, lines)
        print(f"{lines} lines of `ip -s neigh` ({size / 1e6:.1f} MB)")
        for label, extra in (
            ("show --from FILE -o json", ["-o", "json"]),
            ("show --from FILE -s -o json --state all", ["-s", "-o", "json", "--state", "all"]),
            ("show --from FILE -o ip", ["-o", "ip"]),
            ("show --from FILE --summary", ["--summary"]),
        ):
            elapsed, rss_kib = run_timed([*nc, "show", "--from", path, *extra])
            verdict = "ok" if rss_kib < 200 * 1024 else "OVER BUDGET"
            print(
                f"{label:<44} peak RSS {rss_kib / 1024:6.1f} MiB (budget 200 MiB) {verdict}"
                f"  in {elapsed:5.1f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--memory", action="store_true", help="peak RSS of a large capture")
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.memory:
        memory(args.lines)
        return
    cache_bytecode()
    nc = neighctl_cmd()
    with bench_namespace(args.entries) as ns, tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ip-s-neigh.txt")
        text = subprocess.run(
            ["ip", "-n", ns, "-s", "neigh", "show"], capture_output=True, text=True, check=True
        ).stdout
        with open(path, "w") as f:
            f.write(text)
        lines = text.count("\n")
        live = in_process(lambda: read_neighbors(netns=ns), args.runs)
        parsed = in_process(lambda: read_path(path), args.runs)
        print(f"{lines} lines of `ip -s neigh` ({len(text) / 1e6:.1f} MB); medians of {args.runs}")
        print(
            f"in-process: parse {parsed * 1000:7.1f} ms vs live read {live * 1000:7.1f} ms  ratio {parsed / live:.2f} (target <= 1)"
        )
        from_t, _ = median_time([*nc, "show", "--from", path, "-o", "json"], args.runs)
        live_t, _ = median_time([*nc, "show", "--netns", ns, "-o", "json"], args.runs)
        print(
            f"end to end: show --from FILE -o json {from_t * 1000:7.1f} ms vs show --netns NS -o json {live_t * 1000:7.1f} ms  ratio {from_t / live_t:.2f}"
        )


if __name__ == "__main__":
    main()
