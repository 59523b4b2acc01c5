"""Benchmark `neighctl show` against iproute2, and neighctl's cold starts against typer.

Usage: sudo python bench/bench_show.py [--sizes 50000,200000] [--runs 11]
                                       [--tree LABEL=PATH]... [--markdown]

A 1,000-entry lab namespace (tests/lab.py) lives for the whole run; for each
size it builds one more, times every view on both against the `ip` command
that prints the same thing, and deletes it before the next size is built: a
big table lives only while it is measured. All but 200 entries are
PERMANENT, which the kernel's GC accounting exempts, so the shared table's
gc_thresh is never approached (and never changed).

Every figure is a median of interleaved rounds (each round runs every command
once, so all see the same drift of a shared machine); ratios are medians of
per-round ratios. The cost per entry is each round's time on the big table
minus its time on the small one, over the difference in entries (start-up
cancels out), ours against ip's of the same round. Peak memory is measured
through /usr/bin/time (see common.peak_rss). ``--tree`` adds another checkout
(e.g. main before a change) to the same rounds, so before and after are
compared in one run. A script, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (
    REPO,
    bench_namespace,
    cache_bytecode,
    interleaved_runs,
    paired_ratio,
    peak_rss,
)

# label, neighctl arguments after `show`, ip arguments after `-n NS`, target ratio
VIEWS: list[tuple[str, list[str], list[str], float]] = [
    ("show -o json", ["-o", "json"], ["-j", "neigh", "show"], 1.6),
    ("show --color always", ["--color", "always"], ["-c", "neigh", "show"], 2.0),
    ("show -o ip", ["-o", "ip"], ["neigh", "show"], 1.6),
    ("show -o ip -s", ["-o", "ip", "-s"], ["-s", "neigh", "show"], 1.8),
    ("show --summary", ["--summary"], ["neigh", "show"], 1.5),
]
SMALL = 1_000  # entries in the table every size is compared with
SLOPE_TARGET = 1.5
RSS_RUNS = 2  # peak memory: the largest of this many runs of each view
RSS_TARGETS = {50_000: 40.0, 200_000: 60.0}
TYPER = "import typer"
# label, neighctl arguments (NS is replaced by the small namespace), target vs import typer
COLD: list[tuple[str, list[str], float | None]] = [
    ("--help", ["--help"], 1.1),
    ("show (10 entries)", ["show", "--netns", "NS"], 1.15),
    ("explain STATE", ["explain", "stale"], None),
    (
        "add --dry-run",
        ["add", "10.0.0.99", "02:00:00:00:00:99", "--dev", "veth0", "--dry-run", "--netns", "NS"],
        None,
    ),
]


class Results:
    """Rows of the final table: a measure, one cell per tree, the target."""

    def __init__(self, trees: Sequence[str]) -> None:
        self.trees = list(trees)
        self.rows: list[tuple[str, list[str], str]] = []

    def add(self, measure: str, cells: list[str], target: str) -> None:
        self.rows.append((measure, cells, target))
        print(f"  {measure:<44} " + "  ".join(f"{c:>22}" for c in cells) + f"   target {target}")
        sys.stdout.flush()

    def markdown(self) -> str:
        head = "| measure | " + " | ".join(self.trees) + " | target |"
        rule = "|---|" + "---|" * len(self.trees) + "---|"
        body = [f"| {m} | " + " | ".join(c) + f" | {t} |" for m, c, t in self.rows]
        return "\n".join([head, rule, *body])


def parse_trees(values: Sequence[str]) -> list[tuple[str, str]]:
    trees = []
    for value in values:
        label, sep, path = value.partition("=")
        if not sep or not os.path.isdir(os.path.join(path, "neighctl")):
            raise SystemExit(f"--tree wants LABEL=PATH of a neighctl checkout, not {value!r}")
        trees.append((label, os.path.abspath(path)))
    return trees or [("this tree", REPO)]


def cold_starts(trees: list[tuple[str, str]], runs: int, res: Results) -> None:
    py = sys.executable
    with bench_namespace(10) as small:
        commands: list[tuple[Sequence[str], str]] = [([py, "-c", TYPER], REPO)]
        for _, path in trees:
            for _, args, _ in COLD:
                argv = [small if a == "NS" else a for a in args]
                commands.append(([py, "-m", "neighctl", *argv], path))
        commands.append((["ip", "-n", small, "neigh", "show"], REPO))
        out = interleaved_runs(commands, runs)
    typer_t, typer_all = out[0][0], out[0][2]
    res.add('python -c "import typer" (ms)', [f"{typer_t * 1000:.1f}"] * len(trees), "-")
    for i, (label, _, target) in enumerate(COLD):
        cells = []
        for t in range(len(trees)):
            median, _, every = out[1 + t * len(COLD) + i]
            cells.append(f"{median * 1000:.1f} ms, {paired_ratio(every, typer_all):.2f}x")
        res.add(f"{label} vs import typer", cells, f"<= {target}x" if target else "-")
    res.add(
        "(ip -n NS neigh show, 10 entries, ms)",
        [f"{out[-1][0] * 1000:.1f}"] * len(trees),
        "-",
    )


Rounds = list[tuple[float, int, list[float]]]  # interleaved_runs(): per command


def phase(
    trees: list[tuple[str, str]], small: str, size: int, runs: int, res: Results, first: bool
) -> None:
    """Time every view on a ``size``-entry namespace and on the small one in the same
    rounds; report the times and ratios at ``size`` (and at the small size in the
    first phase), peak memory, and the cost per entry between the two sizes.

    The slope is taken round by round (each round's big run minus its small run,
    ours and ip's, then their ratio), so the load of the moment cancels out of it
    as it does out of the ratios; the medians of those are reported.
    """
    py = sys.executable
    per = len(trees) + 1  # the trees, then ip
    start = time.perf_counter()
    with bench_namespace(size) as big:
        count = subprocess.run(
            ["ip", "-n", big, "neigh", "show", "nud", "all"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.count("\n")
        print(
            f"{size} entries asked, {count} in the table, built in {time.perf_counter() - start:.1f} s"
        )
        commands: list[tuple[Sequence[str], str]] = []
        for _, ours, theirs, _ in VIEWS:
            for ns in (big, small):
                for _, path in trees:
                    commands.append(([py, "-m", "neighctl", "show", *ours, "--netns", ns], path))
                commands.append((["ip", "-n", ns, *theirs], REPO))
        out = interleaved_runs(commands, runs)
        # Peak memory in runs of its own, through a small parent (see peak_rss).
        rss = {
            i: max(peak_rss(cmd, cwd) for _ in range(RSS_RUNS))
            for i, (cmd, cwd) in enumerate(commands)
            if i % per != len(trees) and (first or (i // per) % 2 == 0)
        }
    for which, n in ((0, size), (1, SMALL)):
        if which == 1 and not first:
            continue
        peaks = [0] * len(trees)
        for v, (label, _, _, target) in enumerate(VIEWS):
            base = (2 * v + which) * per
            ip_t, _, ip_all = out[base + len(trees)]
            cells = []
            for t in range(len(trees)):
                median, _, every = out[base + t]
                peak = rss[base + t]
                peaks[t] = max(peaks[t], peak)
                cells.append(
                    f"{median * 1000:.0f} ms, {paired_ratio(every, ip_all):.2f}x, "
                    f"{peak / 1024:.0f} MiB"
                )
            res.add(f"{label} @ {n:,} (ip {ip_t * 1000:.0f} ms)", cells, f"<= {target}x")
        rss_target = RSS_TARGETS.get(n)
        res.add(
            f"peak RSS @ {n:,} (largest of the views)",
            [f"{p / 1024:.1f} MiB" for p in peaks],
            f"<= {rss_target:.0f} MiB" if rss_target else "-",
        )
    span = size - SMALL
    for v, (label, _, _, _) in enumerate(VIEWS):
        big_at, small_at = 2 * v * per, (2 * v + 1) * per
        ip_rounds = [
            (b - a) / span
            for b, a in zip(out[big_at + len(trees)][2], out[small_at + len(trees)][2], strict=True)
        ]
        cells = []
        for t in range(len(trees)):
            ours = [
                (b - a) / span
                for b, a in zip(out[big_at + t][2], out[small_at + t][2], strict=True)
            ]
            cells.append(
                f"{statistics.median(ours) * 1e6:.2f} us, {paired_ratio(ours, ip_rounds):.2f}x"
            )
        res.add(
            f"per entry {label} {SMALL:,}->{size:,} (ip {statistics.median(ip_rounds) * 1e6:.2f} us)",
            cells,
            f"<= {SLOPE_TARGET}x",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,200000", help="beside the 1,000-entry one")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=21)
    parser.add_argument("--tree", action="append", default=[], metavar="LABEL=PATH")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold starts")
    parser.add_argument("--markdown", action="store_true", help="end with a Markdown table")
    args = parser.parse_args()
    trees = parse_trees(args.tree)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    cache_bytecode()
    print(
        f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; rounds: {args.runs} "
        f"(cold starts: {args.cold_runs}); trees: "
        + ", ".join(f"{label}={path}" for label, path in trees)
    )
    res = Results([label for label, _ in trees])
    if not args.no_cold:
        cold_starts(trees, args.cold_runs, res)
    # The small table lives for the whole run (1,000 entries); each big one only
    # while it is measured, deleted before the next is built.
    with bench_namespace(SMALL) as small:
        for i, size in enumerate(s for s in sizes if s > SMALL):
            phase(trees, small, size, args.runs, res, first=i == 0)
    if args.markdown:
        print()
        print(res.markdown())


if __name__ == "__main__":
    main()
