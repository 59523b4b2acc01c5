"""Watch state changes of one namespace with `ip monitor neigh`, timestamped on arrival.

The kernel notifies REACHABLE, STALE (from REACHABLE), PROBE and FAILED, but not
INCOMPLETE or DELAY (neigh_event_send changes those silently); tests poll for
the latter.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Monitor:
    proc: subprocess.Popen[str]
    events: list[tuple[float, str, str]] = field(default_factory=list)  # (t, dst, state)

    def states(self, dst: str) -> list[str]:
        return [state for _t, d, state in self.events if d == dst]

    def first(self, dst: str, state: str, after: float = 0.0) -> float | None:
        for t, d, s in self.events:
            if d == dst and s == state and t >= after:
                return t
        return None

    def wait(self, dst: str, state: str, after: float = 0.0, timeout: float = 15.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            t = self.first(dst, state, after)
            if t is not None:
                return t
            time.sleep(0.01)
        raise AssertionError(f"no {state} event for {dst} in {timeout}s: {self.events}")


def _reader(mon: Monitor) -> None:
    assert mon.proc.stdout is not None
    for line in mon.proc.stdout:
        words = line.split()
        if not words or words[0] in ("Deleted", "miss"):
            continue
        state = words[-1]
        if state.isupper():
            mon.events.append((time.monotonic(), words[0], state))


@contextmanager
def monitor(ns: str) -> Iterator[Monitor]:
    proc = subprocess.Popen(
        ["ip", "-n", ns, "monitor", "neigh"], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    mon = Monitor(proc)
    thread = threading.Thread(target=_reader, args=(mon,), daemon=True)
    thread.start()
    time.sleep(0.2)  # let ip subscribe before the test makes traffic
    try:
        yield mon
    finally:
        proc.terminate()
        proc.wait(timeout=5)
