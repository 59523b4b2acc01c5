"""Parsing a saved 50,000-line `ip -s neigh` against reading the same table live.

Usage: sudo python bench/bench_parse.py [--entries 50000] [--runs 7]

The issue's target: parsing the file takes no longer than reading the table
from the kernel. Both are timed in-process (library calls) and end to end
(`neighctl show -o json` with --from FILE vs --netns NS), medians of several
runs in this one invocation. A script, not a test.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
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
