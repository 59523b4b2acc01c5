"""A snapshot (and the doctor's report) as Prometheus metric families: a pure function.

Nothing here reads the kernel: the collector hands in a Snapshot, so tests
build one by hand and the same code serves a live node or a saved one. The
per-entry pass is one dictionary increment per entry; everything else works
on the handful of (family, device, state, flags) combinations that result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    InfoMetricFamily,
    Metric,
)

from neighctl.diagnose.accounting import EXEMPT_REASONS, count_tables
from neighctl.diagnose.findings import Report, Severity
from neighctl.metrics import catalogue as cat
from neighctl.metrics.catalogue import COUNTER, INFO, MetricSpec
from neighctl.model import FAMILY_NAMES, NeighFlag, state_words
from neighctl.snapshot import NamespaceSnapshot, Snapshot

# Above this many entries in the scope, --per-address exports nothing per entry.
PER_ADDRESS_LIMIT = 1000

_PROXY = int(NeighFlag.PROXY)
_STATE_LABELS: dict[int, str] = {}


def state_label(state: int) -> str:
    """The `state` label of a NUD value: iproute2's upper-case word(s), NONE for 0."""
    label = _STATE_LABELS.get(state)
    if label is None:
        label = _STATE_LABELS[state] = "|".join(state_words(state)) or "NONE"
    return label


def family_label(family: int) -> str:
    return FAMILY_NAMES.get(family, str(family))


def new_family(spec: MetricSpec, with_netns: bool) -> GaugeMetricFamily | CounterMetricFamily:
    labels = spec.label_names(with_netns)
    assert spec.kind != INFO, "info families are built by _per_address_family"
    if spec.kind == COUNTER:
        return CounterMetricFamily(spec.name, spec.help, labels=labels)
    return GaugeMetricFamily(spec.name, spec.help, labels=labels)


Key = tuple[str, int, str, int, int]  # netns label, family, dev, state, flags


def count_entries(namespaces: Iterable[NamespaceSnapshot]) -> Counter[Key]:
    """Entries per (netns label, family, dev, state, flags)."""
    counts: Counter[Key] = Counter()
    for ns in namespaces:
        if ns.neighbors is None:
            continue
        label = ns.label
        ns_counts: Counter[tuple[int, str, int, int]] = Counter(
            (n.family, n.dev, n.state, n.flags) for n in ns.neighbors
        )
        for (family, dev, state, flags), count in ns_counts.items():
            counts[(label, family, dev, int(state), int(flags))] += count
    return counts


def snapshot_families(
    snapshot: Snapshot,
    report: Report | None = None,
    *,
    netns_label: bool = False,
    per_address: bool = False,
    per_address_limit: int = PER_ADDRESS_LIMIT,
    collect_seconds: float | None = None,
) -> list[Metric]:
    """Every metric a snapshot gives, in the catalogue's order.

    ``netns_label`` adds the ``netns`` label to per-namespace families (set it
    with --all-namespaces). Table-wide GC counts are exported only when the
    snapshot read every namespace (``snapshot.complete``); the doctor's
    findings only when ``report`` is given.
    """
    readable = [ns for ns in snapshot.namespaces if ns.error is None]
    out: list[Metric] = []
    out.extend(_entry_families(count_entries(readable), netns_label))
    out.extend(_table_families(snapshot))
    if report is not None:
        out.append(_doctor_family(report))
    read = new_family(cat.NAMESPACES_READ, False)
    read.add_metric([], len(readable))
    unreadable = new_family(cat.NAMESPACES_UNREADABLE, False)
    unreadable.add_metric([], len(snapshot.namespaces) - len(readable))
    out += [read, unreadable]
    if collect_seconds is not None:
        took = new_family(cat.COLLECT_SECONDS, False)
        took.add_metric([], collect_seconds)
        out.append(took)
    if per_address:
        total = sum(len(ns.neighbors or ()) for ns in readable)
        if total <= per_address_limit:
            out.append(_per_address_family(readable, netns_label))
    return out


def _entry_families(counts: Counter[Key], netns_label: bool) -> list[Metric]:
    entries: Counter[tuple[str, ...]] = Counter()
    flagged: Counter[tuple[str, ...]] = Counter()
    proxy: Counter[tuple[str, ...]] = Counter()
    for (label, family, dev, state, flags), count in counts.items():
        head: tuple[str, ...] = (label,) if netns_label else ()
        fam = family_label(family)
        where = (*head, fam, dev)
        if flags & _PROXY:
            proxy[where] += count
            continue
        with_state = (*where, state_label(state))
        entries[with_state] += count
        for bit, word in cat.FLAG_LABELS:
            if flags & bit:
                with_flag = (*where, word)
                flagged[with_flag] += count
    out: list[Metric] = []
    for spec, values in ((cat.ENTRIES, entries), (cat.FLAGGED, flagged), (cat.PROXY, proxy)):
        metric = new_family(spec, netns_label)
        for labels in sorted(values):
            metric.add_metric(list(labels), values[labels])
        out.append(metric)
    return out


def _table_families(snapshot: Snapshot) -> list[Metric]:
    tables = snapshot.tables
    if not tables:
        return []
    families = sorted(tables)
    out: list[Metric] = []
    total = new_family(cat.TABLE_ENTRIES, False)
    for fam in families:
        entries = tables[fam].entries
        if entries is not None:
            total.add_metric([family_label(fam)], entries)
    out.append(total)
    # The doctor's accounting (one home for the kernel's exemption rule). Its counts are
    # the kernel's only when every namespace was visited, so otherwise they are left out;
    # a namespace that could not be read makes them a lower bound, which
    # neighctl_namespaces_unreadable shows (absent counts would silence the alerts).
    complete = snapshot.complete
    counted = count_tables(snapshot) if complete else {}
    if complete:
        eligible = new_family(cat.GC_ELIGIBLE, False)
        exempt = new_family(cat.GC_EXEMPT, False)
        for fam in families:
            if fam not in counted:
                continue  # a table the accounting does not model (neither ARP nor ND)
            eligible.add_metric([family_label(fam)], counted[fam].eligible)
            for reason in EXEMPT_REASONS:
                exempt.add_metric([family_label(fam), reason], counted[fam].exempt[reason])
        out += [eligible, exempt]
    for n, spec in enumerate(cat.GC_THRESH, start=1):
        thresh = new_family(spec, False)
        for fam in families:
            thresh.add_metric([family_label(fam)], getattr(tables[fam], f"gc_thresh{n}"))
        out.append(thresh)
    if complete:
        pressure = new_family(cat.PRESSURE, False)
        for fam in families:
            if fam not in counted:
                continue
            limit = tables[fam].gc_thresh3
            ratio = counted[fam].eligible / limit if limit > 0 else float("inf")
            pressure.add_metric([family_label(fam)], ratio)
        out.append(pressure)
    for field, spec in cat.TABLE_COUNTERS.items():
        counter = new_family(spec, False)
        for fam in families:
            stats = tables[fam].stats
            if field in stats:
                counter.add_metric([family_label(fam)], stats[field])
        out.append(counter)
    return out


def _doctor_family(report: Report) -> Metric:
    checks = list(dict.fromkeys([*report.checks, *(f.check for f in report.findings)]))
    found: Counter[tuple[str, Severity]] = Counter((f.check, f.severity) for f in report.findings)
    family = new_family(cat.DOCTOR_FINDINGS, False)
    for check in checks:
        for severity in Severity:
            family.add_metric([check, severity.word], found[(check, severity)])
    return family


def _per_address_family(namespaces: list[NamespaceSnapshot], netns_label: bool) -> Metric:
    spec = cat.ENTRY_INFO
    # InfoMetricFamily takes the leading label names; the rest come with each sample.
    head_names = [cat.NETNS_LABEL] if netns_label else []
    family = InfoMetricFamily(spec.name, spec.help, labels=head_names)
    for ns in namespaces:
        head = [ns.label] if netns_label else []
        for n in ns.neighbors or ():
            if n.is_proxy:
                continue
            family.add_metric(
                head,
                {
                    "family": family_label(n.family),
                    "dev": n.dev,
                    "dst": n.dst,
                    "lladdr": n.lladdr or "",
                    "state": state_label(n.state),
                },
            )
    return family
