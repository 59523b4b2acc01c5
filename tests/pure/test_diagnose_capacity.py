"""The GC accounting and the capacity verdict on injected numbers.

Thresholds are global and writable only from the initial namespace, so the
threshold logic is tested here, never by changing gc_thresh or filling the
shared table.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighctl.diagnose import capacity
from neighctl.diagnose.accounting import count_tables, exempt_reason
from neighctl.diagnose.findings import Finding, Severity
from neighctl.model import AF_INET, AF_INET6, NO_FLAGS, Neighbor, NeighFlag, NudState
from neighctl.snapshot import IFF_LOOPBACK, IFF_UP, Link, NamespaceSnapshot, Snapshot
from neighctl.timers import TableParms

S = NudState
F = NeighFlag


def entry(
    dst: str,
    state: NudState = S.STALE,
    flags: NeighFlag = NO_FLAGS,
    dev: str = "eth0",
    family: int = AF_INET,
) -> Neighbor:
    lladdr = None if state & (S.FAILED | S.INCOMPLETE) else "02:00:00:00:00:01"
    return Neighbor(family=family, dst=dst, dev=dev, state=state, flags=flags, lladdr=lladdr)


def namespace(name: str, entries: list[Neighbor], *, loopback: str = "lo") -> NamespaceSnapshot:
    links = [
        Link(index=1, name=loopback, flags=IFF_UP | IFF_LOOPBACK),
        Link(index=2, name="eth0", flags=IFF_UP),
    ]
    return NamespaceSnapshot(name=name, inode=hash(name) & 0xFFFF, neighbors=entries, links=links)


def table(entries: int, t1: int = 128, t2: int = 512, t3: int = 1024, **stats: int) -> TableParms:
    return TableParms(
        family=AF_INET,
        gc_thresh1=t1,
        gc_thresh2=t2,
        gc_thresh3=t3,
        entries=entries,
        stats={"table_fulls": 0, "forced_gc_runs": 0, **stats},
    )


def many(prefix: str, n: int, **kwargs: object) -> list[Neighbor]:
    return [entry(f"{prefix}.{i // 256}.{i % 256}", **kwargs) for i in range(n)]  # type: ignore[arg-type]


def snap(
    namespaces: list[NamespaceSnapshot],
    t: TableParms,
    *,
    complete: bool = True,
    before: TableParms | None = None,
    interval: float | None = None,
) -> Snapshot:
    return Snapshot(
        namespaces=namespaces,
        tables={AF_INET: t, AF_INET6: t._replace(family=AF_INET6, name="ndisc_cache", entries=0)},
        complete=complete,
        tables_before=None if before is None else {AF_INET: before},
        interval=interval,
    )


def inet(s: Snapshot) -> Finding:
    (finding,) = [f for f in capacity.check(s) if f.family == AF_INET]
    return finding


# --- the exemption rule -------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "reason"),
    [
        (entry("10.0.0.1", S.PERMANENT), "permanent"),
        (entry("10.0.0.1", S.STALE, F.EXT_LEARNED), "extern_learn"),
        (entry("10.0.0.1", S.FAILED, F.EXT_LEARNED | F.MANAGED), "extern_learn"),
        (entry("10.0.0.1", S.PERMANENT, F.EXT_LEARNED), "permanent"),
        (entry("0.0.0.0", S.NOARP, dev="lo"), "loopback"),
        (entry("10.0.0.1", S.NOARP), None),
        (entry("10.0.0.1", S.STALE, F.ROUTER), None),
        (entry("10.0.0.1", S.FAILED), None),
        (entry("10.0.0.1", S.INCOMPLETE, F.MANAGED), None),
        (entry("10.0.0.1", S.NONE), None),
    ],
)
def test_exempt_reason(n: Neighbor, reason: str | None) -> None:
    assert exempt_reason(n, {"lo"}) == reason


def test_counts_across_namespaces_with_proxy_apart() -> None:
    a = namespace(
        "a",
        [
            *many("10.1", 5),
            entry("10.9.0.1", S.PERMANENT),
            entry("10.9.0.2", S.REACHABLE, F.EXT_LEARNED),
            entry("10.9.0.3", S.NONE, F.PROXY),
            entry("127.0.0.1", S.NOARP, dev="lo"),
        ],
    )
    b = namespace("b", [*many("10.2", 7, state=S.FAILED), entry("fd00::1", family=AF_INET6)])
    counts = count_tables(snap([a, b], table(15)))
    c = counts[AF_INET]
    assert c.eligible == 12
    assert c.exempt == {"permanent": 1, "extern_learn": 1, "loopback": 1}
    assert c.proxy == 1
    assert c.by_place == {("a", "eth0"): 5, ("b", "eth0"): 7}
    assert c.states == {"STALE": 5, "FAILED": 7}
    assert c.complete
    assert counts[AF_INET6].eligible == 1


def test_loopback_is_the_iff_loopback_device_not_the_name() -> None:
    ns = namespace("a", [entry("10.0.0.1", S.NOARP, dev="lo0")], loopback="lo0")
    assert count_tables(snap([ns], table(1)))[AF_INET].exempt["loopback"] == 1


@given(st.lists(st.tuples(st.sampled_from(list(S)), st.sampled_from([0, 0x08, 0x10, 0x80, 0x100]))))
def test_every_entry_is_counted_once(pairs: list[tuple[NudState, int]]) -> None:
    entries = [
        entry(f"10.0.{i // 256}.{i % 256}", state, F(flags))
        for i, (state, flags) in enumerate(pairs)
    ]
    c = count_tables(snap([namespace("a", entries)], table(len(entries))))[AF_INET]
    assert c.eligible + c.exempt_total + c.proxy == len(entries)


# --- verdicts on injected numbers -----------------------------------------------------


def test_below_gc_thresh1_stale_and_failed_are_info() -> None:
    ns = namespace("a", [*many("10.1", 3), *many("10.2", 2, state=S.FAILED)])
    f = inet(snap([ns], table(5)))
    assert f.severity == Severity.INFO
    assert "below gc_thresh1 (128)" in f.title
    assert "STALE (3) and FAILED (2)" in f.title
    assert f.action is not None
    assert "flush --state failed" in f.action


def test_small_clean_table_is_ok() -> None:
    ns = namespace("a", many("10.1", 3, state=S.REACHABLE))
    f = inet(snap([ns], table(3)))
    assert f.severity == Severity.OK
    assert f.evidence["headroom"] == {"gc_thresh1": 125, "gc_thresh2": 509, "gc_thresh3": 1021}


def test_close_to_gc_thresh2_is_info() -> None:
    ns = namespace("a", many("10.1", 420, state=S.REACHABLE))
    f = inet(snap([ns], table(420)))
    assert f.severity == Severity.INFO
    assert "close to gc_thresh2" in f.title


def test_above_gc_thresh2_is_a_warning_naming_where() -> None:
    a = namespace("pod-a", many("10.1", 400))
    b = namespace("pod-b", many("10.2", 200, state=S.FAILED))
    f = inet(snap([a, b], table(600)))
    assert f.severity == Severity.WARNING
    assert "600 gc-eligible entries are above gc_thresh2 (512)" in f.title
    assert f.action is not None
    assert "pod-a/eth0: 400" in f.action
    assert "pod-b/eth0: 200" in f.action
    assert "gc_thresh3=2048" in f.action
    assert f.evidence["eligible_by_place"][0] == {"netns": "pod-a", "dev": "eth0", "eligible": 400}


def test_at_gc_thresh3_is_critical() -> None:
    ns = namespace("a", many("10.1", 1024))
    f = inet(snap([ns], table(1024)))
    assert f.severity == Severity.CRITICAL
    assert "neighbor table overflow!" in f.title
    assert "neither FAILED nor NOARP" in f.title  # all STALE: forced GC frees little


def test_exempt_entries_do_not_count_however_many() -> None:
    """50,000 PERMANENT entries (Calico's workloads): `ip ntable` says 50,010, no problem."""
    ns = namespace("host", [*many("10.1", 50_000, state=S.PERMANENT), *many("10.3", 10)])
    f = inet(snap([ns], table(50_010)))
    assert f.severity < Severity.WARNING
    assert "though the table holds 50010" in f.title
    assert "50000 of the table's 50010 entries are exempt" in f.title
    assert f.evidence["gc_eligible"] == 10


def test_table_fulls_growing_over_the_interval_is_critical() -> None:
    ns = namespace("a", many("10.1", 100))
    before = table(100, table_fulls=7, forced_gc_runs=40)
    after = table(100, table_fulls=19, forced_gc_runs=52)
    f = inet(snap([ns], after, before=before, interval=10.0))
    assert f.severity == Severity.CRITICAL
    assert "overflowed 12 times in the last 10 s" in f.title
    assert f.evidence["table_fulls_increase"] == 12
    assert f.evidence["forced_gc_runs_increase"] == 12


def test_table_fulls_since_boot_without_interval_is_info() -> None:
    """A count since boot may be weeks old: info, pointing at --interval (which tells)."""
    ns = namespace("a", many("10.1", 10))
    f = inet(snap([ns], table(10, table_fulls=3)))
    assert f.severity == Severity.INFO
    assert "3 times since boot" in f.title
    assert f.action is not None
    assert "--interval" in f.action


def test_table_fulls_not_growing_over_the_interval_is_not_a_warning() -> None:
    ns = namespace("a", many("10.1", 10, state=S.REACHABLE))
    t = table(10, table_fulls=3, forced_gc_runs=5)
    f = inet(snap([ns], t, before=t, interval=5.0))
    assert f.severity == Severity.OK


def test_forced_gc_over_the_interval_is_a_warning() -> None:
    ns = namespace("a", many("10.1", 10, state=S.REACHABLE))
    f = inet(
        snap(
            [ns],
            table(10, forced_gc_runs=9),
            before=table(10, forced_gc_runs=4),
            interval=2.0,
        )
    )
    assert f.severity == Severity.WARNING
    assert "forced GC ran 5 times" in f.title


def test_partial_snapshot_uses_the_table_total_as_a_bound() -> None:
    """Only this namespace read: 3,000 entries elsewhere may be eligible: info, not alarm."""
    ns = namespace("host", many("10.1", 20, state=S.REACHABLE))
    f = inet(snap([ns], table(3020), complete=False))
    assert f.severity == Severity.INFO
    assert f.evidence["gc_eligible_upper_bound"] == 3020
    assert f.action == "count them all: neighctl doctor --check capacity --all-namespaces"


def test_unread_namespace_makes_the_count_incomplete() -> None:
    ok = namespace("a", many("10.1", 3))
    bad = NamespaceSnapshot(name=None, inode=77, error="permission denied")
    c = count_tables(snap([ok, bad], table(3)))[AF_INET]
    assert not c.complete
    assert c.unread == ["inode:77"]


def test_skipped_without_tables() -> None:
    from neighctl.diagnose import run_checks

    report = run_checks(Snapshot(namespaces=[namespace("a", [])], tables=None), ["capacity"])
    assert report.checks == []
    assert "capacity" in report.skipped


@pytest.mark.parametrize(
    ("eligible", "expected"),
    [(0, (128, 512, 1024)), (600, (256, 1024, 2048)), (5000, (2048, 8192, 16384))],
)
def test_suggested_thresholds(eligible: int, expected: tuple[int, int, int]) -> None:
    assert capacity.suggested_thresholds(eligible) == expected
    t1, t2, t3 = capacity.suggested_thresholds(eligible)
    assert t3 >= 2 * eligible
    assert t1 < t2 < t3


def _suggested(action: str | None) -> tuple[int, int, int]:
    assert action is not None
    values = [int(action.split(f"gc_thresh{i}=")[1].split()[0].rstrip(";")) for i in (1, 2, 3)]
    return values[0], values[1], values[2]


@pytest.mark.parametrize(
    ("t", "before", "eligible"),
    [
        # gc_thresh3 raised alone, long ago; gc_thresh2 is the one being passed
        (table(600, 128, 512, 65536), None, 600),
        # near gc_thresh2: the advice must move it
        (table(420, 128, 512, 1024), None, 420),
        # forced GC ran over the interval while the count is low now
        (
            table(300, 1024, 4096, 8192, forced_gc_runs=9),
            table(300, 1024, 4096, 8192, forced_gc_runs=4),
            300,
        ),
        # the table overflowed over the interval while the count is low now
        (
            table(300, 1024, 4096, 8192, table_fulls=9),
            table(300, 1024, 4096, 8192, table_fulls=4),
            300,
        ),
    ],
)
def test_advice_to_raise_never_lowers_and_always_raises(
    t: TableParms, before: TableParms | None, eligible: int
) -> None:
    ns = namespace("a", many("10.1", eligible, state=S.REACHABLE))
    f = inet(snap([ns], t, before=before, interval=None if before is None else 5.0))
    assert f.severity >= Severity.INFO
    t1, t2, t3 = _suggested(f.action)
    current = (t.gc_thresh1, t.gc_thresh2, t.gc_thresh3)
    assert all(new >= old for new, old in zip((t1, t2, t3), current, strict=True))
    assert t2 > max(eligible, t.gc_thresh2)
    if t.stats["table_fulls"]:
        assert t3 > t.gc_thresh3
