"""Checking what `add` and `del` are asked to do, before anything changes (stdlib only).

Everything a request can be refused for without asking the kernel is refused
here: the address, the MAC and its form, the state, option combinations.
``check_device`` adds the checks that need the device's properties (read by
``neighctl.kernel.device``), still before any change is sent.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
from dataclasses import dataclass

from neighctl.errors import UsageError
from neighctl.filters import split_zone
from neighctl.model import AF_INET, AF_INET6, NO_FLAGS, Neighbor, NeighFlag, NudState

MAC_LEN = 6
MAC_FORMS = "aa:bb:cc:dd:ee:ff, a:b:c:d:e:f, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff"
_HEX = frozenset("0123456789abcdefABCDEF")

# The states `add --nud` takes (design.md); `ip neigh add` without nud is permanent.
NUD_CHOICES: dict[str, NudState] = {
    "permanent": NudState.PERMANENT,
    "noarp": NudState.NOARP,
    "reachable": NudState.REACHABLE,
    "stale": NudState.STALE,
}


def parse_address(text: str) -> tuple[int, str]:
    """One neighbour address: (family, the kernel's spelling of it); UsageError otherwise."""
    value = text.strip()
    if "/" in value:
        raise UsageError(f"{text!r} is a prefix: give one address (flush takes prefixes)")
    if "%" in value:
        raise UsageError(f"{text!r} has a zone: name the device with --dev or as ADDR%DEV")
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise UsageError(f"{text!r} is not an IPv4 or IPv6 address") from None
    family = AF_INET if address.version == 4 else AF_INET6
    return family, socket.inet_ntop(family, address.packed)


def parse_unicast_address(text: str) -> tuple[int, str]:
    """An address a static entry can be made for: not unspecified, multicast or broadcast."""
    family, canonical = parse_address(text)
    address = ipaddress.ip_address(canonical)
    if address.is_unspecified:
        raise UsageError(f"{text!r} is the unspecified address: no neighbour has it")
    if address.is_multicast or canonical == "255.255.255.255":
        kind = "multicast" if address.is_multicast else "broadcast"
        raise UsageError(
            f"{text!r} is a {kind} address: the kernel maps it to a link-layer "
            "address itself (NOARP); it takes no static entry"
        )
    return family, canonical


def parse_lladdr(text: str) -> str:
    """A MAC in any accepted form, as canonical lower-case colon text; UsageError otherwise.

    Colon and dash groups may drop a leading zero, as iproute2 reads them
    (``2:0:0:0:0:1`` is 02:00:00:00:00:01); dotted groups have four digits.
    """
    value = text.strip()
    bad = UsageError(f"{text!r} is not a MAC address", f"write it as {MAC_FORMS}")
    if "." in value:
        groups = value.split(".")
        if any(len(g) != 4 for g in groups):
            raise bad
    elif ":" in value or "-" in value:
        if ":" in value and "-" in value:
            raise bad
        groups = value.split(":" if ":" in value else "-")
        if any(not 1 <= len(g) <= 2 for g in groups):
            raise bad
        groups = [g.rjust(2, "0") for g in groups]
    else:
        raise bad
    if any(not set(g) <= _HEX for g in groups):
        raise bad
    raw = bytes.fromhex("".join(groups))
    if len(raw) != MAC_LEN:
        size = "short" if len(raw) < MAC_LEN else "long"
        raise UsageError(
            f"MAC {text!r} is too {size}: {len(raw)} bytes, a MAC has {MAC_LEN}",
            f"write it as {MAC_FORMS}",
        )
    return raw.hex(":")


def check_unicast_mac(mac: str) -> None:
    """Refuse what is_valid_ether_addr() refuses: group (multicast/broadcast) and zero MACs."""
    raw = bytes.fromhex(mac.replace(":", ""))
    if raw == b"\xff" * MAC_LEN:
        raise UsageError(f"{mac} is the broadcast MAC: a neighbour entry needs a unicast MAC")
    if raw[0] & 1:
        raise UsageError(
            f"{mac} is a multicast MAC (group bit set in the first byte): "
            "a neighbour entry needs a unicast MAC"
        )
    if not any(raw):
        raise UsageError(f"{mac} is the all-zero MAC: a neighbour entry needs a real unicast MAC")


def parse_nud(text: str | None) -> NudState:
    """The --nud value (any case); PERMANENT when not given, as `ip neigh add`."""
    if text is None:
        return NudState.PERMANENT
    state = NUD_CHOICES.get(text.strip().lower())
    if state is None:
        raise UsageError(
            f"unknown --nud {text!r}", "use permanent (the default), noarp, reachable or stale"
        )
    return state


@dataclass(frozen=True, slots=True)
class NeighRequest:
    """One entry to add, replace or delete, already validated.

    ``flags`` holds the NTF_* bits sent in ndm_flags: PROXY, ROUTER, EXT_LEARNED.
    ``clear`` holds the flags the user turned off (--no-router, --no-extern-learn):
    a replace keeps an existing entry's ROUTER and EXT_LEARNED flags unless
    named here (the kernel itself would drop them, as `ip neigh replace` does).
    """

    family: int
    dst: str
    dev: str
    lladdr: str | None = None
    state: NudState = NudState.PERMANENT
    flags: NeighFlag = NO_FLAGS
    clear: NeighFlag = NO_FLAGS

    @property
    def proxy(self) -> bool:
        return bool(self.flags & NeighFlag.PROXY)

    def as_entry(self, ifindex: int | None = None) -> Neighbor:
        """The entry this request asks the kernel to hold (what a dry run would make)."""
        return Neighbor(
            family=self.family,
            dst=self.dst,
            dev=self.dev,
            state=NudState.NONE if self.proxy else self.state,
            flags=self.flags,
            lladdr=self.lladdr,
            ifindex=ifindex,
        )

    @property
    def what(self) -> str:
        """How messages name the entry: `10.0.0.5 dev eth0` or `proxy 10.0.0.5 dev eth0`."""
        return f"{'proxy ' if self.proxy else ''}{self.dst} dev {self.dev}"


def device_of(address: str, dev: str | None) -> tuple[str, str]:
    """The address without its zone, and the device: --dev or the zone (``fe80::1%veth0``).

    UsageError when neither names a device, or they contradict each other.
    """
    address, dev = split_zone(address, dev)
    if dev is None:
        raise UsageError("missing option --dev", "or give the address a zone, ADDR%DEV")
    return address, dev


def add_request(
    address: str,
    lladdr: str | None,
    dev: str | None,
    *,
    nud: str | None = None,
    router: bool | None = None,
    proxy: bool = False,
    extern_learn: bool | None = None,
) -> NeighRequest:
    """Validate the arguments of `add`; every refusal names the bad value.

    ``router`` and ``extern_learn``: True sets the flag, False clears it on a
    replace, None (not given) keeps what an existing entry has.
    """
    address, dev = device_of(address, dev)
    family, dst = parse_unicast_address(address)
    flags = NO_FLAGS
    clear = NO_FLAGS
    if router is False:
        clear |= NeighFlag.ROUTER
    if extern_learn is False:
        clear |= NeighFlag.EXT_LEARNED
    if router:
        if family != AF_INET6:
            raise UsageError(
                f"--router is IPv6 only: {dst} is IPv4, and ARP entries have no router flag"
            )
        flags |= NeighFlag.ROUTER
    state = parse_nud(nud)
    if proxy:
        if lladdr is not None:
            raise UsageError(
                f"a proxy entry has no link-layer address: drop {lladdr!r}",
                "the kernel answers for a proxy address with the device's own MAC",
            )
        if nud is not None:
            raise UsageError(f"--nud {nud!r} does not apply to proxy entries: they have no state")
        if extern_learn:
            raise UsageError("--extern-learn does not apply to proxy entries")
        return NeighRequest(
            family, dst, dev, None, NudState.PERMANENT, flags | NeighFlag.PROXY, clear
        )
    if lladdr is None:
        word = (state.name or "").lower()
        raise UsageError(
            f"LLADDR is required: a {word} entry for {dst} needs the neighbour's MAC",
            f"e.g. neighctl add {dst} aa:bb:cc:dd:ee:ff --dev {dev}",
        )
    mac = parse_lladdr(lladdr)
    check_unicast_mac(mac)
    if extern_learn:
        flags |= NeighFlag.EXT_LEARNED
    return NeighRequest(family, dst, dev, mac, state, flags, clear)


def delete_request(address: str, dev: str | None, *, proxy: bool = False) -> NeighRequest:
    """Validate the arguments of `del` (any address an entry can have, multicast included)."""
    address, dev = device_of(address, dev)
    family, dst = parse_address(address)
    flags = NeighFlag.PROXY if proxy else NO_FLAGS
    return NeighRequest(family, dst, dev, None, NudState.NONE, flags)


def lookup_request(address: str, dev: str | None, *, proxy: bool = False) -> NeighRequest:
    """Validate the arguments of `get` and `probe`: one address (any kind) on one device."""
    return delete_request(address, dev, proxy=proxy)


def request_for(n: Neighbor) -> NeighRequest:
    """The delete request for an entry read from the kernel (flush)."""
    flags = NeighFlag.PROXY if n.is_proxy else NO_FLAGS
    return NeighRequest(n.family, n.dst, n.dev, None, NudState.NONE, flags)


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """What `add` needs to know about a device, read from RTM_NEWLINK."""

    name: str
    index: int
    link_type: int
    flags: int
    addr_len: int  # length of the device's own link-layer address; 0 if it has none
    has_ipv4: bool
    has_ipv6: bool
    ipv6_disabled: bool


IFF_LOOPBACK = 0x8
IFF_POINTOPOINT = 0x10


def check_device(req: NeighRequest, dev: DeviceInfo) -> None:
    """Refuse entries the device cannot take: a family it lacks, a MAC it cannot use."""
    if req.family == AF_INET6:
        if not dev.has_ipv6:
            raise UsageError(
                f"device {dev.name!r} has no IPv6: it cannot take an entry for {req.dst}",
                "IPv6 needs an MTU of at least 1280",
            )
        if dev.ipv6_disabled:
            raise UsageError(
                f"IPv6 is disabled on device {dev.name!r}: it cannot take an entry for {req.dst}",
                f"net.ipv6.conf.{dev.name}.disable_ipv6 is 1",
            )
    elif not dev.has_ipv4:
        raise UsageError(
            f"device {dev.name!r} has no IPv4: it cannot take an entry for {req.dst}",
            "IPv4 needs an MTU of at least 68",
        )

    if req.lladdr is not None:
        if dev.addr_len == 0:
            raise UsageError(
                f"device {dev.name!r} has no link-layer address (link type {dev.link_type}): "
                f"a MAC ({req.lladdr}) means nothing there"
            )
        if dev.addr_len != MAC_LEN:
            raise UsageError(
                f"device {dev.name!r} uses {dev.addr_len}-byte link-layer addresses, "
                f"not {MAC_LEN}-byte MACs like {req.lladdr}"
            )
    if req.family == AF_INET and not req.proxy and dev.flags & (IFF_LOOPBACK | IFF_POINTOPOINT):
        # arp.c keys every IPv4 neighbour of such a device as 0.0.0.0 (arp_hashfn,
        # __ipv4_neigh_lookup_noref): the entry would not be the one asked for.
        kind = "a loopback" if dev.flags & IFF_LOOPBACK else "a point-to-point"
        raise UsageError(
            f"device {dev.name!r} is {kind} device: the kernel keeps one IPv4 neighbour "
            f"there, keyed 0.0.0.0, so an entry for {req.dst} cannot be stored as asked",
            "IPv4 neighbours need a broadcast device such as a veth, bridge or ethernet",
        )


def check_subnets(req: NeighRequest, dev: str, addresses: list[tuple[int, str, int]]) -> None:
    """Refuse the broadcast or network address of one of the device's own subnets.

    ``addresses`` are the device's (family, address, prefix length). A static
    entry for 10.0.0.255 on a /24 would send the subnet's broadcasts to one
    MAC; the network address (and IPv6's subnet-router anycast address) is no
    single neighbour's either. /31, /32 (RFC 3021) and /127, /128 have neither.
    """
    dst = ipaddress.ip_address(req.dst)
    for family, address, length in addresses:
        if family != req.family or length >= (31 if family == AF_INET else 127):
            continue
        net = ipaddress.ip_network(f"{address}/{length}", strict=False)
        if dst == net.network_address:
            kind = "network" if family == AF_INET else "subnet-router anycast"
            raise UsageError(
                f"{req.dst} is the {kind} address of {net} on {dev}: no single neighbour has it",
                "a static entry for it would send that traffic to one MAC",
            )
        if family == AF_INET and dst == net.broadcast_address:
            raise UsageError(
                f"{req.dst} is the broadcast address of {net} on {dev}: the kernel sends "
                "it to every host (ff:ff:ff:ff:ff:ff)",
                "a static entry would send the subnet's broadcasts to one MAC",
            )


def ip_command(verb: str, req: NeighRequest, netns: str | None = None) -> str:
    """The `ip neigh` command that does the same (`add`, `replace` or `del`)."""
    args = ["ip"]
    if netns:
        args += ["-n", netns]
    args += ["neigh", verb]
    if req.proxy:
        args.append("proxy")
    args.append(req.dst)
    if verb != "del" and req.lladdr is not None:
        args += ["lladdr", req.lladdr]
    args += ["dev", req.dev]
    if verb != "del":
        if not req.proxy:
            args += ["nud", (req.state.name or "none").lower()]
        if req.flags & NeighFlag.ROUTER:
            args.append("router")
        if req.flags & NeighFlag.EXT_LEARNED:
            args.append("extern_learn")
    return shlex.join(args)
