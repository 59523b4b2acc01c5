"""Sentences from data: explain's facts put in the words of one language.

Shared by the text view (which lays the sentences out) and the JSON view
(which carries them beside the data); neither knows which language it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neighctl import timers as t
from neighctl.explain.catalogue import T_DELAY, T_GC, T_GC_NOW, T_INCOMPLETE, T_PROBE, T_REACHABLE
from neighctl.explain.predictions import Fact, Facts, Step, timer_facts
from neighctl.model import AF_INET6
from neighctl.timers import NeighParms, TableParms

if TYPE_CHECKING:  # `explain STATE` phrases no entry: it need not load entry.py
    from neighctl.explain.entry import Ages, EntryExplanation, FlagNote, Pattern, ProxyCheck
    from neighctl.explain.words import Words


def fmt(value: Fact) -> str:
    """A fact as text: seconds (float) rounded for people, counts and names as they are."""
    if value is None:
        return "?"
    if isinstance(value, float):
        return t.approx(max(value, 0.0) * 1000)
    return str(value)


def _fill(template: str, facts: Facts, words: Words | None = None) -> str:
    """``template`` with ``facts``; an empty device (a source that shows none) reads
    as the language's placeholder for one."""
    values = {k: fmt(v) for k, v in facts.items()}
    if words is not None and values.get("dev") == "":
        values["dev"] = words.MSG["dev_unknown"]
    return template.format(**values)


def gc_sentence(facts: Facts, words: Words) -> str:
    """Whether periodic GC runs now (empty when the table size is not known)."""
    gc = facts.get("gc")
    if gc == "extern":
        return words.MSG["gc_extern"]
    if gc in ("active", "idle"):
        return _fill(words.MSG[f"gc_{gc}"], facts)
    return ""


def step_text(step: Step, words: Words) -> str:
    facts: Facts = {"earliest": step.earliest, "latest": step.latest, **step.facts}
    facts["gc_now"] = gc_sentence(step.facts, words)
    return _fill(words.MSG[step.kind], facts, words)


def ages_text(ages: Ages, words: Words) -> str:
    m = words.MSG
    if ages.kind == "proxy":
        return m["proxy_ages"]
    if ages.kind == "unknown":
        return m["no_ages"]
    key = "ages_unconfirmed" if ages.never_confirmed else "ages"
    parts = [
        _fill(m[key], {"used": ages.used, "confirmed": ages.confirmed, "updated": ages.updated})
    ]
    if ages.probes is not None:
        parts.append(m["probes"].format(n=ages.probes))
    if ages.refcnt is not None:
        parts.append(m["ref"].format(n=ages.refcnt))
    return m["sep"].join(parts)


def summary_text(e: EntryExplanation, words: Words) -> str:
    if e.proxy is not None:
        return words.MSG["proxy_state"]
    if len(e.states) > 1:
        return words.MSG["ambiguous"].format(states=", ".join(e.states))
    return words.TEXT[e.state]["summary"]


def flag_text(note: FlagNote, words: Words, dev: str = "") -> str | None:
    """What a flag means on this entry; ``dev`` is the entry's device."""
    meaning = words.FLAGS.get(note.key)
    return None if meaning is None else _fill(meaning, {"dev": dev}, words)


def pattern_text(p: Pattern, words: Words) -> str:
    return _fill(words.PATTERNS[p.key], p.facts, words)


def proxy_text(check: ProxyCheck, words: Words) -> str:
    """Whether a proxy entry answers: the verdict (when there is one), then why."""
    why = words.MSG["sep"].join(_fill(words.MSG[r], check.facts, words) for r in check.reasons)
    if check.answers is None:
        return why
    return words.MSG["answers_yes" if check.answers else "answers_no"].format(why=why)


# --- explain STATE --------------------------------------------------------------


def _state_facts(p: NeighParms, table: TableParms, words: Words) -> Facts:
    facts = timer_facts(p, table)
    rt = facts["rt"]
    facts["now"] = "" if rt is None else words.MSG["t_now"].format(rt=fmt(rt))
    return facts


def family_name(p: NeighParms, words: Words) -> str:
    return words.MSG["fam6" if p.family == AF_INET6 else "fam4"]


def where(p: NeighParms, words: Words) -> str:
    """``veth0 (IPv4)``: the interface and family a set of timers belongs to."""
    return words.MSG["where"].format(dev=p.dev, fam=family_name(p, words))


def timer_phrase(timer: str, p: NeighParms, table: TableParms, words: Words) -> str:
    """When a timed transition happens, in words, with this interface's values."""
    m, facts = words.MSG, _state_facts(p, table, words)
    if timer == T_REACHABLE:
        return _fill(m["t_reachable"], facts)
    if timer == T_DELAY:
        return _fill(m["t_delay"], facts)
    if timer in (T_INCOMPLETE, T_PROBE):
        n = facts["ninc"] if timer == T_INCOMPLETE else facts["nprb"]
        if n == 0:
            return m["t_at_once"].format(n=0)
        total = facts["inc"] if timer == T_INCOMPLETE else facts["prb"]
        return _fill(m["t_probes"], {"total": total, "n": n, "r": facts["r"]})
    if timer == T_GC:
        return _fill(m["t_gc"], facts)
    if timer == T_GC_NOW:
        return _fill(m["t_gc_now"], facts)
    raise ValueError(f"unknown timer {timer!r}")


def when_text(timer: str, timers: list[tuple[NeighParms, TableParms]], words: Words) -> str:
    """When a timed transition happens with each family's timers (--dev reads both):
    one phrase when they agree, else each named with its interface and family."""
    phrases = [timer_phrase(timer, p, table, words) for p, table in timers]
    if len(set(phrases)) == 1:
        return phrases[0]
    return words.MSG["sep"].join(
        words.MSG["when_on"].format(when=phrase, where=where(p, words))
        for phrase, (p, _) in zip(phrases, timers, strict=True)
    )


def headline(state: str, p: NeighParms, table: TableParms, words: Words) -> str:
    """One sentence with the state's timers on this interface (or by default)."""
    m, facts = words.MSG, _state_facts(p, table, words)
    if facts["rt"] is not None:
        facts["now"] = m["h_now"].format(rt=fmt(facts["rt"]))
    lead = m["default_where"] if p.dev is None else m["on"].format(where=where(p, words))
    return lead + _fill(m[f"h_{state}"], facts)


def param_value(name: str, p: NeighParms, table: TableParms) -> int:
    """A parameter's value in its unit (ms for times), from the interface or its table."""
    return int(getattr(table, name) if name in t.TABLE_PARAMS else getattr(p, name))


def param_unit(name: str) -> str:
    if name in t.TIME_PARAMS:
        return "ms"
    return "bytes" if name.endswith("bytes") else "count"


def format_param(name: str, value: int, words: Words) -> str:
    """A configured value exactly as set: times in seconds, counts as they are."""
    if name in t.TIME_PARAMS:
        return words.MSG["s"].format(v=t.seconds(value))
    return str(value)


def differences_text(p: NeighParms, words: Words) -> str:
    m = words.MSG
    diffs = t.differences(p)
    if not diffs:
        return m["all_default"]
    items = m["list_sep"].join(
        m["differs_item"].format(
            name=name,
            value=format_param(name, value, words),
            default=format_param(name, default, words),
        )
        for name, (value, default) in diffs.items()
    )
    return m["differs"].format(items=items)


def tables_of(timers: list[tuple[NeighParms, TableParms]]) -> list[TableParms]:
    """The tables behind some timers, each once (--dev reads one per family)."""
    out: list[TableParms] = []
    for _, table in timers:
        if table not in out:
            out.append(table)
    return out


def table_text(table: TableParms, words: Words) -> str:
    """The table's size and thresholds, and what the kernel compares with each."""
    m = words.MSG
    entries = m["table_entries"].format(n=table.entries) if table.entries is not None else ""
    fulls = table.stats.get("table_fulls")
    return m["table"].format(
        name=table.name,
        entries=entries,
        t1=table.gc_thresh1,
        t2=table.gc_thresh2,
        t3=table.gc_thresh3,
        fulls=m["table_fulls"].format(n=fulls) if fulls else "",
    )
