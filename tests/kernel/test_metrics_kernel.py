"""`neighctl metrics` against the real kernel, with `ip -j` and promtool as witnesses."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from neighctl.errors import ExitCode
from neighctl.events import Event
from neighctl.metrics.collector import DEFAULT_MAX_AGE
from neighctl.metrics.events import EventCounts
from neighctl.metrics.watch import WatchPool
from neighctl.snapshot import NamespaceSnapshot, Snapshot
from tests.cli.test_show_cli import assert_one_line_error
from tests.kernel.metrics_support import (
    REPO,
    compare_with_ip,
    entry_counts,
    exporter,
    http_get,
    neighctl,
    parse,
    require_tool,
    stop_process,
    wait_until,
)
from tests.kernel.watch_support import settle
from tests.lab import Lab

EVERY_STATE = {"INCOMPLETE", "REACHABLE", "STALE", "PROBE", "FAILED", "NOARP", "PERMANENT", "NONE"}


def test_counts_equal_ip_in_a_namespace_with_every_state(populated_lab: Lab) -> None:
    def read() -> tuple[object, object]:
        done = neighctl("metrics", "--netns", populated_lab.ns)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        return entry_counts(parse(done.stdout))  # type: ignore[return-value]

    compare_with_ip(populated_lab, read)  # type: ignore[arg-type]
    entries, proxies = entry_counts(parse(neighctl("metrics", "--netns", populated_lab.ns).stdout))
    assert {state for _, _, state in entries} >= EVERY_STATE
    assert {dev for _, dev, _ in entries} >= {"veth0", "br0", "vxlan0"}
    assert proxies  # the lab's proxy entries, from the other table


def test_flags_and_thresholds_as_the_kernel_has_them(populated_lab: Lab) -> None:
    samples = parse(neighctl("metrics", "--netns", populated_lab.ns).stdout)

    def value(name: str, **labels: str) -> float | None:
        return samples.get((name, tuple(sorted(labels.items()))))

    # 10.0.0.17 (extern_learn) and 10.0.0.18 (managed extern_learn); fd00::10 router.
    assert value("neighctl_neighbor_flagged_entries", family="inet", dev="veth0",
                 flag="extern_learn") == 2  # fmt: skip
    assert value("neighctl_neighbor_flagged_entries", family="inet", dev="veth0",
                 flag="managed") == 1  # fmt: skip
    assert value("neighctl_neighbor_flagged_entries", family="inet6", dev="veth0",
                 flag="router") == 1  # fmt: skip
    for fam, sysctl in (("inet", "ipv4"), ("inet6", "ipv6")):
        for n in (1, 2, 3):
            with open(f"/proc/sys/net/{sysctl}/neigh/default/gc_thresh{n}") as f:
                expected = int(f.read())
            assert value(f"neighctl_table_gc_thresh{n}_entries", family=fam) == expected
        assert value("neighctl_table_fulls_total", family=fam) is not None
    # One namespace read: the table-wide GC counts are not exported.
    assert ("neighctl_table_gc_eligible_entries", (("family", "inet"),)) not in samples


def test_promtool_check_metrics_passes(populated_lab: Lab) -> None:
    promtool = require_tool("promtool")
    for extra in ([], ["--per-address"]):
        done = neighctl("metrics", "--netns", populated_lab.ns, *extra)
        assert done.returncode == 0, done.stderr
        checked = subprocess.run(
            [promtool, "check", "metrics"], input=done.stdout, capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_per_address_series(populated_lab: Lab) -> None:
    done = neighctl("metrics", "--netns", populated_lab.ns, "--per-address")
    assert "warning" in done.stderr
    samples = parse(done.stdout)
    info = {
        dict(k[1])["dst"]: dict(k[1]) for k in samples if k[0] == "neighctl_neighbor_entry_info"
    }
    assert info["10.0.0.12"]["lladdr"] == "02:00:00:00:00:12"
    assert info["10.0.0.12"]["state"] == "STALE"
    assert "10.0.0.50" not in info  # a proxy entry


def test_textfile_is_replaced_atomically(populated_lab: Lab, tmp_path: object) -> None:
    directory = str(tmp_path)
    path = os.path.join(directory, "neighctl.prom")
    with open(path, "w") as f:
        f.write("# an older run\n")
    before = os.stat(path).st_ino
    done = neighctl("metrics", "--netns", populated_lab.ns, "--textfile", path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert os.listdir(directory) == ["neighctl.prom"]  # no temporary file left behind
    assert os.stat(path).st_ino != before  # renamed over, not rewritten in place
    with open(path) as f:
        text = f.read()
    compare_with_ip(populated_lab, lambda: entry_counts(parse(text)))


def test_textfile_in_a_missing_directory_is_a_one_line_usage_error(
    populated_lab: Lab, tmp_path: object
) -> None:
    path = os.path.join(str(tmp_path), "no-such-dir", "neighctl.prom")
    done = neighctl("metrics", "--netns", populated_lab.ns, "--textfile", path)
    assert done.returncode == ExitCode.USAGE
    assert_one_line_error(done.stderr, path)


def test_textfile_without_write_permission_exits_4(tmp_path: object) -> None:
    if shutil.which("setpriv") is None:
        pytest.skip("util-linux setpriv is not installed")
    directory = os.path.join(str(tmp_path), "ro")
    os.mkdir(directory)
    os.chmod(directory, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    path = os.path.join(directory, "neighctl.prom")
    # Root without any capability (no CAP_DAC_OVERRIDE) meets the directory's mode;
    # it reads its own namespace's table, which needs no privilege.
    done = subprocess.run(
        ["setpriv", "--bounding-set=-all", "--inh-caps=-all",
         sys.executable, "-m", "neighctl", "metrics", "--textfile", path],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": REPO},
    )  # fmt: skip
    assert done.returncode == ExitCode.PERMISSION, done.stderr
    assert_one_line_error(done.stderr, path)
    assert os.listdir(directory) == []


def test_listen_serves_metrics_and_stops_on_sigterm(populated_lab: Lab) -> None:
    promtool = require_tool("promtool")
    with exporter("--netns", populated_lab.ns) as (proc, url):
        status, text = http_get(url)
        assert status == 200

        def fresh() -> tuple[object, object]:
            time.sleep(DEFAULT_MAX_AGE + 0.1)  # past the cache: a read after ip's first one
            return entry_counts(parse(http_get(url)[1]))  # type: ignore[return-value]

        compare_with_ip(populated_lab, fresh)  # type: ignore[arg-type]
        names = {name for name, _ in parse(text)}
        assert "neighctl_lladdr_changes_total" in names or "neighctl_watched_namespaces" in names
        assert "neighctl_process_resident_memory_bytes" in names
        checked = subprocess.run(
            [promtool, "check", "metrics"], input=text, capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        base = url.rsplit("/", 1)[0]
        assert http_get(base + "/other")[0] == 404
        assert http_get(base + "/")[0] == 200

        # Twelve scrapes at once: every one answered, by a bounded number of reads.
        results: list[int] = []
        threads = [
            threading.Thread(target=lambda: results.append(http_get(url)[0])) for _ in range(12)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert results == [200] * 12

        started = time.monotonic()
        assert stop_process(proc) == 0
        assert time.monotonic() - started < 5
        assert proc.stderr is not None
        rest = proc.stderr.read()
        assert "Traceback" not in rest
        assert "error" not in rest


def test_listen_on_a_port_in_use_is_a_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = neighctl("metrics", "--listen", f"127.0.0.1:{port}")
    assert done.returncode == ExitCode.USAGE
    assert_one_line_error(done.stderr, "in use")


def _counter(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str,
             **labels: str) -> float:  # fmt: skip
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_listen_counts_mac_changes_and_transitions(lab: Lab) -> None:
    settle(lab)
    with exporter("--netns", lab.ns) as (_proc, url):
        mac = "02:00:00:00:0a:0{}"
        lab.ip("neigh", "add", "10.0.0.30", "lladdr", mac.format(1), "dev", "veth0", "nud", "stale")
        lab.ip("neigh", "replace", "10.0.0.30", "lladdr", mac.format(2), "dev", "veth0",
               "nud", "stale")  # fmt: skip
        lab.ip("neigh", "replace", "10.0.0.30", "lladdr", mac.format(3), "dev", "veth0",
               "nud", "reachable")  # fmt: skip
        lab.ip(
            "neigh",
            "replace",
            "10.0.0.30",
            "lladdr",
            mac.format(3),
            "dev",
            "veth0",
            "nud",
            "reachable",
        )  # the same again: no change to count
        lab.ip("neigh", "del", "10.0.0.30", "dev", "veth0")

        def counted() -> dict[tuple[str, tuple[tuple[str, str], ...]], float] | None:
            samples = parse(http_get(url)[1])
            done = _counter(samples, "neighctl_entries_deleted_total", family="inet",
                            state="FAILED")  # fmt: skip
            return samples if done else None

        samples = wait_until(counted, 15, "the deletion to be counted")
        assert _counter(samples, "neighctl_lladdr_changes_total", family="inet", dev="veth0") == 2
        assert _counter(samples, "neighctl_state_transitions_total", family="inet",
                        from_state="STALE", to_state="REACHABLE") == 1  # fmt: skip
        # `ip neigh del` is announced as a change to FAILED, then the deletion
        # (neigh_delete() calls __neigh_update(..., NUD_FAILED, ...) first).
        assert _counter(samples, "neighctl_state_transitions_total", family="inet",
                        from_state="REACHABLE", to_state="FAILED") == 1  # fmt: skip
        transitions = [k for k in samples
                       if k[0] == "neighctl_state_transitions_total" and ("family", "inet") in k[1]]  # fmt: skip
        assert len(transitions) == 2
        assert _counter(samples, "neighctl_entries_created_total", family="inet",
                        state="STALE") == 1  # fmt: skip
        assert _counter(samples, "neighctl_watched_namespaces") == 1


class TallyingCounts(EventCounts):
    """Also counts MAC changes by how they were learnt (notification or re-read)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_path: dict[bool, int] = {False: 0, True: 0}

    def record(self, netns: str, event: Event) -> None:
        super().record(netns, event)
        if event.lladdr_changed:
            self.by_path[event.resync] += 1


def test_a_resync_counts_each_change_once(lab: Lab) -> None:
    """With a receive buffer far too small, the kernel drops notifications: each of N
    MAC changes is counted exactly once, from its notification or from the re-read."""
    settle(lab)
    changes = 3000
    addresses = [f"10.2.{i // 250}.{i % 250 + 1}" for i in range(changes)]
    lab.ip_batch("".join(f"neigh add {a} lladdr 02:00:00:03:00:01 dev veth0\n" for a in addresses))
    counts = TallyingCounts()
    pool = WatchPool(counts, rcvbuf=16384)
    try:
        pool.sync(Snapshot(namespaces=[NamespaceSnapshot(name=lab.ns, neighbors=[])]))
        pool.wait_ready(20)
        assert counts.watched == {lab.ns}
        key = (lab.ns, "inet", "veth0")
        # First a few changes the buffer holds: seen in notifications.
        quiet = 20
        lab.ip_batch(
            "".join(
                f"neigh replace {a} lladdr 02:00:00:03:00:02 dev veth0\n" for a in addresses[:quiet]
            )
        )
        wait_until(lambda: counts.lladdr[key] == quiet, 20, "the first changes")
        assert counts.by_path == {False: quiet, True: 0}
        # Then a storm: each replace between an add and a delete of another address
        # (never re-added), so the queue overflows while the replaces are under way.
        batch = []
        for i, a in enumerate(addresses[quiet:]):
            noise = f"10.3.{i // 250}.{i % 250 + 1}"
            batch += [
                f"neigh add {noise} lladdr 02:00:00:04:00:01 dev veth0",
                f"neigh replace {a} lladdr 02:00:00:03:00:02 dev veth0",
                f"neigh del {noise} dev veth0",
            ]
        lab.ip_batch("\n".join(batch) + "\n")

        def settled() -> bool:
            before = dict(counts.lladdr)
            time.sleep(1.5)
            return dict(counts.lladdr) == before

        wait_until(settled, 60, "the watcher to catch up")
        assert sum(counts.resyncs.values()) >= 1, "a 16 KiB buffer should overflow"
        assert counts.by_path[True] > 0
        assert counts.lladdr[key] == changes
        # The only state changes are the deletions' passage through FAILED.
        assert {k[2:] for k in counts.transitions} <= {("PERMANENT", "FAILED")}
    finally:
        pool.close()


def test_unknown_namespace_exits_7(lab: Lab) -> None:
    done = neighctl("metrics", "--netns", lab.ns + "-missing", "--listen", "127.0.0.1:0")
    assert done.returncode == ExitCode.NO_NAMESPACE
    assert_one_line_error(done.stderr, lab.ns + "-missing")


def test_a_watcher_ends_when_its_namespace_is_deleted() -> None:
    """Its sockets would otherwise keep a deleted namespace alive for as long as it runs."""
    from tests.lab import delete_namespace, run, unique_name

    name = unique_name("mw")
    run("ip", "netns", "add", name)
    counts = EventCounts()
    pool = WatchPool(counts)
    try:
        pool.sync(Snapshot(namespaces=[NamespaceSnapshot(name=name, neighbors=[])]))
        pool.wait_ready(10)
        thread = pool.threads[name]
        assert thread.alive
        assert counts.watched == {name}
        delete_namespace(name)
        wait_until(lambda: not thread.alive, 10, "the watcher to end")
        assert thread.gone
        assert counts.watched == set()
    finally:
        pool.close()
        delete_namespace(name)


def _all_namespaces_samples() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    done = neighctl("metrics", "--all-namespaces")
    assert done.returncode == 0, done.stderr
    return parse(done.stdout)


def test_all_namespaces_labels_each_namespace(populated_lab: Lab) -> None:
    def read() -> tuple[object, object]:
        mine = {
            (name, tuple(kv for kv in labels if kv[0] != "netns")): value
            for (name, labels), value in _all_namespaces_samples().items()
            if ("netns", populated_lab.ns) in labels
        }
        return entry_counts(mine)  # type: ignore[return-value]

    compare_with_ip(populated_lab, read)  # type: ignore[arg-type]
    samples = _all_namespaces_samples()
    labelled = {dict(k[1]).get("netns") for k in samples if k[0] == "neighctl_neighbor_entries"}
    assert {"host", populated_lab.ns, populated_lab.peer} <= labelled
    assert samples[("neighctl_namespaces_read", ())] >= 3
    checks = {dict(k[1])["check"] for k in samples if k[0] == "neighctl_doctor_findings"}
    assert {"capacity", "failed-pile", "vxlan"} <= checks


def test_gc_eligible_plus_exempt_is_the_kernels_entry_count(populated_lab: Lab) -> None:
    """Every namespace read: the entries the kernel holds (ndtc_entries, counted by the
    kernel itself) split exactly into eligible and exempt ones, per family.

    A namespace deleted a moment ago (by an earlier test) keeps its entries in the
    table until the kernel's cleanup_net work has run, though no walk can find it:
    rounds that disagree are retried for a while.
    """
    split: dict[str, tuple[float, float]] = {}
    for _ in range(30):
        samples = _all_namespaces_samples()
        for family in ("inet", "inet6"):
            eligible = samples[("neighctl_table_gc_eligible_entries", (("family", family),))]
            exempt = sum(
                v
                for (name, labels), v in samples.items()
                if name == "neighctl_table_gc_exempt_entries" and ("family", family) in labels
            )
            total = samples[("neighctl_table_entries", (("family", family),))]
            split[family] = (eligible + exempt, total)
            ratio = samples[("neighctl_table_gc_pressure_ratio", (("family", family),))]
            thresh3 = samples[("neighctl_table_gc_thresh3_entries", (("family", family),))]
            assert ratio == pytest.approx(eligible / thresh3)
        if all(counted == total for counted, total in split.values()):
            return
        time.sleep(0.5)  # an entry came or went between the walk and the table read
    raise AssertionError(f"eligible + exempt != the kernel's entries: {split}")


def test_listen_all_namespaces_watches_named_namespaces(lab: Lab) -> None:
    settle(lab)
    lab.ip("neigh", "add", "10.0.0.40", "lladdr", "02:00:00:00:0b:01", "dev", "veth0")
    with exporter("--all-namespaces") as (_proc, url):
        lab.ip("neigh", "replace", "10.0.0.40", "lladdr", "02:00:00:00:0b:02", "dev", "veth0")

        def counted() -> float:
            samples = parse(http_get(url)[1])
            return _counter(samples, "neighctl_lladdr_changes_total", netns=lab.ns,
                            family="inet", dev="veth0")  # fmt: skip

        assert wait_until(counted, 15, "the MAC change in the lab") == 1
        samples = parse(http_get(url)[1])
        assert _counter(samples, "neighctl_watched_namespaces") >= 3  # host, lab, its peer
        assert ("neighctl_watch_resyncs_total", (("netns", lab.ns),)) in samples


def test_the_doctor_runs_when_due_and_light_reads_in_between(lab: Lab) -> None:
    from neighctl.metrics.source import LiveSource

    every_hour = LiveSource(lab.ns, doctor_interval=3600)
    first, report = every_hour()
    assert report is not None
    assert "capacity" in report.checks
    assert first.namespaces[0].routes is not None  # the checks need everything
    second, again = every_hour()
    assert again is report  # not due: the findings of the last run
    assert second.namespaces[0].routes is None  # entries and links only
    assert second.namespaces[0].neighbors is not None

    always = LiveSource(lab.ns, doctor_interval=0)
    assert always()[1] is not always()[1]
    never = LiveSource(lab.ns, doctor_interval=None)
    snapshot, none = never()
    assert none is None
    assert snapshot.namespaces[0].routes is None


def test_no_doctor_leaves_the_findings_out(populated_lab: Lab) -> None:
    names = {k[0] for k in parse(neighctl("metrics", "--netns", populated_lab.ns).stdout)}
    assert "neighctl_doctor_findings" in names
    done = neighctl("metrics", "--netns", populated_lab.ns, "--no-doctor")
    assert "neighctl_doctor_findings" not in {k[0] for k in parse(done.stdout)}


def test_a_failed_read_answers_500_and_the_exporter_keeps_serving() -> None:
    from tests.lab import delete_namespace, run, unique_name

    name = unique_name("mf")
    run("ip", "netns", "add", name)
    try:
        with exporter("--netns", name) as (proc, url):
            assert http_get(url)[0] == 200
            delete_namespace(name)
            time.sleep(DEFAULT_MAX_AGE + 0.1)
            status, body = http_get(url)
            assert status == 500
            assert name in body
            assert proc.poll() is None
            assert stop_process(proc) == 0
            assert proc.stderr is not None
            log = proc.stderr.read()
            assert "Traceback" not in log
            assert f"neighctl: scrape failed: network namespace {name!r} does not exist" in log
    finally:
        delete_namespace(name)
