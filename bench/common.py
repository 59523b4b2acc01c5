"""Shared helpers for the bench scripts: namespaces, timing, medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from tests import lab  # noqa: E402


def neighctl_cmd() -> list[str]:
    """`python -m neighctl` from this checkout (a script on PATH may be another tree's)."""
    return [sys.executable, "-m", "neighctl"]


def cache_bytecode() -> None:
    """Let child Pythons cache bytecode, as an installed package has it.

    Under PYTHONDONTWRITEBYTECODE=1 a checkout recompiles every module on every
    start while typer's bytecode is cached; cache ours under a private prefix
    (nothing is written next to the sources).
    """
    import tempfile

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="neighctl-bench-pyc-")


def run_timed(cmd: Sequence[str], cwd: str = REPO) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one run (output discarded).

    ``cwd`` is the checkout whose ``python -m neighctl`` runs (the current
    directory comes first on ``sys.path`` under ``-m``). The RSS is an upper
    bound: the kernel counts the high-water mark of the memory the child
    started from, this (possibly large) process's; see peak_rss().
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err}")
    return elapsed, usage.ru_maxrss


def median_time(cmd: Sequence[str], runs: int) -> tuple[float, int]:
    """Median wall time and max peak RSS over ``runs`` runs, after one warm-up."""
    run_timed(cmd)
    results = [run_timed(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def interleaved_medians(commands: Sequence[Sequence[str]], runs: int) -> list[float]:
    """Median wall time of each command, timed in interleaved rounds.

    A noisy machine drifts; running the commands round-robin lets each see
    the same drift, which matters for ratios of start-up times.
    """
    for cmd in commands:
        run_timed(cmd)  # warm-up
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for i, cmd in enumerate(commands):
            times[i].append(run_timed(cmd)[0])
    return [statistics.median(t) for t in times]


def interleaved_runs(
    commands: Sequence[tuple[Sequence[str], str]], runs: int
) -> list[tuple[float, int, list[float]]]:
    """(median wall time, peak RSS in KiB, every time) of each (command, cwd) pair,
    timed in interleaved rounds after one warm-up each (see interleaved_medians)."""
    for cmd, cwd in commands:
        run_timed(cmd, cwd)
    times: list[list[float]] = [[] for _ in commands]
    peaks = [0] * len(commands)
    for _ in range(runs):
        for i, (cmd, cwd) in enumerate(commands):
            elapsed, rss = run_timed(cmd, cwd)
            times[i].append(elapsed)
            peaks[i] = max(peaks[i], rss)
    return [(statistics.median(t), p, t) for t, p in zip(times, peaks, strict=True)]


TIME = "/usr/bin/time"  # GNU time: -f %M is the peak RSS in KiB


def peak_rss(cmd: Sequence[str], cwd: str = REPO) -> int:
    """The peak RSS in KiB of one run of ``cmd``, measured by /usr/bin/time.

    Not from this process's wait4(): a child spawned from here inherits, until
    it execs, this process's memory, and the kernel keeps that high-water mark
    in the child's ru_maxrss (exec_mmap); after building a 200,000-entry
    namespace this process holds more than neighctl ever does. GNU time is
    small, so what it reports is the command's own peak.
    """
    done = subprocess.run(
        [TIME, "-f", "%M", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=cwd,
        text=True,
        check=True,
    )
    return int(done.stderr.strip().splitlines()[-1])


def paired_ratio(ours: Sequence[float], theirs: Sequence[float]) -> float:
    """The median of per-round ratios: each round's pair saw the same machine load."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


@contextmanager
def bench_namespace(entries: int) -> Iterator[str]:
    """A test-suite lab namespace (tests/lab.py) holding ``entries`` neighbours.

    All but a few hundred are PERMANENT: those are exempt from gc_thresh3,
    which is global and which we must not raise on the host.
    """
    with lab.lab("bench") as the_lab:
        lines = []
        dynamic = min(200, entries // 10)
        states = ("stale", "reachable", "failed", "noarp")
        for i in range(entries):
            a, b, c = (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF
            mac = f"02:00:{a:02x}:{b:02x}:{c:02x}:01"
            if i < dynamic:
                state = states[i % len(states)]
                if state == "failed":
                    lines.append(f"neigh add 10.{100 + a}.{b}.{c} dev veth0 nud failed")
                else:
                    lines.append(
                        f"neigh add 10.{100 + a}.{b}.{c} lladdr {mac} dev veth0 nud {state}"
                    )
            else:
                lines.append(f"neigh add 10.{a}.{b}.{c} lladdr {mac} dev veth0")
        the_lab.ip_batch("\n".join(lines) + "\n")
        yield the_lab.ns


def ratio_line(label: str, ours: float, theirs: float, theirs_label: str, target: float) -> str:
    ratio = ours / theirs if theirs else float("inf")
    verdict = "ok" if ratio <= target else "OVER TARGET"
    return (
        f"{label:<44} {ours * 1000:8.1f} ms  vs {theirs_label:<22} {theirs * 1000:8.1f} ms"
        f"  ratio {ratio:5.2f} (target <= {target}) {verdict}"
    )
