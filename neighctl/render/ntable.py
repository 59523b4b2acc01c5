"""ntable's views: text through rich, JSON with the same content in `ip -j ntable`'s keys.

Keys follow iproute2 (ip/ipntable.c) where it has one: thresh1..3,
gc_interval, entries; per device reachable, base_reachable, retrans,
gc_stale, delay_probe, queue, app_probes, ucast_probes, mcast_probes,
anycast_delay, proxy_delay, proxy_queue, locktime (times in ms). Added:
queue_lenbytes, mcast_reprobes and interval_probe_time_ms (which `ip ntable`
omits), the counters under "stats" (with -s), and "gc": the entries split
into gc-eligible and exempt over every namespace, with the headroom to each
threshold.
"""

from __future__ import annotations

import json
from typing import Any

from neighctl.diagnose.tables import NtableReport, TableView
from neighctl.model import FAMILY_NAMES
from neighctl.render.document import render_to_text
from neighctl.timers import STATS_FIELDS, NeighParms

# (JSON key, NeighParms field, unit for the text view)
PARM_KEYS: tuple[tuple[str, str, str], ...] = (
    ("reachable", "reachable_time", "ms"),
    ("base_reachable", "base_reachable_time", "ms"),
    ("retrans", "retrans_time", "ms"),
    ("gc_stale", "gc_stale_time", "ms"),
    ("delay_probe", "delay_first_probe_time", "ms"),
    ("queue", "queue_len", "pkts"),
    ("queue_lenbytes", "unres_qlen_bytes", "bytes"),
    ("app_probes", "app_solicit", ""),
    ("ucast_probes", "ucast_solicit", ""),
    ("mcast_probes", "mcast_solicit", ""),
    ("mcast_reprobes", "mcast_resolicit", ""),
    ("anycast_delay", "anycast_delay", "ms"),
    ("proxy_delay", "proxy_delay", "ms"),
    ("proxy_queue", "proxy_qlen", ""),
    ("locktime", "locktime", "ms"),
    ("interval_probe_time_ms", "interval_probe_time_ms", "ms"),
)
STAT_KEYS = STATS_FIELDS


def parms_json(p: NeighParms) -> dict[str, Any]:
    out: dict[str, Any] = {"dev": p.dev}
    for key, name, _ in PARM_KEYS:
        out[key] = getattr(p, name)
    return out


def gc_json(view: TableView) -> dict[str, Any]:
    count = view.count
    room = count.headroom()
    return {
        "eligible": count.eligible,
        "exempt": dict(count.exempt),
        "proxy": count.proxy,
        "headroom": {
            "thresh1": room["gc_thresh1"],
            "thresh2": room["gc_thresh2"],
            "thresh3": room["gc_thresh3"],
        },
        "complete": count.complete,
        "namespaces": count.namespaces,
        "unread_namespaces": count.unread,
        "eligible_by_namespace": _by_namespace(view),
    }


def _by_namespace(view: TableView) -> dict[str, int]:
    out: dict[str, int] = {}
    for (ns, _dev), n in view.count.by_place.items():
        out[ns] = out.get(ns, 0) + n
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def table_json(view: TableView, *, stats: bool) -> dict[str, Any]:
    t = view.table
    out: dict[str, Any] = {
        "family": FAMILY_NAMES.get(t.family, str(t.family)),
        "name": t.name,
        "thresh1": t.gc_thresh1,
        "thresh2": t.gc_thresh2,
        "thresh3": t.gc_thresh3,
        "gc_interval": t.gc_interval,
        "entries": t.entries,
        "gc": gc_json(view),
    }
    if stats:
        out["stats"] = {key: t.stats[key] for key in STAT_KEYS if key in t.stats}
    out["parms"] = [parms_json(p) for p in view.parms]
    return out


def ntable_json(report: NtableReport) -> dict[str, Any]:
    return {
        "netns": report.netns,
        "tables": [table_json(v, stats=report.stats) for v in report.tables],
    }


def render_ntable_json(report: NtableReport) -> str:
    return json.dumps(ntable_json(report), indent=2) + "\n"


def render_ntable_text(
    report: NtableReport, *, color: bool = False, width: int | None = None
) -> str:
    def draw(console: Any) -> None:
        from rich.table import Table
        from rich.text import Text

        for i, view in enumerate(report.tables):
            if i:
                console.print()
            t = view.table
            count = view.count
            room = count.headroom()
            fam = FAMILY_NAMES.get(t.family, str(t.family))
            console.print(
                Text(f"{fam} {t.name}", style="bold") + Text(f"  gc_interval {t.gc_interval} ms")
            )
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold")
            grid.add_column()
            grid.add_row(
                "thresholds",
                f"gc_thresh1 {t.gc_thresh1}  gc_thresh2 {t.gc_thresh2}  gc_thresh3 {t.gc_thresh3}",
            )
            grid.add_row(
                "entries",
                f"{t.entries} in the table, every namespace (the number `ip ntable` prints)",
            )
            scope = (
                f"over all {count.namespaces} namespaces"
                if count.complete
                else f"over {count.namespaces} namespaces read; unread: " + ", ".join(count.unread)
            )
            grid.add_row(
                "gc-eligible",
                f"{count.eligible} ({scope}); the kernel compares these with "
                f"gc_thresh2/3: headroom {room['gc_thresh2']} to gc_thresh2, "
                f"{room['gc_thresh3']} to gc_thresh3",
            )
            exempt = ", ".join(f"{k} {v}" for k, v in count.exempt.items())
            grid.add_row("exempt", f"{count.exempt_total} ({exempt}): never collected")
            grid.add_row("proxy", f"{count.proxy} (a separate list, in no count)")
            periodic = (
                f"idle: {t.entries} entries < gc_thresh1 ({t.gc_thresh1})"
                if t.entries is not None and t.entries < t.gc_thresh1
                else f"runs: {t.entries} entries >= gc_thresh1 ({t.gc_thresh1})"
            )
            grid.add_row("periodic GC", periodic)
            by_ns = _by_namespace(view)
            if by_ns:
                top = ", ".join(f"{ns} {n}" for ns, n in list(by_ns.items())[:5])
                grid.add_row("eligible in", top)
            if report.stats:
                grid.add_row(
                    "stats",
                    "  ".join(f"{k} {t.stats[k]}" for k in STAT_KEYS if k in t.stats),
                )
            console.print(grid)
            if not view.parms:
                continue
            # Parameters down, devices across, in as many blocks as the width needs.
            for block in _blocks(view.parms, console.width):
                table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
                table.add_column("parameter")
                table.add_column("unit", style="dim")
                for p in block:
                    table.add_column(p.dev or "default", justify="right", overflow="fold")
                for key, name, unit in PARM_KEYS:
                    table.add_row(
                        key,
                        unit,
                        *(_cell(p, name) for p in block),
                    )
                console.print()
                console.print(table)

    return render_to_text(draw, color=color, width=width)


def _cell(p: NeighParms, name: str) -> str:
    value = getattr(p, name)
    return "-" if value is None else str(value)


def _blocks(parms: list[NeighParms], width: int) -> list[list[NeighParms]]:
    """Devices in blocks whose columns fit ``width`` beside the parameter and unit
    columns, at least one a block (a column is its widest cell plus a gap of 2)."""
    fixed = max(len(key) for key, _, _ in PARM_KEYS) + 2 + max(len(u) for *_, u in PARM_KEYS)
    blocks: list[list[NeighParms]] = []
    used = fixed
    for p in parms:
        cells = [p.dev or "default", *(_cell(p, name) for _, name, _ in PARM_KEYS)]
        column = 2 + max(len(c) for c in cells)
        if blocks and blocks[-1] and used + column <= width:
            blocks[-1].append(p)
            used += column
        else:
            blocks.append([p])
            used = fixed + column
    return blocks
