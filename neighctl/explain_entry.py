"""`neighctl explain ADDR`: one live (or parsed) entry, what happens next, what it is.

Pure: entries and parameters in, structured explanation and text out. The
predictions use the same formulas as the kernel (net/core/neighbour.c):
REACHABLE ends reachable_time after `confirmed`; DELAY ends
delay_first_probe_time after it began (`updated`); INCOMPLETE and PROBE end
after their remaining probes, one per retrans_time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neighctl import timers as t
from neighctl.explain_entry_text import FLAG_TEXT, MSG, PATTERNS
from neighctl.explain_text import width, wrap
from neighctl.model import Neighbor, NeighFlag, flag_words, state_words
from neighctl.states import texts
from neighctl.timers import NeighParms, TableParms

CALICO_MAC = "ee:ee:ee:ee:ee:ee"
CALICO_GATEWAY = "169.254.1.1"
SHARED_MAC_MIN = 3  # this many other addresses on one device with the same MAC


@dataclass(frozen=True, slots=True)
class NextStep:
    """A predicted transition: ``to`` None means deleted; times in seconds from now."""

    to: str | None
    earliest: float | None
    latest: float | None
    text: str


@dataclass(frozen=True)
class EntryExplanation:
    entry: Neighbor
    state: str
    summary: str
    ages: str
    next: list[NextStep]
    flags: list[tuple[str, str]]
    patterns: list[tuple[str, str]]
    parms: NeighParms | None = None
    live: bool = False
    notes: list[str] = field(default_factory=list)


def primary_state(n: Neighbor) -> str:
    words = state_words(int(n.state))
    return words[0] if words else "NONE"


def _s(value: float) -> str:
    return t.approx(max(value, 0.0) * 1000)


def _ages(n: Neighbor, lang: str) -> str:
    m = MSG[lang]
    if n.used is None:
        return m["no_ages"]
    parts = [
        m["ages"].format(
            used=_s(n.used), confirmed=_s(n.confirmed or 0), updated=_s(n.updated or 0)
        )
    ]
    if n.probes is not None:
        parts.append(m["probes"].format(n=n.probes))
    if n.refcnt is not None:
        parts.append(m["ref"].format(n=n.refcnt))
    return m["sep"].join(parts)


def predict(n: Neighbor, p: NeighParms, table: TableParms, lang: str, live: bool) -> list[NextStep]:
    """What the kernel does next with this entry, and roughly when."""
    m = MSG[lang]
    state = primary_state(n)
    v: dict[str, Any] = {
        "dev": n.dev,
        "d": t.seconds(p.delay_first_probe_time),
        "g": t.seconds(p.gc_stale_time),
        "t1": table.gc_thresh1,
        "r": t.seconds(t.retrans(p)),
        "inc": t.seconds(t.incomplete_duration(p)),
    }
    gc_now = ""
    if table.entries is not None:
        key = "gc_active" if table.entries >= table.gc_thresh1 else "gc_idle"
        gc_now = m[key].format(n=table.entries, t1=table.gc_thresh1)
    v["gc_now"] = gc_now
    if n.flags & NeighFlag.EXT_LEARNED:
        v["gc_now"] = m["gc_extern"]
    steps: list[NextStep] = []
    if n.flags & NeighFlag.PROXY:  # a pneigh entry: no state machine at all
        steps.append(NextStep(None, None, None, m["proxy"].format(dst=n.dst, dev=n.dev)))
        return steps
    if state == "REACHABLE":
        c = n.confirmed
        if c is None:
            lo, hi = t.reachable_range(p)
            steps.append(
                NextStep(
                    "STALE", None, None, m["reach_noage"].format(lo=t.seconds(lo), hi=t.seconds(hi))
                )
            )
        elif p.reachable_time is not None and live:
            left = max(p.reachable_time / 1000 - c, 0.0)
            if n.used is not None and n.used + left <= p.delay_first_probe_time / 1000:
                # At expiry the last recorded use (becoming REACHABLE counts as one)
                # is within delay_first_probe_time: the kernel goes to DELAY.
                steps.append(
                    NextStep(
                        "DELAY",
                        left,
                        left,
                        m["reach_delay"].format(
                            left=_s(left), used=_s(n.used), rt=t.approx(p.reachable_time), **v
                        ),
                    )
                )
                return steps
            steps.append(
                NextStep(
                    "STALE",
                    left,
                    left,
                    m["reach_live"].format(left=_s(left), rt=t.approx(p.reachable_time), **v),
                )
            )
        else:
            lo, hi = t.reachable_range(p)
            a, b = max(lo / 1000 - c, 0.0), max(hi / 1000 - c, 0.0)
            steps.append(
                NextStep(
                    "STALE",
                    a,
                    b,
                    m["reach_range"].format(
                        a=_s(a), b=_s(b), base=t.seconds(p.base_reachable_time)
                    ),
                )
            )
    elif state == "STALE":
        steps.append(NextStep("DELAY", None, None, m["stale_send"].format(**v)))
        steps.append(
            NextStep(
                None,
                None,
                None,
                m["stale_gc"].format(used=_s(n.used) if n.used is not None else "?", **v),
            )
        )
    elif state == "DELAY":
        left = max(p.delay_first_probe_time / 1000 - (n.updated or 0.0), 0.0)
        steps.append(NextStep("PROBE", left, left, m["delay"].format(left=_s(left), **v)))
    elif state == "INCOMPLETE" and n.probes is not None and n.probes < p.ucast_solicit:
        # The kernel starts its count at ucast_solicit; below it, no resolution ever
        # ran: `ip neigh add ... nud incomplete` sets the state without a timer.
        steps.append(NextStep(None, None, None, m["incomplete_stuck"].format(**v)))
    elif state in ("PROBE", "INCOMPLETE"):
        total = t.probe_probes(p) if state == "PROBE" else t.incomplete_probes(p)
        sent = n.probes or 0
        if state == "INCOMPLETE":  # the kernel starts counting at ucast_solicit
            sent = max(sent - p.ucast_solicit, 0)
        left = max(total - sent, 0) * t.retrans(p) / 1000
        steps.append(
            NextStep(
                "FAILED",
                left,
                left,
                m["probing"].format(sent=sent, total=total, left=_s(left), **v),
            )
        )
    elif state == "FAILED":
        steps.append(NextStep("INCOMPLETE", None, None, m["failed_send"].format(**v)))
        steps.append(NextStep(None, None, None, m["failed_gc"].format(**v)))
    elif state == "PERMANENT":
        steps.append(NextStep(None, None, None, m["permanent"]))
    elif state == "NOARP":
        steps.append(NextStep(None, None, None, m["noarp"].format(**v)))
    else:
        steps.append(NextStep("INCOMPLETE", None, None, m["none"].format(**v)))
    if n.flags & NeighFlag.MANAGED:
        steps.append(
            NextStep(None, None, None, m["managed"].format(i=t.seconds(p.interval_probe_time_ms)))
        )
    return steps


def patterns(n: Neighbor, others: list[Neighbor], lang: str) -> list[tuple[str, str]]:
    """Recognised situations: Calico, flannel, FAILED pile-ups, shared MACs."""
    text = PATTERNS[lang]
    state = primary_state(n)
    mac = (n.lladdr or "").lower()
    found: list[tuple[str, str]] = []
    if n.dst == CALICO_GATEWAY:
        found.append(
            (
                "calico_gateway",
                text["calico_gateway" if mac in (CALICO_MAC, "") else "calico_gateway_other_mac"],
            )
        )
    elif mac == CALICO_MAC:
        found.append(("calico_mac", text["calico_mac"]))
    if n.dev.startswith("cali") and state == "PERMANENT":
        found.append(("calico_workload", text["calico_workload"]))
    if n.dev.startswith("flannel") and state == "PERMANENT":
        found.append(("flannel_vtep", text["flannel_vtep"]))
    if state == "FAILED":
        failed = sum(1 for o in others if o.dev == n.dev and primary_state(o) == "FAILED")
        key = "failed_many" if failed >= 10 else "failed"
        found.append(("failed", text[key].format(n=failed, dev=n.dev)))
    if mac and mac != CALICO_MAC:
        shared = {o.dst for o in others if o.dev == n.dev and (o.lladdr or "").lower() == mac}
        shared.discard(n.dst)
        if len(shared) >= SHARED_MAC_MIN:
            found.append(("shared_mac", text["shared_mac"].format(n=len(shared), dev=n.dev)))
    return found


def explain_entry(
    n: Neighbor,
    parms: tuple[NeighParms, TableParms] | None = None,
    *,
    others: list[Neighbor] | None = None,
    lang: str = "en",
) -> EntryExplanation:
    """Everything `explain ADDR` says about one entry; defaults when ``parms`` is None."""
    p, table = parms or (t.defaults(n.family), t.DEFAULT_TABLES[t.defaults(n.family).family])
    state = primary_state(n)
    flags = [(w, FLAG_TEXT[lang][w]) for w in flag_words(int(n.flags)) if w in FLAG_TEXT[lang]]
    notes = [] if parms else [MSG[lang]["defaults_used"]]
    words = state_words(int(n.state))
    if len(words) > 1:  # a state set from /proc/net/arp or arp: never guess which one
        listed = ", ".join(words)
        summary = MSG[lang]["ambiguous"].format(states=listed)
        steps = [NextStep(None, None, None, MSG[lang]["ambiguous_next"].format(states=listed))]
    else:
        summary = texts(lang)[state]["summary"]
        steps = predict(n, p, table, lang, parms is not None)
    return EntryExplanation(
        entry=n,
        state=state,
        summary=summary,
        ages=_ages(n, lang),
        next=steps,
        flags=flags,
        patterns=patterns(n, others or [], lang),
        parms=p,
        live=parms is not None,
        notes=notes,
    )


def entry_line(n: Neighbor) -> str:
    """The entry the way `ip neigh show` prints it."""
    parts = [n.dst, "dev", n.dev]
    if n.lladdr:
        parts += ["lladdr", n.lladdr]
    parts += flag_words(int(n.flags))
    parts += state_words(int(n.state)) or []
    return " ".join(parts)


def render_entry(e: EntryExplanation, lang: str = "en") -> str:
    m = MSG[lang]
    label = 10 if lang == "en" else 12
    out = [entry_line(e.entry)]

    def field_(name: str, body: str) -> None:
        out.extend(wrap(body, label, name + " " * max(label - width(name), 1)))

    states = state_words(int(e.entry.state)) or ["NONE"]
    field_(m["l_state"], f"{'+'.join(states)}: {e.summary}")
    field_(m["l_ages"], e.ages)
    for i, step in enumerate(e.next):
        field_(m["l_next"] if i == 0 else "", step.text)
    for i, (word, meaning) in enumerate(e.flags):
        field_(m["l_flags"] if i == 0 else "", f"{word}: {meaning}")
    for i, (_key, text) in enumerate(e.patterns):
        field_(m["l_pattern"] if i == 0 else "", text)
    for note in e.notes:
        field_(m["l_note"], note)
    return "\n".join(out) + "\n"


def entry_json(e: EntryExplanation) -> dict[str, Any]:
    from neighctl.render import to_json_dict

    return {
        "entry": to_json_dict(e.entry, stats=True),
        "state": e.state,
        "summary": e.summary,
        "next": [
            {"to": s.to, "earliest": s.earliest, "latest": s.latest, "text": s.text} for s in e.next
        ],
        "flags": [{"flag": w, "meaning": text} for w, text in e.flags],
        "patterns": [{"id": k, "text": text} for k, text in e.patterns],
        "timers_from": "kernel" if e.live else "defaults",
    }
