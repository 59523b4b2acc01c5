"""The catalogue of NUD states: what each means and how the kernel moves it (data).

The language-neutral facts (transitions, which timer and parameters govern
each, whether traffic flows, whether garbage collection may remove the
entry) live here; the words live in words_en.py and words_zh.py, keyed the
same way. Every fact is from net/core/neighbour.c (Linux 6.18) and was
watched happening in a namespace by tests/kernel/test_explain_transitions.py.
"""

from __future__ import annotations

from typing import NamedTuple

from neighctl.errors import UsageError
from neighctl.filters import state_hint
from neighctl.model import NudState, parse_state

# Timer kinds a transition can wait for (their durations: neighctl.explain.predictions).
T_REACHABLE = "reachable_time"  # 0.5-1.5 x base_reachable_time after the last confirmation
T_DELAY = "delay_first_probe_time"
T_INCOMPLETE = "incomplete_probes"  # (mcast_solicit + app_solicit) x retrans_time
T_PROBE = "probe_probes"  # (ucast_solicit + app_solicit + mcast_resolicit) x retrans_time
T_GC = "gc_stale_time"  # periodic GC, only with >= gc_thresh1 entries
T_GC_NOW = "next_gc"  # the next GC pass, only with >= gc_thresh1 entries
GC_PARAMS = ("gc_stale_time", "gc_thresh1", "gc_thresh2", "gc_thresh3")


class TransitionSpec(NamedTuple):
    """A way out of a state. ``to`` None means the entry is deleted."""

    key: str
    to: str | None
    timer: str | None
    params: tuple[str, ...] = ()


class StateSpec(NamedTuple):
    name: str
    in_timer: bool  # NUD_IN_TIMER: a kernel timer runs while in this state
    valid: bool  # NUD_VALID: the entry holds a usable link-layer address
    traffic_flows: bool
    gc_removable: bool
    params: tuple[str, ...]
    transitions: tuple[TransitionSpec, ...]


SPECS: dict[str, StateSpec] = {
    s.name: s
    for s in (
        StateSpec(
            "INCOMPLETE",
            True,
            False,
            False,
            False,
            ("mcast_solicit", "app_solicit", "retrans_time", "unres_qlen_bytes"),
            (
                TransitionSpec("reply", "REACHABLE", None),
                TransitionSpec("heard", "STALE", None),
                TransitionSpec(
                    "no_reply",
                    "FAILED",
                    T_INCOMPLETE,
                    ("mcast_solicit", "app_solicit", "retrans_time"),
                ),
            ),
        ),
        StateSpec(
            "REACHABLE",
            True,
            True,
            True,
            False,
            ("base_reachable_time", "delay_first_probe_time", "locktime"),
            (
                TransitionSpec("expired", "STALE", T_REACHABLE, ("base_reachable_time",)),
                TransitionSpec(
                    "expired_used",
                    "DELAY",
                    T_REACHABLE,
                    ("base_reachable_time", "delay_first_probe_time"),
                ),
                TransitionSpec("new_lladdr", "STALE", None, ("locktime",)),
            ),
        ),
        StateSpec(
            "STALE",
            False,
            True,
            True,
            True,
            ("delay_first_probe_time", *GC_PARAMS),
            (
                TransitionSpec("send", "DELAY", None, ("delay_first_probe_time",)),
                TransitionSpec("reply", "REACHABLE", None),
                TransitionSpec("gc", None, T_GC, GC_PARAMS),
            ),
        ),
        StateSpec(
            "DELAY",
            True,
            True,
            True,
            False,
            ("delay_first_probe_time",),
            (
                TransitionSpec("confirmed", "REACHABLE", T_DELAY, ("delay_first_probe_time",)),
                TransitionSpec("unconfirmed", "PROBE", T_DELAY, ("delay_first_probe_time",)),
            ),
        ),
        StateSpec(
            "PROBE",
            True,
            True,
            True,
            False,
            ("ucast_solicit", "app_solicit", "mcast_resolicit", "retrans_time"),
            (
                TransitionSpec("reply", "REACHABLE", None),
                TransitionSpec(
                    "no_reply",
                    "FAILED",
                    T_PROBE,
                    ("ucast_solicit", "app_solicit", "mcast_resolicit", "retrans_time"),
                ),
            ),
        ),
        StateSpec(
            "FAILED",
            False,
            False,
            False,
            True,
            ("mcast_solicit", "retrans_time", "gc_thresh1", "gc_thresh2", "gc_thresh3"),
            (
                TransitionSpec("send", "INCOMPLETE", None, ("mcast_solicit", "retrans_time")),
                TransitionSpec("heard", "STALE", None),
                TransitionSpec("gc", None, T_GC_NOW, ("gc_thresh1", "gc_thresh2", "gc_thresh3")),
            ),
        ),
        StateSpec(
            "NOARP",
            False,
            True,
            True,
            True,
            GC_PARAMS,
            (
                TransitionSpec("admin", None, None),
                TransitionSpec("gc", None, T_GC, GC_PARAMS),
            ),
        ),
        StateSpec(
            "PERMANENT",
            False,
            True,
            True,
            False,
            (),
            (
                TransitionSpec("admin", None, None),
                TransitionSpec("ifdown", None, None),
            ),
        ),
        StateSpec(
            "NONE",
            False,
            False,
            False,
            True,
            ("mcast_solicit", "retrans_time", *GC_PARAMS),
            (
                TransitionSpec("send", "INCOMPLETE", None, ("mcast_solicit", "retrans_time")),
                TransitionSpec("heard", "STALE", None),
                TransitionSpec("gc", None, T_GC, GC_PARAMS),
            ),
        ),
    )
}
STATE_NAMES: tuple[str, ...] = tuple(SPECS)
TEXT_FIELDS = ("summary", "meaning", "entry", "traffic", "gc", "advice")


def lookup(word: str) -> str:
    """A state name from any case or a number (``stale``, ``4``, ``0x04``).

    An unknown word is a UsageError that suggests the nearest state name.
    """
    try:
        state = parse_state(word)
    except ValueError as exc:
        if "single" in str(exc):  # a number, but a mask or no state at all
            raise UsageError(
                f"{word.strip()!r} is not the value of one state",
                "values are 0x00 NONE, 0x01 INCOMPLETE, 0x02 REACHABLE, 0x04 STALE, "
                "0x08 DELAY, 0x10 PROBE, 0x20 FAILED, 0x40 NOARP, 0x80 PERMANENT; the "
                "Flags of /proc/net/arp (0x2, 0x6, 0xc) are ATF_* flags, not states: "
                "`neighctl explain ADDR --from /proc/net/arp` reads them",
            ) from None
    else:
        return state.name or "NONE"
    raise UsageError(f"unknown state {word!r}", state_hint(word, with_all=False))


def state_value(name: str) -> int:
    return int(NudState.NONE if name == "NONE" else NudState[name])
