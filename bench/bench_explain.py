"""Start-up of `neighctl explain STATE` against `python -c "import typer"`.

Usage: python bench/bench_explain.py [--runs 15]

`explain STATE` without --dev touches no kernel; the issue's target is at most
1.5x the time Python takes to import typer. Medians of several runs made in
this one invocation (these machines are noisy). A script, not a test.
With --dev it also times the live path (root, a namespace of its own).
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import statistics

from common import (
    bench_namespace,
    cache_bytecode,
    median_time,
    neighctl_cmd,
    ratio_line,
    run_timed,
)

TARGET = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dev", action="store_true", help="also time explain --dev (root)")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE (every run compiles neighctl from source)",
    )
    args = parser.parse_args()
    if not args.no_bytecode:
        cache_bytecode()
    nc = neighctl_cmd()
    cases = [
        ("--version (the CLI's floor, for reference)", ["--version"]),
        ("explain (overview)", ["explain"]),
        ("explain stale", ["explain", "stale"]),
        ("explain 0x04 --lang zh", ["explain", "0x04", "--lang", "zh"]),
        ("explain reachable -o json", ["explain", "reachable", "-o", "json"]),
    ]
    commands = [[sys.executable, "-c", "import typer"]] + [[*nc, *argv] for _, argv in cases]
    # Interleaved rounds: a noisy machine drifts, and each round sees the same drift.
    for cmd in commands:
        run_timed(cmd)  # warm-up
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(args.runs):
        for i, cmd in enumerate(commands):
            times[i].append(run_timed(cmd)[0])
    base = statistics.median(times[0])
    cached = "no" if args.no_bytecode else "yes"
    print(
        f"python: {sys.version.split()[0]}, {args.runs} interleaved rounds (medians), "
        f"bytecode cached: {cached}"
    )
    for (label, _argv), samples in zip(cases, times[1:], strict=True):
        ours = statistics.median(samples)
        print(ratio_line(label, ours, base, "import typer", TARGET))
    if args.dev:
        with bench_namespace(10) as ns:
            ours, _ = median_time(
                [*nc, "explain", "stale", "--dev", "veth0", "--netns", ns], args.runs
            )
            print(
                ratio_line(
                    "explain stale --dev veth0 --netns NS", ours, base, "import typer", TARGET * 2
                )
            )


if __name__ == "__main__":
    main()
