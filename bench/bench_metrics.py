"""Benchmark `neighctl metrics` on a large namespace: one-shot and under --listen.

Usage: sudo python bench/bench_metrics.py [--entries 50000] [--runs 5]

Times `metrics --netns NS` (stdout) against `show -o json --state all` on the same
namespace in the same run, with peak RSS of each; then starts `metrics --listen`
(on that namespace, then on every namespace of the node) and times scrapes (each after the one-second cache has expired), concurrent
scrapes, and the exporter's memory: its peak (VmHWM) and what it keeps between
scrapes (VmRSS). The big namespace lives only while this runs. A script, not a
test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (
    REPO,
    bench_namespace,
    cache_bytecode,
    interleaved_medians,
    median_time,
    neighctl_cmd,
)


def status_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as reply:
        return str(reply.read().decode())


def collect_seconds(text: str) -> float:
    found = re.search(r"^neighctl_collect_duration_seconds (\S+)$", text, re.M)
    return float(found.group(1)) if found else float("nan")


def bench_listen(nc: list[str], scope: list[str], runs: int) -> None:
    proc = subprocess.Popen(
        [*nc, "metrics", "--listen", "127.0.0.1:0", *scope],
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stderr is not None
        found = None
        while found is None:
            line = proc.stderr.readline()
            if not line:
                raise SystemExit(f"the exporter exited with {proc.wait()} before serving")
            found = re.search(r"(http://\S+/metrics)", line)
        url = found.group(1)
        settled_rss = status_kib(proc.pid, "VmRSS")
        walls, reads = [], []
        for _ in range(runs):
            time.sleep(1.1)  # past the cache: every scrape reads the kernel
            start = time.perf_counter()
            text = get(url)
            walls.append(time.perf_counter() - start)
            reads.append(collect_seconds(text))
        rss_between = status_kib(proc.pid, "VmRSS")
        print(
            f"{'scrape (HTTP GET /metrics)':<44} median {statistics.median(walls) * 1000:7.1f} ms, "
            f"max {max(walls) * 1000:7.1f} ms; kernel read+checks median "
            f"{statistics.median(reads) * 1000:7.1f} ms ({runs} scrapes)"
        )
        time.sleep(1.1)
        texts: list[str] = []
        threads = [threading.Thread(target=lambda: texts.append(get(url))) for _ in range(8)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        distinct = len({collect_seconds(t) for t in texts})
        print(
            f"{'8 concurrent scrapes':<44} {wall * 1000:7.1f} ms for all; "
            f"{distinct} kernel read(s) shared by the 8"
        )
        peak = status_kib(proc.pid, "VmHWM")
        print(
            f"{'exporter memory':<44} peak {peak / 1024:6.1f} MiB; between scrapes "
            f"{rss_between / 1024:6.1f} MiB (after start-up read {settled_rss / 1024:6.1f} MiB)"
        )
        start = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
        print(
            f"{'SIGTERM to exit':<44} {(time.perf_counter() - start) * 1000:7.1f} ms (exit {code})"
        )
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cache_bytecode()
    nc = neighctl_cmd()
    print(f"neighctl: {' '.join(nc)}; python {sys.version.split()[0]}; runs: {args.runs}")
    start = time.perf_counter()
    with bench_namespace(args.entries) as ns:
        print(f"built {args.entries} entries in {time.perf_counter() - start:.1f} s")
        metrics = [*nc, "metrics", "--netns", ns]
        counts_only = [*nc, "metrics", "--no-doctor", "--netns", ns]
        show = [*nc, "show", "-o", "json", "--state", "all", "--netns", ns]
        metrics_t, counts_t, show_t = interleaved_medians([metrics, counts_only, show], args.runs)
        _, metrics_rss = median_time(metrics, 3)
        _, counts_rss = median_time(counts_only, 3)
        _, show_rss = median_time(show, 3)
        print(
            f"{'neighctl metrics --netns NS (stdout)':<44} {metrics_t * 1000:8.1f} ms, "
            f"peak RSS {metrics_rss / 1024:6.1f} MiB"
        )
        print(
            f"{'neighctl metrics --no-doctor --netns NS':<44} {counts_t * 1000:8.1f} ms, "
            f"peak RSS {counts_rss / 1024:6.1f} MiB"
        )
        print(
            f"{'neighctl show -o json --state all':<44} {show_t * 1000:8.1f} ms, "
            f"peak RSS {show_rss / 1024:6.1f} MiB"
        )
        print(f"{'ratio metrics / show -o json':<44} {metrics_t / show_t:8.2f}")
        print("--listen --netns NS:")
        bench_listen(nc, ["--netns", ns], args.runs)
        table = subprocess.run(
            ["ip", "-s", "ntable", "show", "name", "arp_cache"], capture_output=True, text=True
        ).stdout
        found = re.search(r"entries (\d+)", table)
        namespaces = len(os.listdir("/run/netns")) if os.path.isdir("/run/netns") else 0
        print(
            f"--listen --all-namespaces (the node's ARP table holds "
            f"{found.group(1) if found else '?'} entries; {namespaces} named namespaces):"
        )
        bench_listen(nc, ["--all-namespaces"], args.runs)


if __name__ == "__main__":
    main()
