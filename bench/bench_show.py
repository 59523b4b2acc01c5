"""Benchmark `neighctl show` against iproute2 on a large namespace.

Usage: sudo python bench/bench_show.py [--entries 50000] [--runs 7]

Reports medians of several runs made in this one invocation, as ratios
against `ip` (or `python -c "import typer"`) timed in the same run, because
these machines are noisy. A script, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (
    bench_namespace,
    cache_bytecode,
    interleaved_medians,
    median_time,
    neighctl_cmd,
    ratio_line,
)

PYROUTE2_DUMP = """
import sys, time
t = time.perf_counter()
from pyroute2 import NetNS
ns = NetNS(sys.argv[1], flags=0)
n = len(list(ns.get_neighbours()))
ns.close()
print(n, time.perf_counter() - t)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-pyroute2", action="store_true")
    args = parser.parse_args()
    cache_bytecode()
    nc = neighctl_cmd()
    py = sys.executable
    print(
        f"neighctl: {' '.join(nc)}; python {sys.version.split()[0]}; runs per figure: {args.runs}"
    )

    with bench_namespace(10) as small:
        typer_t, help_t, show_t, ip_t = interleaved_medians(
            [
                [py, "-c", "import typer"],
                [*nc, "--help"],
                [*nc, "show", "--netns", small],
                ["ip", "-n", small, "neigh", "show"],
            ],
            args.runs * 2,
        )
    print(ratio_line("neighctl --help", help_t, typer_t, 'python -c "import typer"', 1.5))
    print(
        ratio_line("neighctl show (10 entries)", show_t, typer_t, 'python -c "import typer"', 2.0)
    )
    print(f"{'':<44} (ip -n NS neigh show on the same: {ip_t * 1000:.1f} ms)")

    start = time.perf_counter()
    with bench_namespace(args.entries) as ns:
        print(f"built {args.entries} entries in {time.perf_counter() - start:.1f} s")
        count = subprocess.run(
            ["ip", "-n", ns, "neigh", "show", "nud", "all"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.count("\n")
        print(f"entries in the table: {count}")
        json_t, ipj_t, col_t, ipc_t, ipt_t, ips_t = interleaved_medians(
            [
                [*nc, "show", "-o", "json", "--netns", ns],
                ["ip", "-n", ns, "-j", "neigh", "show"],
                [*nc, "show", "--color", "always", "--netns", ns],
                ["ip", "-n", ns, "-c", "neigh", "show"],
                [*nc, "show", "-o", "ip", "-s", "--netns", ns],
                ["ip", "-n", ns, "-s", "neigh", "show"],
            ],
            args.runs,
        )
        print(ratio_line("neighctl show -o json", json_t, ipj_t, "ip -j neigh show", 5.0))
        print(ratio_line("neighctl show --color always", col_t, ipc_t, "ip -c neigh show", 5.0))
        print(ratio_line("neighctl show -o ip -s", ipt_t, ips_t, "ip -s neigh show", 5.0))
        _, json_rss = median_time([*nc, "show", "-o", "json", "--netns", ns], 3)
        _, col_rss = median_time([*nc, "show", "--color", "always", "--netns", ns], 3)
        peak = max(json_rss, col_rss) / 1024
        print(
            f"{'peak RSS of neighctl show':<44} {peak:8.1f} MiB (target <= 120 MiB) {'ok' if peak <= 120 else 'OVER TARGET'}"
        )
        if not args.skip_pyroute2:
            times = []
            for _ in range(3):
                out = subprocess.run(
                    [py, "-c", PYROUTE2_DUMP, ns], capture_output=True, text=True, check=True
                ).stdout.split()
                times.append(float(out[1]))
            print(
                f"{'pyroute2 NetNS.get_neighbours() (stock)':<44} {statistics.median(times) * 1000:8.1f} ms"
                f"  ({out[0]} entries, import included; median of 3)"
            )


if __name__ == "__main__":
    main()
