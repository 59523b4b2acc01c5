"""Helpers for the metrics tests: `ip -j` counts, exposition samples, processes we start.

Every process started here listens on 127.0.0.1 only and is stopped (TERM,
then KILL) by the context manager that started it, whatever the test did.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.lab import Lab

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REQUIRE = os.environ.get("NEIGHCTL_REQUIRE_NETNS") == "1"

EntryKey = tuple[str, str, str]  # family, dev, state


def require_tool(name: str) -> str:
    """The path of a witness tool; skip without it (fail in CI, which installs it)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian: apt-get install prometheus)"
        if REQUIRE:
            pytest.fail(f"NEIGHCTL_REQUIRE_NETNS=1 but {message}", pytrace=False)
        pytest.skip(message)
    return path


def neighctl(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neighctl", *args],
        capture_output=True, text=True, cwd=REPO, timeout=60, **kw,
    )  # fmt: skip


def ip_counts(lab: Lab) -> tuple[Counter[EntryKey], Counter[tuple[str, str]]]:
    """`ip -j neigh show nud all` per (family, dev, state), and `ip -j neigh show proxy` per
    (family, dev): the witness the metrics are compared with."""
    entries: Counter[EntryKey] = Counter()
    for e in lab.ip_json("neigh", "show", "nud", "all"):
        family = "inet6" if ":" in e["dst"] else "inet"
        entries[(family, e["dev"], "|".join(e.get("state", [])) or "NONE")] += 1
    proxies: Counter[tuple[str, str]] = Counter()
    for e in lab.ip_json("neigh", "show", "proxy"):
        proxies[("inet6" if ":" in e["dst"] else "inet", e["dev"])] += 1
    return entries, proxies


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    """Every sample of an exposition, through prometheus_client's own parser."""
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def entry_counts(samples: Samples) -> tuple[Counter[EntryKey], Counter[tuple[str, str]]]:
    """neighctl_neighbor_entries and neighctl_proxy_entries as ip_counts() shapes them."""
    entries: Counter[EntryKey] = Counter()
    proxies: Counter[tuple[str, str]] = Counter()
    for (name, labels), value in samples.items():
        d = dict(labels)
        if name == "neighctl_neighbor_entries":
            entries[(d["family"], d["dev"], d["state"])] += int(value)
        elif name == "neighctl_proxy_entries":
            proxies[(d["family"], d["dev"])] += int(value)
    return entries, proxies


def compare_with_ip(lab: Lab, read: Callable[[], tuple[Counter[Any], Counter[Any]]]) -> None:
    """Our counts equal ip's, read just before and just after ours.

    The kernel may change the table between two reads (a timer, another
    suite's GC); a round where ip's two reads differ is retried.
    """
    for _ in range(10):
        before = ip_counts(lab)
        ours = read()
        after = ip_counts(lab)
        if before == after:
            assert ours[0] == before[0], f"entries: ours {ours[0]} != ip {before[0]}"
            assert ours[1] == before[1], f"proxies: ours {ours[1]} != ip {before[1]}"
            return
        time.sleep(0.2)
    raise AssertionError("the namespace's table kept changing")


def free_port() -> int:
    """A port free on 127.0.0.1 now (for servers that cannot report the one they bound)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except (OSError, urllib.error.URLError, ValueError, KeyError):
            last = None
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def stop_process(proc: subprocess.Popen[Any], grace: float = 10.0) -> int:
    """SIGTERM, then SIGKILL after ``grace`` seconds; the exit status."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


LISTENING = re.compile(r"serving metrics on (http://\S+/metrics)")


@contextmanager
def exporter(
    *args: str, ready_timeout: float = 30.0
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`neighctl metrics --listen 127.0.0.1:0 ARGS` running; yields it and its /metrics URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "neighctl", "metrics", "--listen", "127.0.0.1:0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        url = None
        deadline = time.monotonic() + ready_timeout
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                raise AssertionError(f"exporter exited {proc.wait(5)} before serving")
            found = LISTENING.search(line)
            url = found.group(1) if found else None
        assert url is not None, "the exporter never said where it listens"
        yield proc, url
    finally:
        stop_process(proc)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@contextmanager
def server_process(
    args: list[str], ready_url: str, workdir: str
) -> Iterator[subprocess.Popen[str]]:
    """A server (Prometheus, node_exporter) with its output in ``workdir``; stopped on exit."""
    log = open(os.path.join(workdir, os.path.basename(args[0]) + ".log"), "w")  # noqa: SIM115
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, text=True, cwd=workdir)
    try:
        wait_until(
            lambda: proc.poll() is None and http_get(ready_url, 2)[0] == 200,
            60,
            f"{args[0]} to be ready ({ready_url}); log: {log.name}",
        )
        yield proc
    finally:
        stop_process(proc)
        log.close()


def prometheus_query(base: str, query: str) -> list[dict[str, Any]]:
    """The result vector of an instant query through Prometheus' HTTP API."""
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": query})
    status, body = http_get(url)
    assert status == 200, body
    reply = json.loads(body)
    assert reply["status"] == "success", reply
    return list(reply["data"]["result"])
