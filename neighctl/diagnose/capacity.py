"""capacity: gc-eligible entries, over every namespace, against gc_thresh1/2/3.

The kernel's rules (net/core/neighbour.c): neigh_alloc compares the table's
gc_entries (see accounting.py) with gc_thresh3, and with gc_thresh2 once 5 s
have passed since the last forced GC; above them it runs forced GC, which
frees only unreferenced eligible entries that are FAILED, NOARP or not
updated for 5 s. When that frees nothing above gc_thresh3, the new entry is
refused ("neighbor table overflow!", table_fulls + 1, ENOBUFS). Periodic GC
does nothing while the table's entries (all of them) are below gc_thresh1.
"""

from __future__ import annotations

from typing import Any

from neighctl.diagnose.accounting import TableCount, count_tables, stats_delta
from neighctl.diagnose.common import SkipCheck, family_name
from neighctl.diagnose.findings import Finding, Severity
from neighctl.model import AF_INET6
from neighctl.snapshot import Snapshot
from neighctl.timers import TableParms

CHECK = "capacity"
TOP_PLACES = 10
# Above this share of gc_thresh2 the verdict says the table is getting close.
NEAR = 0.8


def check(snapshot: Snapshot) -> list[Finding]:
    if not snapshot.tables:
        raise SkipCheck("the tables' thresholds and counters were not read")
    counts = count_tables(snapshot)
    return [verdict(counts[fam], snapshot) for fam in sorted(counts) if fam in snapshot.tables]


def _sysctl_prefix(family: int) -> str:
    return f"net.{'ipv6' if family == AF_INET6 else 'ipv4'}.neigh.default"


def suggested_thresholds(eligible: int, current: TableParms | None = None) -> tuple[int, int, int]:
    """Thresholds with room: thresh3 more than twice the eligible entries, a
    power of two; thresh2 half of it (so above the eligible entries), thresh1
    a quarter of thresh2. None below its ``current`` value: advice to raise
    the thresholds must never lower one that was set higher."""
    thresh3 = 1024
    while thresh3 <= 2 * eligible:
        thresh3 *= 2
    t1, t2, t3 = max(128, thresh3 // 8), thresh3 // 2, thresh3
    if current is None:
        return t1, t2, t3
    return (
        max(t1, current.gc_thresh1),
        max(t2, current.gc_thresh2),
        max(t3, current.gc_thresh3),
    )


def verdict(count: TableCount, snapshot: Snapshot) -> Finding:
    """One family's finding; pure, so thresholds and counters can be injected."""
    table = count.table
    family = count.family
    eligible = count.eligible
    upper = count.eligible_upper
    stats = table.stats
    before = (snapshot.tables_before or {}).get(family)
    fulls_delta = stats_delta(before, table, "table_fulls")
    forced_delta = stats_delta(before, table, "forced_gc_runs")
    places = [
        {"netns": ns, "dev": dev, "eligible": n}
        for (ns, dev), n in count.by_place.most_common(TOP_PLACES)
    ]
    evidence: dict[str, Any] = {
        "table": table.name,
        "entries": table.entries,
        "gc_eligible": count.eligible,
        "gc_eligible_upper_bound": upper,
        "exempt": dict(count.exempt),
        "proxy_entries": count.proxy,
        "gc_thresh1": table.gc_thresh1,
        "gc_thresh2": table.gc_thresh2,
        "gc_thresh3": table.gc_thresh3,
        "headroom": count.headroom(),
        "complete": count.complete,
        "namespaces_read": count.namespaces,
        "unread_namespaces": count.unread,
        "eligible_states": dict(count.states.most_common()),
        "eligible_by_place": places,
        "table_fulls": stats.get("table_fulls"),
        "forced_gc_runs": stats.get("forced_gc_runs"),
    }
    if snapshot.interval is not None:
        evidence["interval"] = snapshot.interval
        evidence["table_fulls_increase"] = fulls_delta
        evidence["forced_gc_runs_increase"] = forced_delta
    where = _where(count)
    prefix = _sysctl_prefix(family)

    def raise_to(peak: int) -> str:
        """The sysctl for room above ``peak`` gc-eligible entries."""
        t1, t2, t3 = suggested_thresholds(peak, table)
        return (
            f"sysctl -w {prefix}.gc_thresh1={t1} {prefix}.gc_thresh2={t2} "
            f"{prefix}.gc_thresh3={t3} (in the initial namespace: the thresholds are global)"
        )

    # Every verdict that suggests raising them is at or near gc_thresh2.
    raise_cmd = raise_to(max(upper, table.gc_thresh2))
    notes: list[str] = []
    total = table.entries
    if (
        total is not None
        and count.complete
        and total >= table.gc_thresh1
        and count.exempt_total * 2 > total
    ):
        notes.append(
            f"{count.exempt_total} of the table's {total} entries are exempt (PERMANENT, "
            "extern_learn, loopback): GC never collects them and the kernel does not "
            "count them against gc_thresh2/3; only deleting them shrinks the table"
        )
    partial = not count.complete and upper != eligible

    severity = Severity.OK
    title = (
        f"{eligible} gc-eligible entries, below gc_thresh2 ({table.gc_thresh2}) "
        f"and gc_thresh3 ({table.gc_thresh3})"
    )
    action: str | None = None
    if eligible >= table.gc_thresh3:
        severity = Severity.CRITICAL
        title = (
            f"{eligible} gc-eligible entries reach gc_thresh3 ({table.gc_thresh3}): new "
            'neighbours are refused when forced GC frees nothing ("neighbor table overflow!")'
        )
        action = f"raise the thresholds: {raise_cmd}; {where}"
    elif eligible >= table.gc_thresh2:
        severity = Severity.WARNING
        title = (
            f"{eligible} gc-eligible entries are above gc_thresh2 ({table.gc_thresh2}): "
            "allocations run forced GC, which evicts entries not updated for 5 s"
        )
        action = (
            f"raise the thresholds before gc_thresh3 ({table.gc_thresh3}): {raise_cmd}; {where}"
        )
    elif upper >= table.gc_thresh2:
        severity = Severity.INFO
        title = (
            f"the table holds {total} entries; the namespace(s) read hold {eligible} "
            f"gc-eligible ones, and up to {upper - eligible} more may be in namespaces not "
            f"read: together they may pass gc_thresh2 ({table.gc_thresh2})"
        )
        action = "count them all: neighctl doctor --check capacity --all-namespaces"
        partial = False  # the title says so
    elif eligible >= NEAR * table.gc_thresh2:
        severity = Severity.INFO
        title = f"{eligible} gc-eligible entries are close to gc_thresh2 ({table.gc_thresh2})"
        action = f"consider: {raise_cmd}"
    elif total is not None and total >= table.gc_thresh3 and count.complete:
        title = (
            f"{eligible} gc-eligible entries, below gc_thresh2 ({table.gc_thresh2}) and "
            f"gc_thresh3 ({table.gc_thresh3}), though the table holds {total} "
            "(the number `ip ntable` prints)"
        )

    if fulls_delta:
        severity = Severity.CRITICAL
        title = (
            f"the table overflowed {fulls_delta} times in the last {snapshot.interval:g} s "
            f"(table_fulls): new neighbours are being refused; {eligible} gc-eligible entries"
        )
        # The count reached gc_thresh3 at the time, whatever it is now.
        action = f"{raise_to(max(upper, table.gc_thresh3))}; {where}"
    elif stats.get("table_fulls") and fulls_delta is None and severity < Severity.WARNING:
        # A count since boot says nothing about now: a warning would keep a readiness
        # probe failing for good after one overflow long ago. --interval tells.
        severity = Severity.INFO
        title = (
            f"the table has overflowed {stats['table_fulls']} times since boot (table_fulls), "
            f"though {eligible} gc-eligible entries are below the thresholds now"
        )
        action = (
            "see whether it still happens: neighctl doctor --check capacity "
            "--all-namespaces --interval 60"
        )
    elif forced_delta and severity < Severity.WARNING:
        severity = Severity.WARNING
        title = (
            f"forced GC ran {forced_delta} times in the last {snapshot.interval:g} s: "
            "the table reaches gc_thresh2 at times"
        )
        action = raise_to(max(upper, table.gc_thresh2))  # it reached gc_thresh2 then

    if severity >= Severity.WARNING and count.states:
        collectable = count.states.get("FAILED", 0) + count.states.get("NOARP", 0)
        if collectable * 2 < count.eligible:
            notes.append(
                "most eligible entries are neither FAILED nor NOARP: forced GC frees those "
                "and entries not updated for 5 s, so it cannot free much"
            )
    if severity == Severity.OK and total is not None and total < table.gc_thresh1:
        stale = count.states.get("STALE", 0)
        failed = count.states.get("FAILED", 0)
        if stale or failed:
            severity = Severity.INFO
            title = (
                f"{total} entries, below gc_thresh1 ({table.gc_thresh1}): periodic GC "
                f"does not run, so STALE ({stale}) and FAILED ({failed}) entries stay until "
                "used or deleted"
            )
            if failed:
                action = "to drop FAILED entries: neighctl flush --state failed (per namespace)"
    if partial:
        notes.append(_partial_note(count))
    if notes:
        evidence["notes"] = notes
        title += "; " + "; ".join(notes)
    return Finding(
        check=CHECK,
        severity=severity,
        title=title,
        evidence=evidence,
        action=action,
        family=family,
    )


def _where(count: TableCount) -> str:
    if not count.by_place:
        return "no eligible entries were seen in the namespaces read"
    parts = [f"{ns}/{dev}: {n}" for (ns, dev), n in count.by_place.most_common(3)]
    return "most eligible entries are in " + ", ".join(parts)


def _partial_note(count: TableCount) -> str:
    if count.unread:
        return (
            f"counted over the {count.namespaces} namespaces read; {len(count.unread)} "
            "could not be read"
        )
    return f"counted over {count.namespaces} namespace(s), not the whole node"


__all__ = ["CHECK", "check", "family_name", "suggested_thresholds", "verdict"]
