"""One filter object for show, flush and watch, for kernel and text sources.

Semantics follow iproute2's `ip neigh show` (ip/ipneigh.c): a state mask in
which bit 0x100 stands for NONE (state 0); proxy and extern_learn entries
bypass the state filter; `to PREFIX` matches addresses inside the prefix.
"""

from __future__ import annotations

# The C module under `socket` (whose Python wrapper builds enums on import).
from _socket import inet_pton
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from neighctl.errors import UsageError, closest
from neighctl.model import (
    AF_INET,
    AF_INET6,
    STATE_BY_NAME,
    Neighbor,
    NeighFlag,
    NudState,
    Row,
    parse_state,
)

if TYPE_CHECKING:  # imported lazily: only a prefix filter needs it
    import ipaddress

NONE_BIT = 0x100
ALL_STATES = 0x1FF
# `ip neigh show` without `nud`: everything but NOARP and NONE.
DEFAULT_SHOW_MASK = 0xFF & ~int(NudState.NOARP)
_BYPASS_STATE = int(NeighFlag.PROXY | NeighFlag.EXT_LEARNED)
_PROXY = int(NeighFlag.PROXY)


def state_mask(names: Iterable[str], default: int = DEFAULT_SHOW_MASK) -> int:
    """The iproute2 state mask for `--state` values (any case, `all`, numbers).

    A value may list several states separated by commas (``stale,failed``).
    """
    mask = 0
    given = False
    for name in (word for value in names for word in value.split(",")):
        given = True
        if not name.strip():
            raise UsageError("an empty state name", state_hint(""))
        if name.strip().lower() == "all":
            mask |= ALL_STATES
            continue
        try:
            state = parse_state(name)
        except ValueError:
            raise UsageError(f"unknown state {name!r}", state_hint(name)) from None
        mask |= int(state) or NONE_BIT
    return mask if given else default


def state_hint(word: str, *, with_all: bool = True) -> str:
    """'did you mean X?' for a near miss, else the list of states (and `all` where taken)."""
    names = [*STATE_BY_NAME, "ALL"] if with_all else list(STATE_BY_NAME)
    close = closest(word.strip().upper(), names, cutoff=0.5)
    if close:
        return f"did you mean {close}?"
    listing = "states: " + " ".join(STATE_BY_NAME) + " (any case, or their values, e.g. 0x04)"
    return listing + (", or all" if with_all else "")


IFNAMSIZ = 16


def device_bytes(name: str) -> bytes:
    """The bytes of a device name as the kernel stores it.

    Names are bytes to the kernel; a command-line word that is not UTF-8
    reaches Python with its bytes as surrogate escapes (PEP 383), and goes
    back to the kernel as the same bytes.
    """
    return name.encode("utf-8", "surrogateescape")


def validate_device_name(name: str) -> None:
    """Reject names the kernel could never have (dev_valid_name()), before any netlink call."""
    try:
        raw = device_bytes(name)
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        raise UsageError(f"{name!r} is not a valid interface name") from None
    if (
        not raw
        or len(raw) >= IFNAMSIZ
        or raw in (b".", b"..")
        or any(c in b"/: \t\n\r\v\f" for c in raw)
    ):
        why = "empty" if not raw else f"{len(raw)} bytes, at most {IFNAMSIZ - 1}"
        if raw and len(raw) < IFNAMSIZ:
            why = "no /, : or spaces, and not . or .."
        raise UsageError(f"{name!r} is not a valid interface name ({why})")


def split_zone(text: str, dev: str | None) -> tuple[str, str | None]:
    """``fe80::1%veth0`` -> (``fe80::1``, ``veth0``): an IPv6 zone names the device.

    A zone may come before a prefix length (``fe80::%veth0/64``). UsageError
    when the zone is empty, is given to an IPv4 address, or contradicts ``dev``.
    """
    if "%" not in text:
        return text, dev
    address, _, zone = text.partition("%")
    zone, slash, length = zone.partition("/")
    if ":" not in address:
        raise UsageError(f"{text!r}: only IPv6 addresses have a zone (%DEV)")
    if not zone:
        raise UsageError(f"{text!r} has an empty zone: write ADDR%DEV, or drop the %")
    validate_device_name(zone)
    return address + slash + length, zone_device(text, zone, dev)


def zone_device(text: str, zone: str | None, dev: str | None) -> str | None:
    """The device an address names by its zone and --dev; UsageError when they differ."""
    if zone is not None and dev is not None and dev != zone:
        raise UsageError(
            f"the zone of {text!r} names device {zone!r}, but --dev names {dev!r}",
            "give one of them",
        )
    return zone or dev


def build_filter(
    target: str | None = None,
    dev: str | None = None,
    states: Iterable[str] | None = None,
    ipv4: bool = False,
    ipv6: bool = False,
    proxy: bool = False,
) -> NeighFilter:
    """The filter for command-line style arguments, validated (UsageError)."""
    if ipv4 and ipv6:
        raise UsageError("-4 and -6 exclude each other; give neither for both families")
    family = AF_INET if ipv4 else AF_INET6 if ipv6 else None
    if target is not None:
        target, dev = split_zone(target, dev)
    prefix = parse_prefix(target, family) if target is not None else None
    if dev is not None:
        validate_device_name(dev)
    return NeighFilter(
        family=family, dev=dev, prefix=prefix, states=state_mask(states or []), proxy=proxy
    )


def parse_prefix(
    text: str, family: int | None = None
) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """ADDR or ADDR/LEN as `ip neigh show to` takes it; UsageError if malformed.

    As in iproute2, an IPv4 prefix may leave out trailing zero bytes: ``10/8``
    is 10.0.0.0/8 and ``172.16/12`` is 172.16.0.0/12.
    """
    import ipaddress

    value = text.strip()
    if not value:
        raise UsageError("an empty address: give an IP address or prefix, or leave it out")
    address, slash, length = value.partition("/")
    if slash and ":" not in address and 0 < address.count(".") + 1 < 4:
        parts = address.split(".")
        if all(p.isdigit() and len(p) <= 3 for p in parts):
            address = ".".join(parts + ["0"] * (4 - len(parts)))
            value = f"{address}/{length}"
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise UsageError(f"{text!r} is not an IP address or prefix") from None
    want = {AF_INET: 4, AF_INET6: 6}.get(family or 0)
    if want and network.version != want:
        raise UsageError(f"{text!r} is not an IPv{want} address or prefix")
    return network


@dataclass(frozen=True, slots=True)
class NeighFilter:
    """What to select. ``states`` is a mask of NudState bits plus NONE_BIT."""

    family: int | None = None
    dev: str | None = None
    prefix: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    states: int = DEFAULT_SHOW_MASK
    proxy: bool = False

    @property
    def effective_family(self) -> int | None:
        if self.family:
            return self.family
        if self.prefix is not None:
            return AF_INET if self.prefix.version == 4 else AF_INET6
        return None

    def matches(self, n: Neighbor) -> bool:
        """Whether one entry passes; the same rule for kernel and text sources."""
        return self._passes(n.family, n.dst, n.dev, int(n.state), int(n.flags))

    def matches_row(self, row: Row) -> bool:
        """matches() for an entry as a row (model.Row)."""
        return self._passes(row[0], row[1], row[2], int(row[3]), int(row[4]))

    def _passes(self, family: int, dst: str, dev: str, state: int, flags: int) -> bool:
        # int ops: IntFlag's own & runs Python code
        if self.proxy != bool(flags & _PROXY):
            return False
        want = self.effective_family
        if want and family != want:
            return False
        if self.dev is not None and dev != self.dev:
            return False
        if (
            not (self.states & state)
            and not (flags & _BYPASS_STATE)
            and (state or not (self.states & NONE_BIT))
        ):
            return False
        return self.prefix is None or _in_prefix(family, dst, self.prefix)

    def select(self, entries: Iterable[Neighbor]) -> Iterator[Neighbor]:
        if self.dev is not None or self.prefix is not None or self.effective_family:
            matches = self.matches
            return (n for n in entries if matches(n))
        # The usual case, state and proxy only, without a call per entry.
        states = self.states
        none_ok = states & NONE_BIT
        want_proxy = _PROXY if self.proxy else 0
        return (
            n
            for n in entries
            if (int(n.flags) & _PROXY) == want_proxy
            and (
                states & int(n.state)
                or int(n.flags) & _BYPASS_STATE
                or (none_ok and not int(n.state))
            )
        )


def _in_prefix(
    family: int, dst: str, prefix: ipaddress.IPv4Network | ipaddress.IPv6Network
) -> bool:
    af = AF_INET if prefix.version == 4 else AF_INET6
    if family != af:
        return False
    try:
        packed = inet_pton(af, dst)
    except OSError:
        return False
    value = int.from_bytes(packed, "big")
    return (value & int(prefix.netmask)) == int(prefix.network_address)


# Like `ip neigh flush`: every state but PERMANENT and NOARP unless --state names them.
FLUSH_DEFAULT_STATES = ALL_STATES & ~int(NudState.PERMANENT | NudState.NOARP)


def flush_filter(
    target: str | None = None,
    dev: str | None = None,
    states: Sequence[str] | None = None,
    ipv4: bool = False,
    ipv6: bool = False,
    *,
    all_entries: bool = False,
) -> NeighFilter:
    """The filter `flush` uses: `show`'s, but PERMANENT and NOARP stay unless named.

    Like iproute2, a flush needs some filter (an address, a device or a state);
    ``all_entries`` stands for "every entry" instead. -4/-6 alone are not a filter.
    """
    if not (target or dev or states or all_entries):
        raise UsageError(
            "flush needs a filter (ADDR|PREFIX, --dev or --state)",
            "or --all to flush every entry but PERMANENT and NOARP ones",
        )
    filt = build_filter(target, dev, states, ipv4, ipv6)
    return filt if states else replace(filt, states=FLUSH_DEFAULT_STATES)


def flush_matches(filt: NeighFilter, n: Neighbor) -> bool:
    """The filter, with the state mask applied to every entry.

    `ip neigh flush` lets extern_learn entries bypass the state filter, so it
    deletes a control plane's PERMANENT entries; flush here never does unless
    the state filter names their state.
    """
    if not filt.matches(n):
        return False
    state = int(n.state)
    return bool(filt.states & (state or NONE_BIT))


@dataclass
class Hidden:
    """Entries the default filter held back from a saved table (show says so)."""

    noarp: int = 0  # in state NOARP
    none: int = 0  # in state NONE
    proxy: int = 0  # proxy entries, shown only with --proxy

    def messages(self) -> list[str]:
        """One sentence per kind held back, naming the option that shows them."""
        out = []
        states = [(self.noarp, "NOARP"), (self.none, "NONE")]
        held = [f"{count} in state {name}" for count, name in states if count]
        if held:
            total = self.noarp + self.none
            out.append(
                f"{total} entr{'ies' if total != 1 else 'y'} hidden by the default state filter "
                f"({', '.join(held)}); --state all shows them"
            )
        if self.proxy:
            out.append(
                f"{self.proxy} proxy entr{'ies' if self.proxy != 1 else 'y'} hidden; "
                "--proxy shows them"
            )
        return out


def select_counting_hidden(
    filt: NeighFilter, entries: Iterable[Neighbor], hidden: Hidden
) -> Iterator[Neighbor]:
    """filt.select(entries), counting in ``hidden`` the entries only the default
    filter rejected: NOARP/NONE ones (when no state was asked for) and proxy
    entries (when --proxy was not given) that pass everything else."""
    default_states = filt.states == DEFAULT_SHOW_MASK
    noarp = int(NudState.NOARP)
    if filt.dev is None and filt.prefix is None and not filt.effective_family:
        # The usual case, inlined: a 1,000,000-entry capture streams through here.
        states = filt.states
        none_ok = states & NONE_BIT
        want_proxy = _PROXY if filt.proxy else 0
        for n in entries:
            flags = int(n.flags)
            state = int(n.state)
            if (flags & _PROXY) == want_proxy:
                if states & state or flags & _BYPASS_STATE or (none_ok and not state):
                    yield n
                elif default_states:
                    if state & noarp:
                        hidden.noarp += 1
                    else:
                        hidden.none += 1
            elif not want_proxy:
                hidden.proxy += 1
        return
    all_states = replace(filt, states=ALL_STATES)
    as_proxy = replace(filt, proxy=True)
    for n in entries:
        if filt.matches(n):
            yield n
        elif default_states and all_states.matches(n):
            if int(n.state) & noarp:
                hidden.noarp += 1
            else:
                hidden.none += 1
        elif not filt.proxy and as_proxy.matches(n):
            hidden.proxy += 1
