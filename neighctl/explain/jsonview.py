"""The JSON view of explain: the same data as the text view, with its sentences.

Times are milliseconds in parameters and timers (as the kernel keeps them),
seconds in predictions (``earliest``/``latest``, from now). Every sentence of
the text view is here too (``text``, ``summary``, ``meaning``...), in the
language of the words module given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from neighctl import timers as t
from neighctl.explain import Document, Overview, StateExplanation
from neighctl.explain import phrases as ph
from neighctl.explain.catalogue import SPECS, STATE_NAMES, state_value
from neighctl.explain.entry import EntryExplanation
from neighctl.explain.predictions import Facts, Step
from neighctl.explain.words import Words
from neighctl.model import AF_INET, AF_INET6
from neighctl.render.terminal import encodable
from neighctl.timers import NeighParms, TableParms


def catalogue(words: Words) -> list[dict[str, Any]]:
    """Every state as plain data in ``words``' language, without timers."""
    out: list[dict[str, Any]] = []
    for name, spec in SPECS.items():
        text = words.TEXT[name]
        out.append(
            {
                "state": name,
                "value": state_value(name),
                "summary": text["summary"],
                "meaning": text["meaning"],
                "entry": text["entry"],
                "transitions": [
                    {
                        "to": tr.to,
                        "trigger": text["transitions"][tr.key],
                        "timer": tr.timer,
                        "params": list(tr.params),
                    }
                    for tr in spec.transitions
                ],
                "traffic_flows": spec.traffic_flows,
                "traffic": text["traffic"],
                "gc_removable": spec.gc_removable,
                "gc": text["gc"],
                "kernel_timer": spec.in_timer,
                "has_lladdr": spec.valid,
                "params": list(spec.params),
                "advice": list(text["advice"]),
            }
        )
    return out


def timers_json(p: NeighParms, table: TableParms) -> dict[str, Any]:
    """One interface's (or the default) parameters and derived timers, in ms."""
    lo, hi = t.reachable_range(p)
    return {
        "source": "defaults" if p.dev is None else "kernel",
        "dev": p.dev,
        "family": "inet6" if p.family == AF_INET6 else "inet",
        "params": {name: ph.param_value(name, p, table) for name in t.PARAM_NAMES},
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


def state_json(doc: StateExplanation, words: Words) -> dict[str, Any]:
    """The catalogue entry of one state plus its timers (defaults without --dev)."""
    entry = next(e for e in catalogue(words) if e["state"] == doc.state)
    p0, table0 = doc.timers[0]
    for tr, spec in zip(entry["transitions"], SPECS[doc.state].transitions, strict=True):
        tr["when"] = ph.when_text(spec.timer, doc.timers, words) if spec.timer else None
    entry["parameters"] = {
        name: {
            "value": ph.param_value(name, p0, table0),
            "unit": ph.param_unit(name),
            "meaning": words.PARAMS[name],
        }
        for name in entry["params"]
    }
    entry["timers"] = [
        dict(
            timers_json(p, table),
            headline=ph.headline(doc.state, p, table, words),
            differences=ph.differences_text(p, words) if doc.live else None,
        )
        for p, table in doc.timers
    ]
    entry["table"] = " ".join(ph.table_text(table, words) for table in ph.tables_of(doc.timers))
    shows_timers = bool(SPECS[doc.state].params)  # as the text view: a Timers section
    entry["notes"] = [words.MSG["defaults_note"]] if shows_timers and not doc.live else []
    return entry


def overview_json(words: Words) -> list[dict[str, Any]]:
    """Every state with the kernel's default timers (what `explain -o json` prints)."""
    default = t.defaults(AF_INET)
    pairs = [(default, t.DEFAULT_TABLES[AF_INET])]
    return [
        state_json(StateExplanation(name, SPECS[name], pairs, False), words) for name in STATE_NAMES
    ]


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _facts(facts: Facts) -> dict[str, Any]:
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in facts.items()}


def step_json(step: Step, words: Words) -> dict[str, Any]:
    return {
        "to": step.to,
        "earliest": _seconds(step.earliest),
        "latest": _seconds(step.latest),
        "text": ph.step_text(step, words),
        "kind": step.kind,
        "facts": _facts(step.facts),
    }


def entry_json(e: EntryExplanation, words: Words) -> dict[str, Any]:
    """One entry's explanation; ``entry`` is the entry as `ip -j -s neigh` shows it."""
    from neighctl.render.jsonview import to_json_dict

    a = e.ages
    return {
        "entry": to_json_dict(e.entry, stats=True),
        "state": None if e.proxy is not None else e.state,  # a proxy entry has none
        "states": [] if e.proxy is not None else list(e.states),
        "summary": ph.summary_text(e, words),
        "ages": {
            "known": a.kind == "known",
            "used": _seconds(a.used),
            "confirmed": _seconds(a.confirmed),
            "updated": _seconds(a.updated),
            "never_confirmed": a.never_confirmed,
            "text": ph.ages_text(a, words),
        },
        "next": [step_json(s, words) for s in e.next],
        "flags": [
            {"flag": n.word, "key": n.key, "meaning": ph.flag_text(n, words, e.entry.dev)}
            for n in e.flags
        ],
        "answers": None
        if e.proxy is None
        else {
            "answers": e.proxy.answers,
            "reasons": list(e.proxy.reasons),
            "text": ph.proxy_text(e.proxy, words),
        },
        "patterns": [
            {"id": p.id, "key": p.key, "text": ph.pattern_text(p, words)} for p in e.patterns
        ],
        "timers_from": "kernel" if e.live else "defaults",
        "notes": [words.MSG[n] for n in e.notes],
    }


def to_data(doc: Document, words: Words) -> Any:
    """The JSON-ready data of a document."""
    if isinstance(doc, Overview):
        return overview_json(words)
    if isinstance(doc, StateExplanation):
        return state_json(doc, words)
    entries: Sequence[EntryExplanation] = doc
    return [entry_json(e, words) for e in entries]


def render(doc: Document, words: Words, *, encoding: str | None = None) -> str:
    """One JSON document; non-ASCII characters escaped when ``encoding`` cannot carry them."""
    data = to_data(doc, words)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if encodable(text, encoding):
        return text
    return json.dumps(data, ensure_ascii=True, indent=2) + "\n"
