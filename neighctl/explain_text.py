"""Text and JSON for `neighctl explain [STATE]`: pure functions of the catalogue and timers."""

from __future__ import annotations

import re
import unicodedata

from neighctl import timers as t
from neighctl.model import AF_INET, AF_INET6
from neighctl.states import (
    SPECS,
    STATE_NAMES,
    T_DELAY,
    T_GC,
    T_GC_NOW,
    T_INCOMPLETE,
    T_PROBE,
    T_REACHABLE,
    state_value,
    texts,
)
from neighctl.timers import NeighParms, TableParms

WIDTH = 79

MSG: dict[str, dict[str, str]] = {
    "en": {
        "meaning": "Meaning",
        "entry": "Gets in",
        "leaves": "Leaves",
        "traffic": "Traffic",
        "gc": "GC",
        "timers": "Timers:",
        "advice": "Advice",
        "leave": "{to}: {trigger}",
        "leave_timed": "{to}, {when}: {trigger}",
        "deleted": "deleted",
        "on": "On {where}, ",
        "default_where": "By kernel default, ",
        "where": "{dev} ({fam})",
        "defaults_note": (
            "These are kernel defaults; give --dev DEV for an interface's own values."
        ),
        "differs": "Differs from the kernel default: {items}.",
        "differs_item": "{name} {value} (default {default})",
        "all_default": "All values are the kernel defaults.",
        "table": (
            "Table {name} (whole kernel, every namespace): {entries}gc_thresh1 {t1}, "
            "gc_thresh2 {t2}, gc_thresh3 {t3}{fulls}."
        ),
        "table_entries": "{n} entries now, ",
        "table_fulls": ", {n} table overflows so far",
        "s": "{v} s",
        "t_reachable": "after {lo}–{hi} s (base_reachable_time {base} s × 0.5–1.5{now})",
        "t_now": "; now {rt} s",
        "t_delay": "after {d} s (delay_first_probe_time)",
        "t_probes": "after about {total} s ({n} × retrans_time {r} s)",
        "t_at_once": "at once ({n} probes configured)",
        "t_gc": "after {g} s unused (gc_stale_time), only with ≥ {t1} entries (gc_thresh1)",
        "t_gc_now": "at the next GC pass, only with ≥ {t1} entries (gc_thresh1)",
        "h_INCOMPLETE": "INCOMPLETE lasts about {inc} s ({ninc} solicitations every {r} s), "
        "then FAILED.",
        "h_REACHABLE": "REACHABLE lasts {lo}–{hi} s (base_reachable_time {base} s){now}.",
        "h_now": "; the current draw is {rt} s",
        "h_STALE": "STALE lasts until the next packet (then DELAY for {d} s) or garbage "
        "collection (after {g} s unused, only with at least {t1} entries in the table).",
        "h_DELAY": "DELAY lasts {d} s (delay_first_probe_time), then REACHABLE or PROBE.",
        "h_PROBE": "PROBE lasts about {prb} s ({nprb} probes every {r} s), then FAILED "
        "unless the neighbour answers.",
        "h_FAILED": "FAILED lasts until the next packet (then INCOMPLETE for about {inc} s) "
        "or the next GC pass (only with at least {t1} entries in the table).",
        "h_NOARP": "NOARP has no timer; GC may delete it after {g} s unused (only with at "
        "least {t1} entries in the table).",
        "h_PERMANENT": "PERMANENT has no timer and is never collected.",
        "h_NONE": "NONE lasts until the next packet (then INCOMPLETE) or garbage collection "
        "(after {g} s unused, only with at least {t1} entries in the table).",
        "overview_title": "Neighbour (ARP/NDP) states; `neighctl explain STATE` for one.",
        "params_title": "Parameters",
        "fam4": "IPv4",
        "fam6": "IPv6",
    },
    "zh": {
        "meaning": "含义",
        "entry": "如何进入",
        "leaves": "如何离开",
        "traffic": "流量",
        "gc": "垃圾回收",
        "timers": "定时器：",
        "advice": "建议",
        "leave": "{to}：{trigger}",
        "leave_timed": "{to}，{when}：{trigger}",
        "deleted": "被删除",
        "on": "在 {where}上，",
        "default_where": "按内核默认值，",
        "where": "{dev}（{fam}）",
        "defaults_note": "以上是内核默认值；加 --dev 网卡 可查看该网卡的实际取值。",
        "differs": "与内核默认值不同：{items}。",
        "differs_item": "{name} {value}（默认 {default}）",
        "all_default": "所有取值均为内核默认值。",
        "table": (
            "邻居表 {name}（整个内核、所有命名空间共用）：{entries}gc_thresh1 {t1}，"
            "gc_thresh2 {t2}，gc_thresh3 {t3}{fulls}。"
        ),
        "table_entries": "当前 {n} 条，",
        "table_fulls": "，已溢出 {n} 次",
        "s": "{v} 秒",
        "t_reachable": "{lo}～{hi} 秒后（base_reachable_time {base} 秒的 0.5～1.5 倍{now}）",
        "t_now": "；当前为 {rt} 秒",
        "t_delay": "{d} 秒后（delay_first_probe_time）",
        "t_probes": "约 {total} 秒后（{n} 次 × retrans_time {r} 秒）",
        "t_at_once": "立即（探测次数为 {n}）",
        "t_gc": "未使用超过 {g} 秒后（gc_stale_time），且表中不少于 {t1} 条（gc_thresh1）",
        "t_gc_now": "下一轮回收时，且表中不少于 {t1} 条（gc_thresh1）",
        "h_INCOMPLETE": "INCOMPLETE 持续约 {inc} 秒（每 {r} 秒一次，共 {ninc} 次请求），然后变为 FAILED。",
        "h_REACHABLE": "REACHABLE 持续 {lo}～{hi} 秒（base_reachable_time {base} 秒）{now}。",
        "h_now": "，当前取值 {rt} 秒",
        "h_STALE": "STALE 一直保持，直到有报文要发（随后 DELAY {d} 秒）或被垃圾回收"
        "（未使用超过 {g} 秒，且表中不少于 {t1} 条）。",
        "h_DELAY": "DELAY 持续 {d} 秒（delay_first_probe_time），然后变为 REACHABLE 或 PROBE。",
        "h_PROBE": "PROBE 持续约 {prb} 秒（每 {r} 秒一次，共 {nprb} 次探测），无应答则变为 FAILED。",
        "h_FAILED": "FAILED 一直保持，直到有报文要发（随后 INCOMPLETE 约 {inc} 秒）"
        "或下一轮垃圾回收（表中不少于 {t1} 条时）。",
        "h_NOARP": "NOARP 没有定时器；未使用超过 {g} 秒后可能被回收（表中不少于 {t1} 条时）。",
        "h_PERMANENT": "PERMANENT 没有定时器，也从不被回收。",
        "h_NONE": "NONE 一直保持，直到有报文要发（随后 INCOMPLETE）或被垃圾回收"
        "（未使用超过 {g} 秒，且表中不少于 {t1} 条）。",
        "overview_title": "邻居（ARP/NDP）状态一览；用 `neighctl explain 状态` 查看详情。",
        "params_title": "参数",
        "fam4": "IPv4",
        "fam6": "IPv6",
    },
}


def width(text: str) -> int:
    """Display columns: East Asian wide characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)
# Chinese punctuation that must not start a line: it stays on the line before.
_NO_BREAK_BEFORE = set("，。、；：！？）」』》")
_NO_BREAK_AFTER = set("（「『《")


def wrap(text: str, indent: int, first: str = "") -> list[str]:
    """Greedy wrap by display width; ASCII words stay whole, CJK breaks anywhere."""
    lines: list[str] = []
    line = first + " " * max(indent - width(first), 0) if first else " " * indent
    empty = True
    for token in _TOKEN.findall(text):
        if token.isspace():
            if not empty:
                line += " "
            continue
        # Keep two columns spare so that a closing punctuation mark can follow.
        limit = WIDTH if token in _NO_BREAK_BEFORE else WIDTH - 2
        if token in _NO_BREAK_AFTER:  # an opening bracket needs its next character
            limit -= 2
        if not empty and width(line) + width(token) > limit:
            lines.append(line.rstrip())
            line, empty = " " * indent, True
        line += token
        empty = False
    lines.append(line.rstrip())
    return lines


def _label(text: str, size: int) -> str:
    return text + " " * max(size - width(text), 1)


def _fam(p: NeighParms, lang: str) -> str:
    return MSG[lang]["fam6" if p.family == AF_INET6 else "fam4"]


def _values(p: NeighParms, table: TableParms, lang: str) -> dict[str, str]:
    """Every number a template may use, as text in seconds or counts."""
    s = t.seconds
    lo, hi = t.reachable_range(p)
    m = MSG[lang]
    now = ""
    if p.reachable_time is not None:
        now = m["t_now"].format(rt=t.approx(p.reachable_time))
    return {
        "lo": s(lo),
        "hi": s(hi),
        "base": s(p.base_reachable_time),
        "now": now,
        "rt": t.approx(p.reachable_time) if p.reachable_time is not None else "",
        "d": s(p.delay_first_probe_time),
        "g": s(p.gc_stale_time),
        "r": s(t.retrans(p)),
        "inc": s(t.incomplete_duration(p)),
        "ninc": str(t.incomplete_probes(p)),
        "prb": s(t.probe_duration(p)),
        "nprb": str(t.probe_probes(p)),
        "t1": str(table.gc_thresh1),
    }


def timer_phrase(timer: str, p: NeighParms, table: TableParms, lang: str) -> str:
    """When a timed transition happens, in words, with this interface's values."""
    m, v = MSG[lang], _values(p, table, lang)
    if timer == T_REACHABLE:
        return m["t_reachable"].format(**v)
    if timer == T_DELAY:
        return m["t_delay"].format(**v)
    if timer in (T_INCOMPLETE, T_PROBE):
        n = t.incomplete_probes(p) if timer == T_INCOMPLETE else t.probe_probes(p)
        if n == 0:
            return m["t_at_once"].format(n=0)
        total = t.seconds(n * t.retrans(p))
        return m["t_probes"].format(total=total, n=n, r=v["r"])
    if timer == T_GC:
        return m["t_gc"].format(**v)
    if timer == T_GC_NOW:
        return m["t_gc_now"].format(**v)
    raise ValueError(f"unknown timer {timer!r}")


def headline(state: str, p: NeighParms, table: TableParms, lang: str) -> str:
    """One sentence with the state's timers on this interface (or by default)."""
    m, v = MSG[lang], _values(p, table, lang)
    if p.reachable_time is not None:
        v["now"] = m["h_now"].format(rt=v["rt"])
    where = (
        m["default_where"]
        if p.dev is None
        else m["on"].format(where=m["where"].format(dev=p.dev, fam=_fam(p, lang)))
    )
    return where + m[f"h_{state}"].format(**v)


def _param_value(name: str, p: NeighParms, table: TableParms) -> int:
    return int(getattr(table, name) if name in t.TABLE_PARAMS else getattr(p, name))


def format_param(name: str, value: int, lang: str) -> str:
    if name in t.TIME_PARAMS:
        return MSG[lang]["s"].format(v=t.seconds(value))
    return str(value)


def param_lines(names: tuple[str, ...], p: NeighParms, table: TableParms, lang: str) -> list[str]:
    """`name  value  what it does`, marking values that differ from the defaults."""
    words = _param_words(lang)
    default = t.defaults(p.family)
    default_table = t.DEFAULT_TABLES[p.family]
    out = []
    for name in names:
        value = _param_value(name, p, table)
        base = _param_value(name, default, default_table)
        mark = "*" if value != base else " "
        shown = format_param(name, value, lang)
        head = f"  {name:<23}{mark}" + " " * max(9 - width(shown), 0) + shown + "  "
        out += wrap(words[name], width(head), head)
    return out


def _param_words(lang: str) -> dict[str, str]:
    if lang == "zh":
        from neighctl.states_zh import PARAMS
    else:
        from neighctl.states_en import PARAMS
    return PARAMS


def differences_line(p: NeighParms, lang: str) -> str:
    m = MSG[lang]
    diffs = t.differences(p)
    if not diffs:
        return m["all_default"]
    items = ", " if lang == "en" else "，"
    return m["differs"].format(
        items=items.join(
            m["differs_item"].format(
                name=name,
                value=format_param(name, value, lang),
                default=format_param(name, default, lang),
            )
            for name, (value, default) in diffs.items()
        )
    )


def table_line(table: TableParms, lang: str) -> str:
    m = MSG[lang]
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


def render_state(
    state: str, lang: str = "en", parms: list[tuple[NeighParms, TableParms]] | None = None
) -> str:
    """The full explanation of one state, timers for each (parms, table) given."""
    m, text, spec = MSG[lang], texts(lang)[state], SPECS[state]
    live = parms is not None
    pairs = parms or [(t.defaults(AF_INET), t.DEFAULT_TABLES[AF_INET])]
    first_p, first_table = pairs[0]
    title = f"{state} (0x{state_value(state):02x}): "
    out = [*wrap(text["summary"], width(title), title), ""]
    for p, table in pairs:
        out += wrap(headline(state, p, table, lang), 0)
    out.append("")
    label = 10 if lang == "en" else 12
    out += wrap(text["meaning"], label, m["meaning"])
    out += wrap(text["entry"], label, m["entry"])
    for i, tr in enumerate(spec.transitions):
        to = tr.to or m["deleted"]
        trigger = text["transitions"][tr.key]
        body = (
            m["leave_timed"].format(
                to=to, when=timer_phrase(tr.timer, first_p, first_table, lang), trigger=trigger
            )
            if tr.timer
            else m["leave"].format(to=to, trigger=trigger)
        )
        first = _label(m["leaves"] if i == 0 else "", label) + "-> "
        out += wrap(body, label + 3, first)
    out += wrap(text["traffic"], label, m["traffic"])
    out += wrap(text["gc"], label, m["gc"])
    if spec.params:
        out.append("")
        out.append(m["timers"])
        for p, table in pairs:
            if live:
                out.append(m["where"].format(dev=p.dev, fam=_fam(p, lang)) + ":")
            out += param_lines(spec.params, p, table, lang)
            if live:
                out += wrap(differences_line(p, lang), 2)
        if not live:
            out += wrap(m["defaults_note"], 0)
        out += wrap(table_line(first_table, lang), 0)
    out.append("")
    for i, advice in enumerate(text["advice"]):
        out += wrap(advice, label + 2, _label(m["advice"] if i == 0 else "", label) + "- ")
    return "\n".join(out) + "\n"


def render_overview(lang: str = "en") -> str:
    """One line per state, then the transition diagram."""
    words = texts(lang)
    out = [MSG[lang]["overview_title"], ""]
    for name in STATE_NAMES:
        head = f"{name:<11}0x{state_value(name):02x}  "
        out += wrap(words[name]["summary"], width(head), head)
    out.append("")
    out.append(_diagram(lang).rstrip("\n"))
    return "\n".join(out) + "\n"


def _diagram(lang: str) -> str:
    if lang == "zh":
        from neighctl.states_zh import DIAGRAM
    else:
        from neighctl.states_en import DIAGRAM
    return DIAGRAM
