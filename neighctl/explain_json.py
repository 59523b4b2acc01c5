"""JSON for `neighctl explain [STATE] -o json`: the catalogue as data, with timers."""

from __future__ import annotations

from typing import Any

from neighctl import timers as t
from neighctl.explain_text import _param_value, _param_words, headline, timer_phrase
from neighctl.model import AF_INET, AF_INET6
from neighctl.states import SPECS, STATE_NAMES, catalogue
from neighctl.timers import NeighParms, TableParms


def timers_json(p: NeighParms, table: TableParms, lang: str) -> dict[str, Any]:
    """One interface's (or the default) parameters and derived timers, for JSON."""
    lo, hi = t.reachable_range(p)
    return {
        "source": "defaults" if p.dev is None else "kernel",
        "dev": p.dev,
        "family": "inet6" if p.family == AF_INET6 else "inet",
        "params": {  # times in ms
            name: _param_value(name, p, table) for name in t.PARAM_NAMES
        },
        "reachable_time_ms": p.reachable_time,
        "reachable_range_ms": [lo, hi],
        "incomplete_ms": t.incomplete_duration(p),
        "probe_ms": t.probe_duration(p),
        "differs_from_default": {
            name: {"value": value, "default": default}
            for name, (value, default) in t.differences(p).items()
        },
        "table": {
            "name": table.name,
            "entries": table.entries,
            "gc_thresh1": table.gc_thresh1,
            "gc_thresh2": table.gc_thresh2,
            "gc_thresh3": table.gc_thresh3,
            "stats": dict(table.stats),
        },
    }


def state_json(
    state: str, lang: str = "en", parms: list[tuple[NeighParms, TableParms]] | None = None
) -> dict[str, Any]:
    """The catalogue entry of one state plus its timers (defaults without --dev)."""
    entry = next(e for e in catalogue(lang) if e["state"] == state)
    pairs = parms or [(t.defaults(AF_INET), t.DEFAULT_TABLES[AF_INET])]
    words = _param_words(lang)
    p0, table0 = pairs[0]
    for tr, spec in zip(entry["transitions"], SPECS[state].transitions, strict=True):
        tr["when"] = timer_phrase(spec.timer, p0, table0, lang) if spec.timer else None
    entry["parameters"] = {
        name: {
            "value": _param_value(name, p0, table0),
            "unit": _unit(name),
            "meaning": words[name],
        }
        for name in entry["params"]
    }
    entry["timers"] = [
        dict(timers_json(p, table, lang), headline=headline(state, p, table, lang))
        for p, table in pairs
    ]
    return entry


def _unit(name: str) -> str:
    if name in t.TIME_PARAMS:
        return "ms"
    return "bytes" if name.endswith("bytes") else "count"


def catalogue_json(lang: str = "en") -> list[dict[str, Any]]:
    return [state_json(name, lang) for name in STATE_NAMES]
