"""What the kernel does next with an entry, and when: language-neutral data.

Every rule follows net/core/neighbour.c (Linux 6.18):

- REACHABLE ends reachable_time after ``confirmed`` (neigh_timer_handler); it goes
  to DELAY if the entry was used within delay_first_probe_time, else to STALE.
- DELAY ends delay_first_probe_time after it began (``updated``).
- INCOMPLETE and PROBE send a solicitation at once and then one per retrans_time;
  the entry fails when the timer finds every probe sent, so each probe, the last
  one included, is followed by a full retrans_time of waiting. The failure comes
  ``probes x retrans_time`` after the state began (``updated``, which the timer
  does not move while it probes).
- An INCOMPLETE set by an administrator (``ip neigh add/replace ... nud
  incomplete``) gets no timer (__neigh_update deletes it for invalid states);
  __neigh_event_send then only queues packets for it. Its probe counter stays
  below ucast_solicit (resolution starts it there), or its ``updated`` age is
  long past a resolution's length.
- The kernel never records "not confirmed": a new entry, and an entry given a new
  address without proof, gets ``confirmed = now - 2 x base_reachable_time``
  (___neigh_create, __neigh_update).

Times in ``Step`` and in facts are seconds (float); counts are ints.
"""

from __future__ import annotations

from typing import NamedTuple, Union

from neighctl import timers as t
from neighctl.model import Neighbor, NeighFlag, state_words
from neighctl.timers import NeighParms, TableParms

# A value a sentence may quote: seconds (float), a count (int), a name (str).
Fact = Union[float, int, str, None]  # noqa: UP007 (a runtime alias on Python 3.10)
Facts = dict[str, Fact]

# An INCOMPLETE entry whose last update is older than a whole resolution plus
# this margin (or one more retrans_time, whichever is longer) has no timer.
OVERDUE_MARGIN_S = 1.0
# cacheinfo ages have 1/100 s resolution; both ages are rounded separately.
AGE_TOLERANCE_S = 0.05


class Step(NamedTuple):
    """A predicted transition.

    ``kind`` names the rule (the words modules phrase it); ``to`` is the next
    state, or None when the entry is deleted or nothing happens by itself;
    ``earliest``/``latest`` are seconds from now (None: no timer decides it);
    ``facts`` are the numbers and names the sentence quotes.
    """

    kind: str
    to: str | None
    earliest: float | None = None
    latest: float | None = None
    facts: Facts = {}  # noqa: RUF012 (never mutated; a NamedTuple has no factories)


def primary_state(n: Neighbor) -> str:
    words = state_words(int(n.state))
    return words[0] if words else "NONE"


def seconds(ms: float) -> float:
    return ms / 1000


def never_confirmed(n: Neighbor, p: NeighParms) -> bool:
    """Whether ``confirmed`` is the kernel's back-dated stamp rather than a confirmation.

    The stamp is 2 x base_reachable_time before the entry's creation or its last
    unconfirmed address change; both also set ``updated`` (and creation ``used``).
    """
    if n.confirmed is None:
        return False
    back = n.confirmed - 2 * seconds(p.base_reachable_time)
    return any(
        age is not None and abs(back - age) <= AGE_TOLERANCE_S for age in (n.updated, n.used)
    )


def incomplete_without_timer(n: Neighbor, p: NeighParms) -> str | None:
    """Why an INCOMPLETE entry cannot have a running timer ("set_by_hand",
    "overdue"), or None when it may be resolving."""
    if n.probes is not None and n.probes < p.ucast_solicit:
        return "set_by_hand"  # resolution starts its count at ucast_solicit
    if n.updated is not None:
        r = seconds(t.retrans(p))
        if n.updated > seconds(t.incomplete_duration(p)) + max(r, OVERDUE_MARGIN_S):
            return "overdue"
    return None


def gc_facts(n: Neighbor, p: NeighParms, table: TableParms) -> Facts:
    """Whether periodic GC runs now: it compares all entries with gc_thresh1
    (neigh_periodic_work) and skips extern_learn entries."""
    if n.flags & NeighFlag.EXT_LEARNED:
        gc = "extern"
    elif table.entries is None:
        gc = None
    else:
        gc = "active" if table.entries >= table.gc_thresh1 else "idle"
    return {
        "gc": gc,
        "entries": table.entries,
        "t1": table.gc_thresh1,
        "g": seconds(p.gc_stale_time),
    }


def _probing(n: Neighbor, p: NeighParms, state: str) -> Step:
    """INCOMPLETE or PROBE with a running timer: when it fails without an answer."""
    r = seconds(t.retrans(p))
    total = t.probe_probes(p) if state == "PROBE" else t.incomplete_probes(p)
    facts: Facts = {"total": total, "r": r}
    if n.probes is None and n.updated is None:
        return Step("probing_unknown", "FAILED", 0.0, total * r, facts)
    if n.probes is None:
        sent = None
        lo, hi = 0.0, total * r
    else:
        # INCOMPLETE counts from ucast_solicit (__neigh_event_send); PROBE from 0.
        start = p.ucast_solicit if state == "INCOMPLETE" else 0
        sent = min(max(n.probes - start, 0), total)
        # The sent-th probe went out (sent-1) x r after the start; failure is at total x r.
        lo, hi = (total - sent) * r, (total - sent + 1) * r
        if sent >= total:
            lo, hi = 0.0, r
    if n.updated is None:
        earliest, latest = lo, hi
    else:
        left = min(max(total * r - n.updated, lo), hi)
        earliest = latest = left
    facts.update(sent=sent, left=latest)
    if sent is None:
        return Step("probing_unknown", "FAILED", earliest, latest, facts)
    return Step("probing", "FAILED", earliest, latest, facts)


def _reachable(n: Neighbor, p: NeighParms, live: bool) -> Step:
    c = n.confirmed
    lo, hi = t.reachable_range(p)
    if c is None:
        return Step("reach_noage", "STALE", facts={"lo": seconds(lo), "hi": seconds(hi)})
    if p.reachable_time is not None and live:
        left = max(seconds(p.reachable_time) - c, 0.0)
        facts: Facts = {
            "left": left,
            "rt": seconds(p.reachable_time),
            "dev": n.dev,
            "d": seconds(p.delay_first_probe_time),
        }
        if n.used is not None and n.used + left <= seconds(p.delay_first_probe_time):
            # At expiry the last recorded use (becoming REACHABLE counts as one)
            # is within delay_first_probe_time: the kernel goes to DELAY.
            facts["used"] = n.used
            return Step("reach_delay", "DELAY", left, left, facts)
        return Step("reach_live", "STALE", left, left, facts)
    a, b = max(seconds(lo) - c, 0.0), max(seconds(hi) - c, 0.0)
    return Step("reach_range", "STALE", a, b, {"base": seconds(p.base_reachable_time)})


def _stale_gc(n: Neighbor, p: NeighParms, gc: Facts) -> Step:
    """When periodic GC may delete a STALE entry: once unused for gc_stale_time.

    neigh_periodic_work first moves ``used`` up to ``confirmed`` when that is
    later, so the age it compares is the younger of the two.
    """
    if n.used is None:
        return Step("stale_gc_noage", None, facts=gc)
    unused = n.used if n.confirmed is None else min(n.used, n.confirmed)
    kind = "stale_gc_due" if unused >= seconds(p.gc_stale_time) else "stale_gc"
    return Step(kind, None, facts={**gc, "used": unused})


def predict(
    n: Neighbor, p: NeighParms, table: TableParms, *, live: bool, dev_shown: bool = True
) -> list[Step]:
    """What the kernel does next with this entry, and roughly when.

    ``live`` says ``p`` is the interface's own parameters read now (so its
    current reachable_time draw applies), not defaults. ``dev_shown`` False: the
    source prints no devices, so a proxy entry's empty device is only not shown.
    """
    state = primary_state(n)
    gc = gc_facts(n, p, table)
    r = seconds(t.retrans(p))
    d = seconds(p.delay_first_probe_time)
    where: Facts = {"dst": n.dst, "dev": n.dev}
    if n.flags & NeighFlag.PROXY:  # a pneigh entry: no state machine at all
        return [Step("proxy" if n.dev or not dev_shown else "proxy_any", None, facts=where)]
    steps: list[Step] = []
    if state == "REACHABLE":
        steps.append(_reachable(n, p, live))
    elif state == "STALE":
        steps.append(Step("stale_send", "DELAY", facts={"d": d}))
        steps.append(_stale_gc(n, p, gc))
    elif state == "DELAY":
        left = max(d - (n.updated or 0.0), 0.0)
        steps.append(Step("delay", "PROBE", left, left, {"left": left, "r": r}))
    elif state == "INCOMPLETE" and (why := incomplete_without_timer(n, p)) is not None:
        facts: Facts = {
            "probes": n.probes,
            "updated": n.updated,
            "inc": seconds(t.incomplete_duration(p)),
        }
        steps.append(Step(f"incomplete_{why}", None, facts=facts))
        # arp_process / ndisc_recv_na: a request, a broadcast ARP reply or an
        # unsolicited advertisement proves nothing (STALE); a unicast ARP reply or a
        # solicited advertisement does (REACHABLE), asked for or not.
        steps.append(Step("incomplete_heard", "STALE", facts=where))
        steps.append(Step("incomplete_reply", "REACHABLE", facts=where))
    elif state in ("PROBE", "INCOMPLETE"):
        steps.append(_probing(n, p, state))
    elif state == "FAILED":
        steps.append(
            Step("failed_send", "INCOMPLETE", facts={"inc": seconds(t.incomplete_duration(p))})
        )
        steps.append(Step("failed_gc", None, facts=gc))
    elif state == "PERMANENT":
        steps.append(Step("permanent", None))
    elif state == "NOARP":
        steps.append(Step("noarp", None, facts=gc))
    else:
        steps.append(Step("none", "INCOMPLETE", facts=gc))
    if n.flags & NeighFlag.MANAGED:
        # One work item per table probes every managed entry, at the table's interval.
        interval = seconds(table.interval_probe_time_ms)
        steps.append(Step("managed", None, facts={"interval": interval}))
    return steps


def ambiguous(states: list[str]) -> list[Step]:
    """A state set (/proc/net/arp, net-tools arp) cannot be predicted: say so."""
    return [Step("ambiguous_next", None, facts={"states": ", ".join(states)})]


# --- explain STATE: the timers of a state on one interface ---------------------


def timer_facts(p: NeighParms, table: TableParms) -> Facts:
    """Every duration and count the state sentences quote, for one interface."""
    lo, hi = t.reachable_range(p)
    return {
        "lo": seconds(lo),
        "hi": seconds(hi),
        "base": seconds(p.base_reachable_time),
        "rt": None if p.reachable_time is None else seconds(p.reachable_time),
        "d": seconds(p.delay_first_probe_time),
        "g": seconds(p.gc_stale_time),
        "r": seconds(t.retrans(p)),
        "inc": seconds(t.incomplete_duration(p)),
        "ninc": t.incomplete_probes(p),
        "prb": seconds(t.probe_duration(p)),
        "nprb": t.probe_probes(p),
        "t1": table.gc_thresh1,
        "t2": table.gc_thresh2,
        "t3": table.gc_thresh3,
        "entries": table.entries,
        "table_fulls": table.stats.get("table_fulls"),
    }
