"""Metrics from constructed snapshots: what is counted where, and the exposition's shape."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

import pytest
from prometheus_client import generate_latest
from prometheus_client.core import Metric
from prometheus_client.parser import text_string_to_metric_families

from neighctl.diagnose.findings import Finding, Report, Severity
from neighctl.errors import UsageError
from neighctl.events import CHANGE, DEL, MISS, NEW, Event
from neighctl.metrics import catalogue as cat
from neighctl.metrics.collector import NeighCollector
from neighctl.metrics.events import EventCounts
from neighctl.metrics.exporter import ListenAddress, exposition, parse_listen, registry_of
from neighctl.metrics.families import snapshot_families, state_label
from neighctl.model import AF_INET, AF_INET6, NO_FLAGS, Neighbor, NeighFlag, NudState
from neighctl.snapshot import IFF_LOOPBACK, IFF_UP, Link, NamespaceSnapshot, Snapshot
from neighctl.timers import TableParms

S = NudState
F = NeighFlag
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def n(
    dst: str,
    dev: str,
    state: NudState,
    flags: NeighFlag = NO_FLAGS,
    lladdr: str | None = "02:00:00:00:00:01",
) -> Neighbor:
    family = AF_INET6 if ":" in dst else AF_INET
    return Neighbor(family, dst, dev, state, flags, lladdr)


LINKS = [Link(1, "lo", flags=IFF_LOOPBACK | IFF_UP), Link(2, "eth0", flags=IFF_UP)]
HOST = [
    n("10.0.0.1", "eth0", S.REACHABLE),
    n("10.0.0.2", "eth0", S.REACHABLE),
    n("10.0.0.3", "eth0", S.STALE),
    n("10.0.0.4", "eth0", S.FAILED, lladdr=None),
    n("10.0.0.5", "eth0", S.PERMANENT),
    n("10.0.0.6", "eth0", S.NOARP),
    n("10.0.0.7", "eth0", S.REACHABLE, F.EXT_LEARNED | F.MANAGED),
    n("10.0.0.8", "eth0", S.INCOMPLETE, lladdr=None),
    n("10.0.0.9", "eth0", S.NONE, lladdr=None),
    n("127.0.0.5", "lo", S.REACHABLE),  # on loopback: exempt
    n("fe80::1", "eth0", S.STALE, F.ROUTER),
    n("fe80::2", "eth0", S.DELAY),
    n("fe80::3", "eth0", S.PROBE),
    n("10.0.0.50", "eth0", S.NONE, F.PROXY, lladdr=None),
    n("fd00::50", "eth0", S.NONE, F.PROXY | F.ROUTER, lladdr=None),
]
POD = [
    n("169.254.1.1", "eth0", S.REACHABLE),
    n("169.254.1.2", "eth0", S.FAILED, lladdr=None),
]
STATS = {
    "allocs": 10,
    "destroys": 4,
    "hash_grows": 1,
    "res_failed": 2,
    "lookups": 100,
    "hits": 90,
    "rcv_probes_mcast": 3,
    "rcv_probes_ucast": 5,
    "periodic_gc_runs": 7,
    "forced_gc_runs": 1,
    "table_fulls": 6,
}
TABLES = {
    AF_INET: TableParms(AF_INET, "arp_cache", 128, 512, 20, entries=13, stats=STATS),
    AF_INET6: TableParms(AF_INET6, "ndisc_cache", 128, 512, 1024, entries=3, stats=STATS),
}


def snapshot(*, complete: bool = True, with_pod: bool = True) -> Snapshot:
    namespaces = [NamespaceSnapshot(current=True, inode=1, neighbors=list(HOST), links=LINKS)]
    if with_pod:
        namespaces.append(NamespaceSnapshot(inode=4026532999, neighbors=list(POD), links=LINKS))
        namespaces.append(NamespaceSnapshot(name="gone", inode=7, error="No such file"))
    return Snapshot(namespaces=namespaces, tables=dict(TABLES), complete=complete)


REPORT = Report(
    findings=[
        Finding("capacity", Severity.WARNING, "near gc_thresh3"),
        Finding("failed-pile", Severity.INFO, "2 FAILED"),
        Finding("failed-pile", Severity.INFO, "1 FAILED"),
    ],
    checks=["capacity", "failed-pile", "proxy"],
)


def samples(metrics: Iterable[Metric]) -> Samples:
    """Every sample of an exposition, after a round trip through prometheus_client's parser."""

    class Fixed:
        def collect(self) -> Iterable[Metric]:
            return metrics

    text = generate_latest(Fixed()).decode()  # type: ignore[arg-type]
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def by(values: Samples, name: str, **labels: str) -> float | None:
    return values.get((name, tuple(sorted(labels.items()))))


def of(values: Samples, name: str) -> Samples:
    return {k: v for k, v in values.items() if k[0] == name}


def test_entries_by_family_device_and_state() -> None:
    values = samples(snapshot_families(snapshot(with_pod=False)))
    entries = {dict(k[1])["state"] + "/" + dict(k[1])["dev"] + "/" + dict(k[1])["family"]: v
               for k, v in of(values, "neighctl_neighbor_entries").items()}  # fmt: skip
    assert entries == {
        "REACHABLE/eth0/inet": 3,
        "STALE/eth0/inet": 1,
        "FAILED/eth0/inet": 1,
        "PERMANENT/eth0/inet": 1,
        "NOARP/eth0/inet": 1,
        "INCOMPLETE/eth0/inet": 1,
        "NONE/eth0/inet": 1,
        "REACHABLE/lo/inet": 1,
        "STALE/eth0/inet6": 1,
        "DELAY/eth0/inet6": 1,
        "PROBE/eth0/inet6": 1,
    }
    # Proxy entries are their own table, not a NUD state.
    assert by(values, "neighctl_proxy_entries", family="inet", dev="eth0") == 1
    assert by(values, "neighctl_proxy_entries", family="inet6", dev="eth0") == 1


def test_flags_are_series_not_labels_and_proxy_flags_stay_in_the_proxy_table() -> None:
    values = samples(snapshot_families(snapshot(with_pod=False)))
    flagged = {tuple(sorted(dict(k[1]).values())): v
               for k, v in of(values, "neighctl_neighbor_flagged_entries").items()}  # fmt: skip
    assert flagged == {
        ("eth0", "extern_learn", "inet"): 1,
        ("eth0", "inet", "managed"): 1,
        ("eth0", "inet6", "router"): 1,  # fe80::1; the proxy fd00::50 router is not counted
    }


def test_gc_eligible_and_exempt_across_namespaces() -> None:
    values = samples(snapshot_families(snapshot()))
    # inet exempt: PERMANENT 10.0.0.5, extern_learn 10.0.0.7, loopback 127.0.0.5.
    # inet eligible: the other 7 of the host (NOARP and NONE count) + the pod's 2.
    for reason in ("permanent", "extern_learn", "loopback"):
        assert by(values, "neighctl_table_gc_exempt_entries", family="inet", reason=reason) == 1
        assert by(values, "neighctl_table_gc_exempt_entries", family="inet6", reason=reason) == 0
    assert by(values, "neighctl_table_gc_eligible_entries", family="inet") == 9
    assert by(values, "neighctl_table_gc_eligible_entries", family="inet6") == 3
    assert by(values, "neighctl_table_gc_pressure_ratio", family="inet") == pytest.approx(9 / 20)
    assert by(values, "neighctl_table_gc_pressure_ratio", family="inet6") == pytest.approx(3 / 1024)
    assert by(values, "neighctl_table_gc_thresh3_entries", family="inet") == 20
    assert by(values, "neighctl_table_gc_thresh1_entries", family="inet6") == 128
    assert by(values, "neighctl_table_entries", family="inet") == 13


def test_table_wide_counts_only_when_every_namespace_was_read() -> None:
    values = samples(snapshot_families(snapshot(complete=False)))
    names = {k[0] for k in values}
    assert "neighctl_table_gc_eligible_entries" not in names
    assert "neighctl_table_gc_pressure_ratio" not in names
    assert "neighctl_table_gc_thresh3_entries" in names  # thresholds are the kernel's


def test_counters_are_counters() -> None:
    values = samples(snapshot_families(snapshot()))
    for field, spec in cat.TABLE_COUNTERS.items():
        assert by(values, spec.sample, family="inet") == STATS[field], field
    assert by(values, "neighctl_table_fulls_total", family="inet6") == 6


def test_netns_label_only_when_asked() -> None:
    plain = samples(snapshot_families(snapshot()))
    assert by(plain, "neighctl_neighbor_entries", family="inet", dev="eth0", state="FAILED") == 2
    labelled = samples(snapshot_families(snapshot(), netns_label=True))
    assert by(labelled, "neighctl_neighbor_entries", netns="host", family="inet", dev="eth0",
              state="FAILED") == 1  # fmt: skip
    assert by(labelled, "neighctl_neighbor_entries", netns="inode:4026532999", family="inet",
              dev="eth0", state="FAILED") == 1  # fmt: skip
    # Kernel-wide tables never take the label.
    assert by(labelled, "neighctl_table_gc_thresh3_entries", family="inet") == 20
    assert by(labelled, "neighctl_namespaces_read") == 2
    assert by(labelled, "neighctl_namespaces_unreadable") == 1


def test_doctor_findings_by_check_and_severity_with_zeros() -> None:
    values = samples(snapshot_families(snapshot(), REPORT))
    findings = of(values, "neighctl_doctor_findings")
    assert len(findings) == 3 * len(Severity)
    assert by(values, "neighctl_doctor_findings", check="capacity", severity="warning") == 1
    assert by(values, "neighctl_doctor_findings", check="failed-pile", severity="info") == 2
    assert by(values, "neighctl_doctor_findings", check="proxy", severity="critical") == 0
    assert "neighctl_doctor_findings" not in {k[0] for k in samples(snapshot_families(snapshot()))}


def test_per_address_is_opt_in_and_bounded() -> None:
    assert "neighctl_neighbor_entry_info" not in {
        k[0] for k in samples(snapshot_families(snapshot()))
    }
    values = samples(snapshot_families(snapshot(with_pod=False), per_address=True))
    info = of(values, "neighctl_neighbor_entry_info")
    assert len(info) == 13  # every entry but the two proxies
    assert by(values, "neighctl_neighbor_entry_info", family="inet", dev="eth0", dst="10.0.0.4",
              lladdr="", state="FAILED") == 1  # fmt: skip
    capped = samples(snapshot_families(snapshot(), per_address=True, per_address_limit=5))
    assert of(capped, "neighctl_neighbor_entry_info") == {}


def test_state_label_of_combined_and_empty_states() -> None:
    assert state_label(0) == "NONE"
    assert state_label(int(S.STALE)) == "STALE"
    assert state_label(int(S.REACHABLE | S.NOARP)) == "REACHABLE|NOARP"


def ev(kind: str, entry: Neighbor, previous: Neighbor | None = None, resync: bool = False) -> Event:
    return Event(kind, entry, 0.0, previous, None, resync)


def test_event_counts() -> None:
    counts = EventCounts()
    counts.start("host")
    a = n("10.0.0.1", "eth0", S.REACHABLE, lladdr="02:00:00:00:00:01")
    b = n("10.0.0.1", "eth0", S.REACHABLE, lladdr="02:00:00:00:00:02")
    stale_b = n("10.0.0.1", "eth0", S.STALE, lladdr="02:00:00:00:00:02")
    incomplete = n("10.0.0.9", "eth0", S.INCOMPLETE, lladdr=None)
    failed = n("10.0.0.9", "eth0", S.FAILED, lladdr=None)
    proxy = n("10.0.0.50", "eth0", S.NONE, F.PROXY, lladdr=None)
    for event in (
        ev(NEW, a),
        ev(CHANGE, b, a),  # MAC change only
        ev(CHANGE, a, b, resync=True),  # found by a re-read: counted once, like any change
        ev(CHANGE, stale_b, a),  # MAC and state
        ev(NEW, incomplete),
        ev(CHANGE, failed, incomplete),  # state only; no MAC on either side
        ev(MISS, failed, failed),  # a resolution request: not counted
        ev(DEL, failed, failed),
        ev(NEW, proxy),  # proxy entries: nothing to count
    ):
        counts.record("host", event)
    counts.resynced("host")
    values = samples(counts.families(netns_label=False))
    assert by(values, "neighctl_lladdr_changes_total", family="inet", dev="eth0") == 3
    assert by(values, "neighctl_state_transitions_total", family="inet",
              from_state="REACHABLE", to_state="STALE") == 1  # fmt: skip
    assert by(values, "neighctl_state_transitions_total", family="inet",
              from_state="INCOMPLETE", to_state="FAILED") == 1  # fmt: skip
    assert len(of(values, "neighctl_state_transitions_total")) == 2
    assert by(values, "neighctl_entries_created_total", family="inet", state="REACHABLE") == 1
    assert by(values, "neighctl_entries_created_total", family="inet", state="INCOMPLETE") == 1
    assert by(values, "neighctl_entries_deleted_total", family="inet", state="FAILED") == 1
    assert by(values, "neighctl_watch_resyncs_total") == 1
    assert by(values, "neighctl_watched_namespaces") == 1
    labelled = samples(counts.families(netns_label=True))
    assert by(labelled, "neighctl_lladdr_changes_total", netns="host", family="inet",
              dev="eth0") == 3  # fmt: skip
    counts.drop("host")
    assert of(samples(counts.families(netns_label=True)), "neighctl_lladdr_changes_total") == {}


def test_every_catalogued_metric_is_exported_and_nothing_else() -> None:
    counts = EventCounts()
    counts.start("host")
    a = n("10.0.0.1", "eth0", S.REACHABLE)
    counts.record("host", ev(CHANGE, n("10.0.0.1", "eth0", S.STALE, lladdr="02:00:00:00:00:09"), a))
    counts.record("host", ev(NEW, a))
    counts.record("host", ev(DEL, a, a))
    counts.resynced("host")
    metrics = snapshot_families(snapshot(), REPORT, per_address=True, collect_seconds=0.01)
    values = samples([*metrics, *counts.families(netns_label=True)])
    exported = {k[0] for k in values}
    documented = {spec.sample for spec in cat.ALL_METRICS}
    assert exported == documented
    assert all(name.startswith(cat.PREFIX) for name in exported)


def test_catalogue_names_follow_conventions() -> None:
    names = [spec.name for spec in cat.ALL_METRICS]
    assert len(names) == len(set(names))
    for spec in cat.ALL_METRICS:
        assert not spec.name.endswith("_total")
        assert spec.help.endswith(".")
        if spec.kind == cat.GAUGE:
            assert spec.name.endswith(
                (
                    "_entries",
                    "_ratio",
                    "_seconds",
                    "_findings",
                    "_namespaces",
                    "_read",
                    "_unreadable",
                )
            ), spec.name


class SlowSource:
    """A source that takes a while and counts its calls (stands in for a kernel read)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.calls = 0
        self.active = 0
        self.most_active = 0
        self.lock = threading.Lock()

    def __call__(self) -> tuple[Snapshot, Report | None]:
        with self.lock:
            self.calls += 1
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        time.sleep(self.delay)
        with self.lock:
            self.active -= 1
        return snapshot(), None


def test_concurrent_scrapes_share_one_read() -> None:
    source = SlowSource(0.3)
    collector = NeighCollector(source, max_age=0.0)
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(exposition(collector))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    assert source.most_active == 1
    # The first scrape reads; every scrape that waited behind it takes that result.
    assert source.calls <= 2
    assert len({r.split(b"neighctl_collect_duration_seconds ")[0] for r in results}) == 1


def test_cache_expires() -> None:
    source = SlowSource(0.0)
    collector = NeighCollector(source, max_age=0.2)
    exposition(collector)
    exposition(collector)
    assert source.calls == 1
    time.sleep(0.25)
    exposition(collector)
    assert source.calls == 2


def test_registering_does_not_read() -> None:
    source = SlowSource(0.0)
    registry_of(NeighCollector(source))
    assert source.calls == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:9870", ListenAddress("127.0.0.1", 9870)),
        (":9870", ListenAddress("127.0.0.1", 9870)),
        ("9870", ListenAddress("127.0.0.1", 9870)),
        ("[::1]:9870", ListenAddress("::1", 9870)),
        ("0.0.0.0:0", ListenAddress("0.0.0.0", 0)),
        ("localhost:80", ListenAddress("localhost", 80)),
    ],
)
def test_parse_listen(text: str, expected: ListenAddress) -> None:
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", ["", "host:", "host:port", "::1:9870", "h:70000", "99999"])
def test_parse_listen_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_listen(text)


def test_docs_list_every_metric_with_its_type_and_labels() -> None:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text()
    rows = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| `(neighctl_\w+)` \| (\w+) \| ([^|]*) \|", text, re.M)
    }
    for spec in cat.ALL_METRICS:
        assert spec.sample in rows, f"docs/metrics.md has no row for {spec.sample}"
        kind, labels = rows[spec.sample]
        assert kind == spec.kind, spec.sample
        documented = {w.strip() for w in labels.replace("*ns*", "netns").split(",")} - {"—"}
        expected = set(spec.labels) | ({"netns"} if spec.netns else set())
        assert documented == expected, spec.sample
    assert set(rows) == {spec.sample for spec in cat.ALL_METRICS}
