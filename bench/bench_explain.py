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

from common import bench_namespace, median_time, ratio_line

TARGET = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dev", action="store_true", help="also time explain --dev (root)")
    args = parser.parse_args()
    # This checkout, not a `neighctl` script on PATH (which may be another tree).
    nc = [sys.executable, "-m", "neighctl"]
    base, _ = median_time([sys.executable, "-c", "import typer"], args.runs)
    cases = [
        ("explain (overview)", ["explain"]),
        ("explain stale", ["explain", "stale"]),
        ("explain 0x04 --lang zh", ["explain", "0x04", "--lang", "zh"]),
        ("explain reachable -o json", ["explain", "reachable", "-o", "json"]),
    ]
    print(f"python: {sys.version.split()[0]}, runs: {args.runs} (medians)")
    for label, argv in cases:
        ours, rss = median_time([*nc, *argv], args.runs)
        print(ratio_line(label, ours, base, "import typer", TARGET), f" peak {rss} KiB")
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
