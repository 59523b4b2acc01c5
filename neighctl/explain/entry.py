"""`neighctl explain ADDR`: one entry (live or parsed), what it is and what happens next.

Pure: an entry, its interface's parameters and sysctls in; an
``EntryExplanation`` (language-neutral data) out. The views phrase it.
"""

from __future__ import annotations

from typing import NamedTuple

from neighctl import timers as t
from neighctl.explain.predictions import (
    Facts,
    Step,
    ambiguous,
    never_confirmed,
    predict,
    primary_state,
)
from neighctl.model import AF_INET6, Neighbor, NeighFlag, NudState, flag_words, state_words
from neighctl.proxyrule import Sysctls, proxy_verdict
from neighctl.timers import NeighParms, TableParms

CALICO_MAC = "ee:ee:ee:ee:ee:ee"
CALICO_GATEWAY = "169.254.1.1"
SHARED_MAC_MIN = 3  # this many other addresses on one device with the same MAC
FAILED_MANY = 10  # this many FAILED entries on one device is a pile-up


class Ages(NamedTuple):
    """``kind`` is "known", "unknown" (the source has no ages) or "proxy" (none exist)."""

    kind: str
    used: float | None = None
    confirmed: float | None = None
    updated: float | None = None
    probes: int | None = None
    refcnt: int | None = None
    never_confirmed: bool = False


class FlagNote(NamedTuple):
    """A flag word and the key of what it means on this entry (e.g. router_by_hand)."""

    word: str
    key: str


class Pattern(NamedTuple):
    """A recognised situation: ``id`` is stable, ``key`` picks the words, ``facts`` fill them."""

    id: str
    key: str
    facts: Facts


class ProxyCheck(NamedTuple):
    """Whether a proxy entry answers: True, False, or None (depends on what we cannot see).

    ``reasons`` are keys of the words (answers_*); ``facts`` fill them.
    """

    answers: bool | None
    reasons: tuple[str, ...]
    facts: Facts


class EntryExplanation(NamedTuple):
    """Everything `explain ADDR` says about one entry, as data."""

    entry: Neighbor
    state: str  # the first state word, or NONE
    states: tuple[str, ...]  # every state bit set (a set only from /proc/net/arp or arp)
    ages: Ages
    next: list[Step]
    flags: list[FlagNote]
    patterns: list[Pattern]
    parms: NeighParms
    table: TableParms
    live: bool = False
    proxy: ProxyCheck | None = None
    notes: tuple[str, ...] = ()  # keys of the words' MSG


def ages(n: Neighbor, p: NeighParms) -> Ages:
    if n.flags & NeighFlag.PROXY:
        return Ages("proxy")
    if n.used is None:
        return Ages("unknown")
    unconfirmed = never_confirmed(n, p)
    return Ages(
        "known",
        used=n.used,
        confirmed=None if unconfirmed else n.confirmed,
        updated=n.updated,
        probes=n.probes,
        refcnt=n.refcnt,
        never_confirmed=unconfirmed,
    )


def flag_notes(n: Neighbor, dev_shown: bool = True) -> list[FlagNote]:
    """Each flag with what it means here: the router bit differs by who could set it.

    ``dev_shown`` False: the source prints no devices (`ip neigh show dev X`), so
    an empty device is one not shown, not a proxy entry without a device.
    """
    notes = []
    for word in flag_words(int(n.flags)):
        key = word
        if word == "proxy" and not n.dev and dev_shown:
            key = "proxy_any"  # pneigh_lookup: no device matches requests on any device
        elif word == "router":
            if n.flags & NeighFlag.PROXY:
                key = "router_proxy"  # pndisc_is_router: our answers carry the R bit
            elif n.family != AF_INET6 or n.state & (NudState.PERMANENT | NudState.NOARP):
                key = "router_by_hand"  # no advertisement can have set it
        notes.append(FlagNote(word, key))
    return notes


def proxy_check(n: Neighbor, sysctls: Sysctls | None, dev_shown: bool = True) -> ProxyCheck:
    """Whether the kernel answers for a proxy entry on its device (neighctl.proxyrule)."""
    facts: Facts = {"dst": n.dst, "dev": n.dev}
    s = sysctls or Sysctls()
    verdict = proxy_verdict(n.family, n.dev if dev_shown else n.dev or "DEV", s)
    if verdict.answers and n.family == AF_INET6:
        facts["proxy_ndp_where"] = n.dev if s.proxy_ndp else "all"
    elif n.family != AF_INET6 and s.route is not None:
        facts["route_dev"] = s.route_dev
    return ProxyCheck(verdict.answers, verdict.reasons, facts)


def patterns(n: Neighbor, others: list[Neighbor]) -> list[Pattern]:
    """Recognised situations: Calico, flannel, FAILED pile-ups, shared MACs."""
    state = primary_state(n)
    mac = (n.lladdr or "").lower()
    found: list[Pattern] = []
    if n.dst == CALICO_GATEWAY:
        key = "calico_gateway" if mac in (CALICO_MAC, "") else "calico_gateway_other_mac"
        found.append(Pattern("calico_gateway", key, {}))
    elif mac == CALICO_MAC:
        found.append(Pattern("calico_mac", "calico_mac", {}))
    if n.dev.startswith("cali") and state == "PERMANENT":
        found.append(Pattern("calico_workload", "calico_workload", {}))
    if n.dev.startswith("flannel") and state == "PERMANENT":
        found.append(Pattern("flannel_vtep", "flannel_vtep", {}))
    if state == "FAILED":
        failed = sum(1 for o in others if o.dev == n.dev and primary_state(o) == "FAILED")
        key = "failed_many" if failed >= FAILED_MANY else "failed"
        found.append(Pattern("failed", key, {"n": failed, "dev": n.dev}))
    if mac and mac != CALICO_MAC:
        shared = {o.dst for o in others if o.dev == n.dev and (o.lladdr or "").lower() == mac}
        shared.discard(n.dst)
        if len(shared) >= SHARED_MAC_MIN:
            found.append(Pattern("shared_mac", "shared_mac", {"n": len(shared), "dev": n.dev}))
    return found


def explain_entry(
    n: Neighbor,
    parms: tuple[NeighParms, TableParms] | None = None,
    *,
    others: list[Neighbor] | None = None,
    sysctls: Sysctls | None = None,
    dev_shown: bool = True,
) -> EntryExplanation:
    """Everything `explain ADDR` says about one entry.

    ``parms`` are the interface's live parameters (None: the kernel defaults);
    ``others`` the rest of the table (for patterns); ``sysctls`` the device's
    forwarding/proxy_ndp (for proxy entries; None: not known); ``dev_shown`` False
    when the source prints no devices, so that an empty device is unknown.
    """
    default = t.defaults(n.family)
    p, table = parms or (default, t.DEFAULT_TABLES[default.family])
    words = state_words(int(n.state))
    # A state set (from /proc/net/arp or arp) is never guessed into one state.
    live = parms is not None
    steps = (
        ambiguous(words) if len(words) > 1 else predict(n, p, table, live=live, dev_shown=dev_shown)
    )
    return EntryExplanation(
        entry=n,
        state=primary_state(n),
        states=tuple(words) or ("NONE",),
        ages=ages(n, p),
        next=steps,
        flags=flag_notes(n, dev_shown),
        patterns=patterns(n, others or []),
        parms=p,
        table=table,
        live=parms is not None,
        proxy=proxy_check(n, sysctls, dev_shown) if n.flags & NeighFlag.PROXY else None,
        notes=() if parms or n.flags & NeighFlag.PROXY else ("defaults_used",),
    )
