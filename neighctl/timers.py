"""Neighbour parameters (ntable / sysctl) and the timers they produce, in seconds.

Stdlib only, and NamedTuples rather than dataclasses because they are created
ten times faster at import (start-up of `explain` is budgeted). `explain STATE` formats the kernel defaults from here without
touching the kernel; kernel/ntable.py fills the same structure from
RTM_GETNEIGHTBL for one interface.

Defaults are those of net/ipv4/arp.c (arp_tbl) and net/ipv6/ndisc.c (nd_tbl),
checked against a fresh namespace on Linux 6.18.
"""

from __future__ import annotations

from typing import NamedTuple

from neighctl.model import AF_INET, AF_INET6


class NeighParms(NamedTuple):
    """One interface's neighbour parameters (times in milliseconds).

    ``dev`` is None for the kernel defaults; ``reachable_time`` is the value
    currently drawn from 0.5-1.5 x base_reachable_time (None if unknown).
    """

    family: int
    dev: str | None = None
    base_reachable_time: int = 30000
    retrans_time: int = 1000
    delay_first_probe_time: int = 5000
    gc_stale_time: int = 60000
    ucast_solicit: int = 3
    mcast_solicit: int = 3
    app_solicit: int = 0
    mcast_resolicit: int = 0
    locktime: int = 1000
    proxy_delay: int = 800
    anycast_delay: int = 1000
    proxy_qlen: int = 64
    unres_qlen_bytes: int = 212992
    interval_probe_time_ms: int = 5000
    reachable_time: int | None = None
    queue_len: int | None = (
        None  # NDTPA_QUEUE_LEN: unres_qlen_bytes in packets (`ip ntable`'s queue)
    )


class TableParms(NamedTuple):
    """Per-table (per-family, whole-kernel) garbage-collection settings and counters.

    ``interval_probe_time_ms`` is the table's default parameter: the one work item
    that re-probes every `managed` entry reads it there (net/core/neighbour.c,
    neigh_managed_work), whatever a device's own value says.
    """

    family: int
    name: str = "arp_cache"
    gc_thresh1: int = 128
    gc_thresh2: int = 512
    gc_thresh3: int = 1024
    gc_interval: int = 30000
    entries: int | None = None
    stats: dict[str, int] = {}  # noqa: RUF012 (never mutated; a NamedTuple has no factories)
    interval_probe_time_ms: int = 5000


# struct ndt_stats (include/uapi/linux/neighbour.h), eleven u64 counters:
# the keys of TableParms.stats, in the kernel's order.
STATS_FIELDS = (
    "allocs",
    "destroys",
    "hash_grows",
    "res_failed",
    "lookups",
    "hits",
    "rcv_probes_mcast",
    "rcv_probes_ucast",
    "periodic_gc_runs",
    "forced_gc_runs",
    "table_fulls",
)


DEFAULT_PARMS: dict[int, NeighParms] = {
    AF_INET: NeighParms(family=AF_INET),
    AF_INET6: NeighParms(family=AF_INET6, locktime=0),
}
DEFAULT_TABLES: dict[int, TableParms] = {
    AF_INET: TableParms(family=AF_INET, name="arp_cache"),
    AF_INET6: TableParms(family=AF_INET6, name="ndisc_cache"),
}

# Parameter -> (sysctl file under /proc/sys/net/ipv{4,6}/neigh/DEV/, its unit).
# Units: "ms", "s" (seconds), "cs" (USER_HZ ticks, 1/100 s), "n" (a count), "bytes".
SYSCTL: dict[str, tuple[str, str]] = {
    "base_reachable_time": ("base_reachable_time_ms", "ms"),
    "retrans_time": ("retrans_time_ms", "ms"),
    "delay_first_probe_time": ("delay_first_probe_time", "s"),
    "gc_stale_time": ("gc_stale_time", "s"),
    "ucast_solicit": ("ucast_solicit", "n"),
    "mcast_solicit": ("mcast_solicit", "n"),
    "app_solicit": ("app_solicit", "n"),
    "mcast_resolicit": ("mcast_resolicit", "n"),
    "locktime": ("locktime", "cs"),
    "proxy_delay": ("proxy_delay", "cs"),
    "anycast_delay": ("anycast_delay", "cs"),
    "proxy_qlen": ("proxy_qlen", "n"),
    "unres_qlen_bytes": ("unres_qlen_bytes", "bytes"),
    "interval_probe_time_ms": ("interval_probe_time_ms", "ms"),
}
TIME_PARAMS = frozenset(name for name in SYSCTL if SYSCTL[name][1] in ("ms", "s", "cs"))
TABLE_PARAMS = ("gc_thresh1", "gc_thresh2", "gc_thresh3")
PARAM_NAMES: tuple[str, ...] = (*SYSCTL, *TABLE_PARAMS)


def sysctl_path(family: int, dev: str, param: str) -> str:
    """The /proc/sys file of ``param`` for ``dev`` (``default`` for the defaults)."""
    fam = "ipv6" if family == AF_INET6 else "ipv4"
    return f"/proc/sys/net/{fam}/neigh/{dev}/{SYSCTL[param][0]}"


def from_sysctl_value(param: str, text: str) -> int:
    """A /proc/sys value converted to this module's unit (ms for times)."""
    value = int(text.split()[0])
    unit = SYSCTL[param][1]
    return value * 1000 if unit == "s" else value * 10 if unit == "cs" else value


def defaults(family: int) -> NeighParms:
    return DEFAULT_PARMS[AF_INET6 if family == AF_INET6 else AF_INET]


def differences(parms: NeighParms) -> dict[str, tuple[int, int]]:
    """Parameters whose value differs from the kernel default: name -> (value, default)."""
    base = defaults(parms.family)
    out: dict[str, tuple[int, int]] = {}
    for name in NeighParms._fields:
        if name in ("family", "dev", "reachable_time", "queue_len"):
            continue
        value, default = getattr(parms, name), getattr(base, name)
        if value != default:
            out[name] = (value, default)
    return out


def seconds(ms: float) -> str:
    """Milliseconds as a short number of seconds: 30000 -> '30', 100 -> '0.1'."""
    value = ms / 1000
    if value == int(value):
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def approx(ms: float) -> str:
    """A measured or drawn time for people: 21864 -> '22', 2140 -> '2.1', 210 -> '0.21'."""
    value = ms / 1000
    if value >= 10:
        return str(round(value))
    if value >= 1:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


# --- derived timers (all in ms) ---------------------------------------------


def reachable_range(p: NeighParms) -> tuple[int, int]:
    """REACHABLE lasts reachable_time, drawn uniformly from [base/2, 3*base/2)."""
    base = p.base_reachable_time
    return base // 2, base + base // 2


def incomplete_probes(p: NeighParms) -> int:
    """Solicitations an unresolved entry sends before FAILED (neigh_max_probes)."""
    return p.mcast_solicit + p.app_solicit


def probe_probes(p: NeighParms) -> int:
    """Probes a PROBE entry sends before FAILED (ucast + app + mcast_resolicit)."""
    return p.ucast_solicit + p.app_solicit + p.mcast_resolicit


def retrans(p: NeighParms) -> int:
    """The probe interval; the kernel never goes below 10 ms (HZ/100)."""
    return max(p.retrans_time, 10)


def incomplete_duration(p: NeighParms) -> int:
    return incomplete_probes(p) * retrans(p)


def probe_duration(p: NeighParms) -> int:
    return probe_probes(p) * retrans(p)
