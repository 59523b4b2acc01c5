"""Every metric neighctl exports: name, type, help and labels, declared once (stdlib only).

The families module builds samples from these specs, docs/metrics.md lists
them, and the tests check that the two agree. Names follow Prometheus'
conventions: one prefix (``neighctl_``), the unit or ``_entries``/``_ratio``
in the name, ``_total`` on counters (added by the exposition writer), no
per-address labels unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from neighctl.model import FLAG_WORDS, NeighFlag

PREFIX = "neighctl_"
NETNS_LABEL = "netns"

GAUGE = "gauge"
COUNTER = "counter"
INFO = "info"  # value 1, the data in the labels; the samples end in _info

# When a metric is exported.
ALWAYS = "always"
COMPLETE = "complete"  # only when every namespace was read (--all-namespaces)
DOCTOR = "doctor"  # only when the doctor's checks ran
PER_ADDRESS = "per-address"  # only with --per-address
LISTEN = "listen"  # only under --listen (needs a running watcher)


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """One metric family.

    ``name`` is the family name without ``_total``/``_info``; ``sample`` is the name of
    its samples in the exposition. ``netns`` says whether the family takes the
    ``netns`` label under --all-namespaces (per-namespace data does; the
    kernel-wide tables do not).
    """

    name: str
    kind: str
    help: str
    labels: tuple[str, ...]
    when: str = ALWAYS
    netns: bool = False

    @property
    def sample(self) -> str:
        suffix = {COUNTER: "_total", INFO: "_info"}.get(self.kind, "")
        return self.name + suffix

    def label_names(self, with_netns: bool) -> list[str]:
        return [NETNS_LABEL, *self.labels] if (with_netns and self.netns) else list(self.labels)


def _spec(name: str, kind: str, help: str, labels: tuple[str, ...], **kw: object) -> MetricSpec:
    return MetricSpec(PREFIX + name, kind, help, labels, **kw)  # type: ignore[arg-type]


ENTRIES = _spec(
    "neighbor_entries",
    GAUGE,
    "Neighbour-table entries (what `ip neigh show nud all` lists), by family, device and "
    "NUD state.",
    ("family", "dev", "state"),
    netns=True,
)
FLAGGED = _spec(
    "neighbor_flagged_entries",
    GAUGE,
    "Neighbour-table entries carrying a flag (router, extern_learn, managed, offload), "
    "by family, device and flag; an entry with two flags counts under each.",
    ("family", "dev", "flag"),
    netns=True,
)
PROXY = _spec(
    "proxy_entries",
    GAUGE,
    "Proxy entries (`ip neigh show proxy`: the addresses this node answers for), by family "
    "and device.",
    ("family", "dev"),
    netns=True,
)
TABLE_ENTRIES = _spec(
    "table_entries",
    GAUGE,
    "Entries in the kernel's table for a family, every namespace and state included "
    "(ndtc_entries, what `ip ntable` prints).",
    ("family",),
)
GC_ELIGIBLE = _spec(
    "table_gc_eligible_entries",
    GAUGE,
    "Entries the kernel counts against gc_thresh2/3 (not PERMANENT, not extern_learn, not on "
    "loopback), across every namespace; exported only when every namespace was read.",
    ("family",),
    when=COMPLETE,
)
GC_EXEMPT = _spec(
    "table_gc_exempt_entries",
    GAUGE,
    "Entries exempt from garbage collection, by reason (permanent, extern_learn, loopback), "
    "across every namespace; exported only when every namespace was read.",
    ("family", "reason"),
    when=COMPLETE,
)
_THRESH_HELP = (
    "gc_thresh1: below this many entries periodic garbage collection does nothing.",
    "gc_thresh2: above this many GC-eligible entries an allocation forces a GC "
    "(if none ran in the last 5 s).",
    "gc_thresh3: at this many GC-eligible entries an allocation forces a GC and fails "
    "(table_fulls) if that frees nothing.",
)
GC_THRESH = tuple(
    _spec(f"table_gc_thresh{n}_entries", GAUGE, text, ("family",))
    for n, text in enumerate(_THRESH_HELP, start=1)
)
PRESSURE = _spec(
    "table_gc_pressure_ratio",
    GAUGE,
    "GC-eligible entries divided by gc_thresh3: the comparison neigh_alloc makes (forced GC "
    "from gc_thresh2/gc_thresh3, allocation failures at 1); only when every namespace was read.",
    ("family",),
    when=COMPLETE,
)

# struct ndt_stats field -> (metric name, help). Kernel-wide counters of each table.
TABLE_COUNTERS: dict[str, MetricSpec] = {
    field: _spec(name, COUNTER, text, ("family",))
    for field, name, text in (
        ("allocs", "table_allocs", "Entries allocated."),
        ("destroys", "table_destroys", "Entries destroyed."),
        ("hash_grows", "table_hash_grows", "Times the table's hash was enlarged."),
        ("res_failed", "table_res_failed", "Resolutions that failed (entries that went FAILED)."),
        ("lookups", "table_lookups", "Table lookups."),
        ("hits", "table_hits", "Table lookups that found an entry."),
        ("rcv_probes_mcast", "table_rcv_probes_mcast", "Multicast solicitations received."),
        ("rcv_probes_ucast", "table_rcv_probes_ucast", "Unicast solicitations received."),
        ("periodic_gc_runs", "table_periodic_gc_runs", "Periodic garbage-collection runs."),
        ("forced_gc_runs", "table_forced_gc_runs", "Forced garbage collections (gc_thresh2/3)."),
        (
            "table_fulls",
            "table_fulls",
            "Allocations refused because the table was full after a forced GC "
            '(the kernel logs "neighbor table overflow!" and drops the packet).',
        ),
    )
}

DOCTOR_FINDINGS = _spec(
    "doctor_findings",
    GAUGE,
    "Findings of `neighctl doctor`'s checks, by check id and severity (0 for each check "
    "that ran and found nothing at that severity).",
    ("check", "severity"),
    when=DOCTOR,
)
NAMESPACES_READ = _spec(
    "namespaces_read",
    GAUGE,
    "Network namespaces whose neighbour table was read.",
    (),
)
NAMESPACES_UNREADABLE = _spec(
    "namespaces_unreadable",
    GAUGE,
    "Network namespaces found but not readable (gone while read, or not permitted).",
    (),
)
COLLECT_SECONDS = _spec(
    "collect_duration_seconds",
    GAUGE,
    "Seconds spent reading the kernel and checking it for this exposition.",
    (),
)
ENTRY_INFO = _spec(
    "neighbor_entry",
    INFO,
    "One series per entry (value 1) with its address and MAC: only with --per-address, "
    "and only while the scope holds at most the per-address limit of entries.",
    ("family", "dev", "dst", "lladdr", "state"),
    when=PER_ADDRESS,
    netns=True,
)

LLADDR_CHANGES = _spec(
    "lladdr_changes",
    COUNTER,
    "Changes of an entry's link-layer address between two known MACs (failover, or "
    "flapping/spoofing), by family and device; needs --listen.",
    ("family", "dev"),
    when=LISTEN,
    netns=True,
)
TRANSITIONS = _spec(
    "state_transitions",
    COUNTER,
    "NUD state changes of existing entries seen by the watcher, by family and from/to state; "
    "needs --listen.",
    ("family", "from_state", "to_state"),
    when=LISTEN,
    netns=True,
)
CREATED = _spec(
    "entries_created",
    COUNTER,
    "Entries that appeared, by family and initial state; needs --listen.",
    ("family", "state"),
    when=LISTEN,
    netns=True,
)
DELETED = _spec(
    "entries_deleted",
    COUNTER,
    "Entries that were removed (garbage collection, flush, del), by family and last state; "
    "needs --listen.",
    ("family", "state"),
    when=LISTEN,
    netns=True,
)
RESYNCS = _spec(
    "watch_resyncs",
    COUNTER,
    "Times the kernel dropped notifications (ENOBUFS) and the watcher re-read the table; "
    "changes found by the re-read are counted once; needs --listen.",
    (),
    when=LISTEN,
    netns=True,
)
WATCHED = _spec(
    "watched_namespaces",
    GAUGE,
    "Namespaces with a running watcher feeding the *_total event counters; needs --listen.",
    (),
    when=LISTEN,
)

SNAPSHOT_METRICS: tuple[MetricSpec, ...] = (
    ENTRIES,
    FLAGGED,
    PROXY,
    TABLE_ENTRIES,
    GC_ELIGIBLE,
    GC_EXEMPT,
    *GC_THRESH,
    PRESSURE,
    *TABLE_COUNTERS.values(),
    DOCTOR_FINDINGS,
    NAMESPACES_READ,
    NAMESPACES_UNREADABLE,
    COLLECT_SECONDS,
    ENTRY_INFO,
)
EVENT_METRICS: tuple[MetricSpec, ...] = (
    LLADDR_CHANGES,
    TRANSITIONS,
    CREATED,
    DELETED,
    RESYNCS,
    WATCHED,
)
ALL_METRICS: tuple[MetricSpec, ...] = SNAPSHOT_METRICS + EVENT_METRICS

# Flags counted by neighctl_neighbor_flagged_entries, as (bit, label value).
FLAG_LABELS: tuple[tuple[int, str], ...] = tuple(
    (int(flag), word) for flag, word in FLAG_WORDS if flag is not NeighFlag.PROXY
)
