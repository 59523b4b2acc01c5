"""`neighctl explain`: what a state or an entry means, with this machine's timers.

The library calls return data; the views (``text``, ``jsonview``) phrase it
with a words module (``words.load(lang)``)::

    from neighctl.explain import explain_address, words
    from neighctl.explain.text import render

    print(render(explain_address("10.0.0.2", netns="blue"), words.load("en")))

Only ``explain_address`` without ``entries`` and ``explain_state`` with ``dev``
touch the kernel (and import ``neighctl.kernel``); the rest is pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Union

from neighctl import timers as t
from neighctl.errors import NoSuchDeviceError, NotFoundError, UsageError
from neighctl.explain.catalogue import SPECS, STATE_NAMES, StateSpec, lookup
from neighctl.filters import zone_device
from neighctl.model import AF_INET, AF_INET6, Neighbor
from neighctl.timers import NeighParms, TableParms

if TYPE_CHECKING:
    from neighctl.explain.entry import EntryExplanation

ParmsPair = tuple[NeighParms, TableParms]

__all__ = [
    "Document",
    "Overview",
    "StateExplanation",
    "Target",
    "classify",
    "entries_for",
    "explain_address",
    "explain_overview",
    "explain_state",
]

TAKES = (
    "explain takes a state such as stale or 0x04, or an IP address such as 10.0.0.2 or fe80::1%eth0"
)


class Target(NamedTuple):
    """What the argument of `explain` names: a state, an address (with its zone), or nothing."""

    state: str | None = None
    address: str | None = None
    zone: str | None = None


class Overview(NamedTuple):
    """Every state, in the kernel's order (what `explain` alone shows)."""

    states: tuple[str, ...] = STATE_NAMES


class StateExplanation(NamedTuple):
    """One state of the catalogue with the timers of each interface asked about.

    ``timers`` holds one (parameters, table) pair per family of ``--dev``, or
    the IPv4 kernel defaults when ``live`` is False.
    """

    state: str
    spec: StateSpec
    timers: list[ParmsPair]
    live: bool


# What a view renders: the overview, one state, or the entries for one address.
Document = Union[Overview, StateExplanation, Sequence["EntryExplanation"]]  # noqa: UP007


def _not_an_address(word: str, not_a_state: UsageError) -> UsageError:
    """Say what a word that is neither a state nor an address looks like."""
    import re

    text = word.strip()
    if "/" in text:
        import ipaddress

        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            return UsageError(f"{word!r} looks like a prefix but is not a valid one", TAKES)
        return UsageError(
            f"{word!r} is a prefix, not one address",
            f"{TAKES}; `neighctl show {network}` lists the entries inside it",
        )
    if re.fullmatch(r"[0-9]+(\.[0-9]+)+", text):
        return UsageError(
            f"{word!r} looks like an IPv4 address but is not one: it takes four numbers "
            "0-255 separated by dots",
            TAKES,
        )
    if re.fullmatch(r"[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}", text):
        return UsageError(
            f"{word!r} is a MAC address, not an IP address",
            f"{TAKES}; `neighctl show` lists entries with their MACs",
        )
    if text.count(":") >= 2 and re.fullmatch(r"[0-9a-zA-Z:.%_-]+", text):
        return UsageError(f"{word!r} looks like an IPv6 address but is not one", TAKES)
    return not_a_state


def classify(word: str | None) -> Target:
    """A state name or value, else an IP address (``ADDR%ZONE`` for IPv6).

    Raises UsageError with a suggestion for a near-miss state, and says what
    the word looks like when it is a prefix, a MAC or a malformed address.
    """
    if word is None:
        return Target()
    try:
        return Target(state=lookup(word))
    except UsageError as not_a_state:
        import ipaddress

        from neighctl.filters import split_zone

        try:
            address = ipaddress.ip_address(word.strip().partition("%")[0])
        except ValueError:
            raise _not_an_address(word, not_a_state) from None
        try:
            _, zone = split_zone(word.strip(), None)
        except UsageError as bad_zone:
            raise UsageError(bad_zone.message, TAKES) from None
        return Target(address=str(address), zone=zone)


def _check_namespace(netns: str | None) -> None:
    if netns is not None:
        from neighctl.kernel.netns import netns_path

        netns_path(netns)  # NamespaceNotFoundError if it is not there


def explain_overview(*, netns: str | None = None) -> Overview:
    """Every state in one view; ``netns`` is only checked (the states are the same)."""
    _check_namespace(netns)
    return Overview()


def explain_state(
    state: str, *, dev: str | None = None, netns: str | None = None
) -> StateExplanation:
    """One state with the timers of ``dev`` (read live), or the kernel defaults.

    Raises NoSuchDeviceError, NamespaceNotFoundError, NotFoundError (no
    parameters for the device).
    """
    state = lookup(state)
    if dev is None:
        _check_namespace(netns)
        default = t.defaults(AF_INET)
        return StateExplanation(state, SPECS[state], [(default, t.DEFAULT_TABLES[AF_INET])], False)
    from neighctl.kernel.ntable import read_parms

    pairs = read_parms(dev, netns=netns)
    if not pairs:
        raise NotFoundError(f"the kernel reports no neighbour parameters for {dev!r}")
    return StateExplanation(state, SPECS[state], pairs, True)


def entries_for(address: str, entries: list[Neighbor], dev: str | None) -> list[Neighbor]:
    """The entries for one address (one per device), compared as addresses."""
    import ipaddress

    want = ipaddress.ip_address(address)
    out = []
    for n in entries:
        try:
            same = ipaddress.ip_address(n.dst) == want
        except ValueError:
            continue
        if same and (dev is None or n.dev == dev):
            out.append(n)
    return out


def explain_address(
    address: str,
    *,
    dev: str | None = None,
    zone: str | None = None,
    netns: str | None = None,
    entries: list[Neighbor] | None = None,
) -> list[EntryExplanation]:
    """Explain each entry for ``address``: live unless ``entries`` (from a file) are given.

    ``zone`` (the %ZONE of an IPv6 address) names the device, as --dev does.
    Raises NotFoundError (no entry), UsageError (zone and dev disagree),
    NoSuchDeviceError, NamespaceNotFoundError, PermissionDeniedError.
    """
    import ipaddress

    from neighctl.explain.entry import explain_entry

    dev = zone_device(f"{address}%{zone}", zone, dev)
    family = AF_INET6 if ipaddress.ip_address(address).version == 6 else AF_INET
    parms: dict[tuple[str, int], ParmsPair] = {}
    sysctls = {}
    dev_shown = True  # the kernel always names a device; no device is none
    if entries is None:
        from neighctl.explain.live import read_table

        want = ipaddress.ip_address(address)
        try:
            live = read_table(
                family,
                dev,
                netns,
                lambda n: ipaddress.ip_address(n.dst) == want,
                index_ok=zone is not None,
            )
        except NoSuchDeviceError:
            if zone is None:
                raise
            raise NoSuchDeviceError(
                f"the zone of {address}%{zone} names no device", "list devices with `ip link`"
            ) from None
        table, parms, sysctls, dev = live.entries, live.parms, live.sysctls, live.dev
    else:
        dev_shown = any(n.dev for n in entries)
        if dev is not None and not dev_shown:
            raise UsageError(
                "the input shows no devices (as `ip neigh show dev DEV` prints it), so "
                f"{'the zone' if zone else '--dev'} cannot pick one",
                f"leave out {'the zone' if zone else '--dev'}",
            )
        if zone is not None and all(n.dev != zone for n in entries):
            raise NoSuchDeviceError(f"the zone of {address}%{zone} names no device in the input")
        table = entries
    found = entries_for(address, table, dev)
    if not found:
        where = f" on {dev}" if dev else ""
        raise NotFoundError(
            f"no neighbour entry for {address}{where}",
            "an entry appears once something sends to the address; `neighctl show "
            "--state all` lists every entry, `neighctl show --proxy` the proxy entries",
        )
    return [
        explain_entry(
            n,
            parms.get((n.dev, n.family)),
            others=table,
            sysctls=sysctls.get(n.dev) if entries is None else None,
            dev_shown=dev_shown,
        )
        for n in found
    ]
