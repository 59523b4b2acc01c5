"""`sysctl -a` and `ip [-s] ntable show` text -> sysctls, NeighParms and TableParms.

`sysctl -a` lines are ``name = value``. Neighbour parameters live under
``net.ipv{4,6}.neigh.DEV.*`` (units per timers.SYSCTL: the `_ms` files in
ms, delay_first_probe_time and gc_stale_time in seconds, locktime and
proxy/anycast delays in USER_HZ ticks), the table thresholds under
``net.ipv{4,6}.neigh.default.gc_thresh1/2/3`` and ``gc_interval`` (seconds).

`ip ntable show` (ip/ipntable.c) prints a block per table and device:
``inet arp_cache`` then ``dev NAME`` (none for the defaults) and ``key value``
pairs with times in milliseconds; the table's own block adds ``thresh1 ...
gc_int MS``, ``config ... entries N`` and (with -s) ``stats allocs N ...``.
"""

from __future__ import annotations

from typing import Any

from neighctl.model import AF_INET, AF_INET6
from neighctl.timers import (
    DEFAULT_TABLES,
    STATS_FIELDS,
    SYSCTL,
    NeighParms,
    TableParms,
    defaults,
    from_sysctl_value,
)


def parse_sysctls(text: str) -> dict[str, str]:
    """``name = value`` lines as a dict (other lines, such as permission errors, skipped)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        name, sep, value = line.partition(" = ")
        if sep and name and " " not in name.strip():
            out[name.strip()] = value.strip()
    return out


def looks_like_sysctls(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    return (
        bool(lines)
        and sum(" = " in line and "." in line.split(" = ")[0] for line in lines) > len(lines) // 2
    )


_FAMILIES = {"ipv4": AF_INET, "ipv6": AF_INET6}


def parms_from_sysctls(sysctls: dict[str, str]) -> list[NeighParms]:
    """Each device's (and the defaults') neighbour parameters found in the sysctls."""
    by_dev: dict[tuple[int, str], dict[str, Any]] = {}
    files = {file: param for param, (file, _unit) in SYSCTL.items()}
    for name, value in sysctls.items():
        parts = name.split(".")
        if len(parts) != 5 or parts[0] != "net" or parts[2] != "neigh" or parts[1] not in _FAMILIES:
            continue
        param = files.get(parts[4])
        if param is None:
            continue
        try:
            number = from_sysctl_value(param, value)
        except (ValueError, IndexError):
            continue
        by_dev.setdefault((_FAMILIES[parts[1]], parts[3]), {})[param] = number
    out = []
    for (family, dev), values in sorted(by_dev.items()):
        base = defaults(family)._replace(**values)
        out.append(base._replace(dev=None if dev == "default" else dev))
    return out


def tables_from_sysctls(sysctls: dict[str, str]) -> dict[int, TableParms] | None:
    """Thresholds and GC interval of each family's table; None if the sysctls lack them."""
    out: dict[int, TableParms] = {}
    for fam, family in _FAMILIES.items():
        prefix = f"net.{fam}.neigh.default."
        values: dict[str, Any] = {}
        for key in ("gc_thresh1", "gc_thresh2", "gc_thresh3", "gc_interval"):
            text = sysctls.get(prefix + key)
            if text is not None and text.split()[0].isdigit():
                values[key] = int(text.split()[0])
        if not any(k.startswith("gc_thresh") for k in values):
            continue
        if "gc_interval" in values:
            values["gc_interval"] *= 1000  # seconds in the sysctl, ms in TableParms
        out[family] = DEFAULT_TABLES[family]._replace(**values)
    return out or None


# `ip ntable` key -> NeighParms field (times already in ms).
_NTABLE_PARMS = {
    "reachable": "reachable_time",
    "base_reachable": "base_reachable_time",
    "retrans": "retrans_time",
    "gc_stale": "gc_stale_time",
    "delay_probe": "delay_first_probe_time",
    "queue": "queue_len",
    "app_probes": "app_solicit",
    "ucast_probes": "ucast_solicit",
    "mcast_probes": "mcast_solicit",
    "mcast_reprobes": "mcast_resolicit",
    "anycast_delay": "anycast_delay",
    "proxy_delay": "proxy_delay",
    "proxy_queue": "proxy_qlen",
    "locktime": "locktime",
    "interval_probe_time_ms": "interval_probe_time_ms",
}
_TABLE_KEYS = {
    "thresh1": "gc_thresh1",
    "thresh2": "gc_thresh2",
    "thresh3": "gc_thresh3",
    "gc_int": "gc_interval",
}
_STATS = frozenset(STATS_FIELDS)


def parse_ntable(text: str) -> tuple[list[NeighParms], dict[int, TableParms]]:
    """(per-device and default parameters, per-family tables) from `ip [-s] ntable show`."""
    parms: list[NeighParms] = []
    tables: dict[int, TableParms] = {}
    for head, pairs in _blocks(text):
        family = AF_INET6 if head[0] == "inet6" else AF_INET
        numbers = {k: int(v) for k, v in pairs.items() if v.isdigit()}
        fields = {
            _NTABLE_PARMS[k]: v
            for k, v in numbers.items()
            if k in _NTABLE_PARMS and _NTABLE_PARMS[k] in NeighParms._fields
        }
        dev = pairs.get("dev")
        if any(k in pairs for k in _TABLE_KEYS) or "entries" in pairs:
            table = tables.get(family, DEFAULT_TABLES[family]._replace(name=head[1]))
            changes: dict[str, Any] = {
                _TABLE_KEYS[k]: v for k, v in numbers.items() if k in _TABLE_KEYS
            }
            table = table._replace(
                **changes,
                entries=numbers.get("entries", table.entries),
                stats={k: v for k, v in numbers.items() if k in _STATS} or table.stats,
            )
            tables[family] = table
        if fields:
            parms.append(defaults(family)._replace(dev=dev, **fields))
    return parms, tables


def _blocks(text: str) -> list[tuple[list[str], dict[str, str]]]:
    """(the `inet arp_cache` words, the block's key-value pairs) of each block."""
    blocks: list[tuple[list[str], dict[str, str]]] = []
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] in ("inet", "inet6") and len(words) == 2 and words[1].endswith("_cache"):
            blocks.append((words, {}))
        elif blocks and line[:1].isspace() and words[0] not in ("last_flush", "hash_rnd"):
            if words[0] in ("stats", "config"):
                words = words[1:]
            blocks[-1][1].update(zip(words[::2], words[1::2], strict=False))
    return blocks


def looks_like_ntable(text: str) -> bool:
    return any(
        line.split()[:1] in (["inet"], ["inet6"]) and line.strip().endswith("_cache")
        for line in text.splitlines()[:5]
        if line.strip()
    )
