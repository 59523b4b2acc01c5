"""One filter object for show, flush and watch, for kernel and text sources.

Semantics follow iproute2's `ip neigh show` (ip/ipneigh.c): a state mask in
which bit 0x100 stands for NONE (state 0); proxy and extern_learn entries
bypass the state filter; `to PREFIX` matches addresses inside the prefix.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from neighctl.errors import UsageError
from neighctl.model import (
    AF_INET,
    AF_INET6,
    STATE_BY_NAME,
    Neighbor,
    NeighFlag,
    NudState,
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
    """The iproute2 state mask for `--state` values (any case, `all`, numbers)."""
    mask = 0
    given = False
    for name in names:
        given = True
        if name.strip().lower() == "all":
            mask |= ALL_STATES
            continue
        try:
            state = parse_state(name)
        except ValueError:
            raise UsageError(f"unknown state {name!r}", state_hint(name)) from None
        mask |= int(state) or NONE_BIT
    return mask if given else default


def state_hint(word: str) -> str:
    """'did you mean X?' for a near miss, else the list of states."""
    import difflib

    close = difflib.get_close_matches(word.upper(), [*STATE_BY_NAME, "ALL"], n=1, cutoff=0.6)
    listing = "states: " + " ".join(STATE_BY_NAME) + " (any case), or all"
    return f"did you mean {close[0]}? {listing}" if close else listing


IFNAMSIZ = 16


def validate_device_name(name: str) -> None:
    """Reject names the kernel could never have, before any netlink call."""
    # A name the shell passed as bytes that are not UTF-8 arrives with surrogate
    # escapes (PEP 383); the kernel allows such names, so measure the bytes.
    size = len(name.encode("utf-8", "surrogateescape"))
    if not name or size >= IFNAMSIZ or "/" in name or any(c.isspace() for c in name):
        raise UsageError(f"{name!r} is not a valid interface name")


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
    prefix = parse_prefix(target, family) if target else None
    if dev is not None:
        validate_device_name(dev)
    return NeighFilter(
        family=family, dev=dev, prefix=prefix, states=state_mask(states or []), proxy=proxy
    )


def parse_prefix(
    text: str, family: int | None = None
) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """ADDR or ADDR/LEN as `ip neigh show to` takes it; UsageError if malformed."""
    import ipaddress

    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
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
        flags = int(n.flags)  # int ops: IntFlag's own & runs Python code
        if self.proxy != bool(flags & _PROXY):
            return False
        family = self.effective_family
        if family and n.family != family:
            return False
        if self.dev is not None and n.dev != self.dev:
            return False
        state = int(n.state)
        if (
            not (self.states & state)
            and not (flags & _BYPASS_STATE)
            and (state or not (self.states & NONE_BIT))
        ):
            return False
        return self.prefix is None or _in_prefix(n, self.prefix)

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


def _in_prefix(n: Neighbor, prefix: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    af = AF_INET if prefix.version == 4 else AF_INET6
    if n.family != af:
        return False
    try:
        packed = socket.inet_pton(af, n.dst)
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
