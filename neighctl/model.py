"""The neighbour entry and the kernel's state and flag values (stdlib only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntFlag
from operator import attrgetter
from typing import cast, no_type_check

# Linux's address families (include/linux/socket.h), written out: `import socket`
# builds its enums on import, a measurable part of `show`'s start-up.
AF_INET: int = 2
AF_INET6: int = 10

FAMILY_NAMES: dict[int, str] = {AF_INET: "inet", AF_INET6: "inet6"}


class NudState(IntFlag):
    """NUD_* values from include/uapi/linux/neighbour.h."""

    NONE = 0x00
    INCOMPLETE = 0x01
    REACHABLE = 0x02
    STALE = 0x04
    DELAY = 0x08
    PROBE = 0x10
    FAILED = 0x20
    NOARP = 0x40
    PERMANENT = 0x80


# The order iproute2 prints state words in (ip/ipneigh.c, print_neigh_state).
STATE_ORDER: tuple[NudState, ...] = (
    NudState.INCOMPLETE,
    NudState.REACHABLE,
    NudState.STALE,
    NudState.DELAY,
    NudState.PROBE,
    NudState.FAILED,
    NudState.NOARP,
    NudState.PERMANENT,
)
# The same as plain (int, name) pairs: IntFlag's & runs Python code, which
# matters in loops over every entry or every possible value.
STATE_BITS: tuple[tuple[int, str], ...] = tuple((int(s), s.name or "") for s in STATE_ORDER)
STATE_BY_NAME: dict[str, NudState] = {s.name: s for s in NudState if s.name}
STATE_BY_NAME["NONE"] = NudState.NONE


class NeighFlag(IntFlag):
    """NTF_* bits of ndm_flags, plus NTF_EXT_* bits shifted above the u8 field.

    The kernel sends extended flags in NDA_FLAGS_EXT; keeping them in one
    IntFlag (NTF_EXT_MANAGED is 1 << 0 there, 1 << 8 here) gives one flags
    field to filter and print.
    """

    USE = 0x01
    SELF = 0x02
    MASTER = 0x04
    PROXY = 0x08
    EXT_LEARNED = 0x10
    OFFLOADED = 0x20
    STICKY = 0x40
    ROUTER = 0x80
    MANAGED = 0x100  # NTF_EXT_MANAGED << 8
    EXT_VALIDATED = 0x400  # NTF_EXT_EXT_VALIDATED (1 << 2, Linux 6.17+) << 8


EXT_FLAG_SHIFT = 8
NO_FLAGS = NeighFlag(0)

# Flag words in iproute2's print order (ip/ipneigh.c, print_neigh: extern_valid
# comes after offload); these are also the JSON flag words.
FLAG_WORDS: tuple[tuple[NeighFlag, str], ...] = (
    (NeighFlag.ROUTER, "router"),
    (NeighFlag.PROXY, "proxy"),
    (NeighFlag.MANAGED, "managed"),
    (NeighFlag.EXT_LEARNED, "extern_learn"),
    (NeighFlag.OFFLOADED, "offload"),
    (NeighFlag.EXT_VALIDATED, "extern_valid"),
)
FLAG_BITS: tuple[tuple[int, str], ...] = tuple((int(f), w) for f, w in FLAG_WORDS)
# Every flags value a Neighbor can hold is below this (the highest known bit, doubled).
FLAG_VALUES = 2 * max(int(f) for f in NeighFlag)
FLAG_BY_WORD: dict[str, NeighFlag] = {word: flag for flag, word in FLAG_WORDS}

# /etc/iproute2/rt_protos names iproute2 prints for NDA_PROTOCOL.
PROTOCOL_NAMES: dict[int, str] = {
    0: "unspec",
    1: "redirect",
    2: "kernel",
    3: "boot",
    4: "static",
    8: "gated",
    9: "ra",
    10: "mrt",
    11: "zebra",
    12: "bird",
    13: "dnrouted",
    14: "xorp",
    15: "ntk",
    16: "dhcp",
    18: "keepalived",
    42: "babel",
    99: "openr",
    186: "bgp",
    187: "isis",
    188: "ospf",
    189: "rip",
    192: "eigrp",
}
PROTOCOL_BY_NAME: dict[str, int] = {name: num for num, name in PROTOCOL_NAMES.items()}


@dataclass(frozen=True, slots=True)
class Neighbor:
    """One neighbour-table entry, from the kernel or from a text source.

    Ages (used/confirmed/updated) are seconds since the event, as floats
    (the kernel reports clock ticks of 1/100 s); None where the source did
    not carry them. ifindex is None for text sources, which only name devices.
    """

    family: int
    dst: str
    dev: str
    state: NudState
    flags: NeighFlag = NO_FLAGS
    lladdr: str | None = None
    ifindex: int | None = None
    refcnt: int | None = None
    used: float | None = None
    confirmed: float | None = None
    updated: float | None = None
    probes: int | None = None
    protocol: int | None = None

    @property
    def is_proxy(self) -> bool:
        return bool(self.flags & NeighFlag.PROXY)


class _Unfrozen(Neighbor):
    """Builds a Neighbor with plain attribute stores, then becomes one.

    A frozen dataclass guards every store with a Python-level __setattr__.
    This subclass has the same slot layout and no guard; assigning __class__
    afterwards leaves an ordinary, frozen Neighbor (tests check both). CPython
    keeps __setattr__ and __delattr__ in one slot (tp_setattro): restoring
    only one leaves the frozen guard in place, so both are restored.
    """

    __slots__ = ()
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__

    @no_type_check  # mypy sees the frozen parent's read-only fields
    def __init__(
        self,
        family: int,
        dst: str,
        dev: str,
        state: NudState,
        flags: NeighFlag,
        lladdr: str | None,
        ifindex: int | None,
        refcnt: int | None,
        used: float | None,
        confirmed: float | None,
        updated: float | None,
        probes: int | None,
        protocol: int | None,
    ) -> None:
        self.family = family
        self.dst = dst
        self.dev = dev
        self.state = state
        self.flags = flags
        self.lladdr = lladdr
        self.ifindex = ifindex
        self.refcnt = refcnt
        self.used = used
        self.confirmed = confirmed
        self.updated = updated
        self.probes = probes
        self.protocol = protocol
        self.__class__ = Neighbor


# A Neighbor's fields as a plain tuple, in field order: what the kernel decoder
# produces and every view of entries consumes, so that `show` can render a
# dump batch by batch without building (and holding) an object per entry.
# fast_neighbor(*row) makes the Neighbor; as_row(n) takes one apart.
Row = tuple[
    int,  # family
    str,  # dst
    str,  # dev
    NudState,  # state
    NeighFlag,  # flags
    str | None,  # lladdr
    int | None,  # ifindex
    int | None,  # refcnt
    float | None,  # used
    float | None,  # confirmed
    float | None,  # updated
    int | None,  # probes
    int | None,  # protocol
]
ROW_FIELDS: tuple[str, ...] = tuple(Neighbor.__dataclass_fields__)
as_row = cast("Callable[[Neighbor], Row]", attrgetter(*ROW_FIELDS))


# Neighbor(...) for decoders' hot loops: the same signature (mypy checks calls
# against Neighbor's own fields, so a swapped field is a type error; tests check
# each field lands in its place), without the frozen guard on each store.
fast_neighbor = cast("type[Neighbor]", _Unfrozen)


_STATE_MEMBERS: dict[int, NudState] = {int(s): s for s in NudState}
_FLAG_MEMBERS: dict[int, NeighFlag] = {0: NO_FLAGS}


def nud_state(value: int) -> NudState:
    """NudState(value), interned: building IntFlag values per entry is slow."""
    member = _STATE_MEMBERS.get(value)
    if member is None:
        member = _STATE_MEMBERS[value] = NudState(value)
    return member


def neigh_flags(value: int) -> NeighFlag:
    """NeighFlag(value), interned."""
    member = _FLAG_MEMBERS.get(value)
    if member is None:
        member = _FLAG_MEMBERS[value] = NeighFlag(value)
    return member


def state_words(state: int) -> list[str]:
    """Upper-case state names in iproute2's order; [] for NONE."""
    value = int(state)
    return [name for bit, name in STATE_BITS if value & bit]


def flag_words(flags: int) -> list[str]:
    """Lower-case flag words in iproute2's order."""
    value = int(flags)
    return [word for bit, word in FLAG_BITS if value & bit]


def parse_state(name: str) -> NudState:
    """A state from a name (any case) or a number (``4``, ``0x04``); ValueError otherwise."""
    text = name.strip()
    upper = text.upper()
    if upper in STATE_BY_NAME:
        return STATE_BY_NAME[upper]
    try:
        value = int(text, 0)
    except ValueError:
        raise ValueError(f"unknown neighbour state {name!r}") from None
    if value not in (0, *(int(s) for s in STATE_ORDER)):
        raise ValueError(f"{name!r} is not a single NUD state value")
    return NudState(value)
