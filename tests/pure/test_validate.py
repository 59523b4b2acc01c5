"""Validation of add/del requests: pure, no kernel."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighctl.errors import ExitCode, UsageError
from neighctl.model import AF_INET, AF_INET6, NeighFlag, NudState
from neighctl.validate import (
    DeviceInfo,
    add_request,
    check_device,
    check_unicast_mac,
    delete_request,
    ip_command,
    parse_address,
    parse_lladdr,
    parse_nud,
    parse_unicast_address,
)


@pytest.mark.parametrize(
    "text",
    [
        "aa:bb:cc:0d:0e:0f",
        "AA:BB:CC:0D:0E:0F",
        "aa-bb-cc-0d-0e-0f",
        "aabb.cc0d.0e0f",
        " Aa:bB:cc:0d:0e:0f ",
    ],
)
def test_mac_forms_are_canonicalised(text: str) -> None:
    assert parse_lladdr(text) == "aa:bb:cc:0d:0e:0f"


@given(st.binary(min_size=6, max_size=6))
def test_every_form_of_a_mac_gives_the_same_canonical_text(raw: bytes) -> None:
    colon = raw.hex(":")
    forms = [colon, colon.upper(), raw.hex("-"), raw.hex(".", 2)]
    assert {parse_lladdr(f) for f in forms} == {colon}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("aa:bb:cc:dd:ee", "too short: 5 bytes"),
        ("aabb.ccdd", "too short: 4 bytes"),
        ("aa:bb:cc:dd:ee:ff:00", "too long: 7 bytes"),
        ("aa:bb:cc:dd:ee:fg", "not a MAC address"),
        ("a:b:c:d:e:", "not a MAC address"),
        ("aaa:b:c:d:e:f", "not a MAC address"),
        ("aa:bb-cc:dd:ee:ff", "not a MAC address"),
        ("aabbccddeeff", "not a MAC address"),
        ("", "not a MAC address"),
    ],
)
def test_bad_macs_are_refused_naming_the_value(text: str, words: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_lladdr(text)
    assert words in str(info.value)
    assert repr(text) in str(info.value)
    assert info.value.exit_code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("mac", "words"),
    [
        ("ff:ff:ff:ff:ff:ff", "broadcast MAC"),
        ("01:00:5e:00:00:01", "multicast MAC"),
        ("33:33:00:00:00:01", "multicast MAC"),
        ("00:00:00:00:00:00", "all-zero MAC"),
    ],
)
def test_group_and_zero_macs_are_refused(mac: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        check_unicast_mac(mac)


def test_unicast_macs_pass() -> None:
    check_unicast_mac("ee:ee:ee:ee:ee:ee")  # Calico's host-side veth MAC
    check_unicast_mac("02:00:00:00:00:01")


@pytest.mark.parametrize(
    ("text", "family", "canonical"),
    [
        ("10.0.0.5", AF_INET, "10.0.0.5"),
        (" 169.254.1.1 ", AF_INET, "169.254.1.1"),
        ("FD00:0::5", AF_INET6, "fd00::5"),
        ("::ffff:10.0.0.1", AF_INET6, "::ffff:10.0.0.1"),
    ],
)
def test_addresses_get_the_kernels_spelling(text: str, family: int, canonical: str) -> None:
    assert parse_address(text) == (family, canonical)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("10.0.0.256", "not an IPv4 or IPv6 address"),
        ("10.0.0.0/24", "is a prefix"),
        ("fe80::1%eth0", "has a zone"),
        ("eth0", "not an IPv4 or IPv6 address"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.5", "multicast address"),
        ("ff02::1", "multicast address"),
        ("255.255.255.255", "broadcast address"),
    ],
)
def test_bad_addresses_for_an_entry_are_refused(text: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        parse_unicast_address(text)


def test_delete_takes_multicast_entries() -> None:
    assert delete_request("ff02::2", "eth0").dst == "ff02::2"


def test_nud_choices() -> None:
    assert parse_nud(None) == NudState.PERMANENT
    assert parse_nud("NoArp") == NudState.NOARP
    assert parse_nud("reachable") == NudState.REACHABLE
    assert parse_nud("stale") == NudState.STALE
    for bad in ("delay", "failed", "incomplete", "bogus"):
        with pytest.raises(UsageError, match=f"unknown --nud '{bad}'"):
            parse_nud(bad)


def test_add_request_defaults_to_permanent() -> None:
    req = add_request("10.0.0.5", "AA-BB-CC-00-00-05", "eth0")
    assert (req.family, req.dst, req.dev, req.lladdr) == (
        AF_INET,
        "10.0.0.5",
        "eth0",
        "aa:bb:cc:00:00:05",
    )
    assert req.state == NudState.PERMANENT
    assert req.flags == NeighFlag(0)


def test_add_request_flags() -> None:
    req = add_request("fd00::1", "02:00:00:00:00:01", "eth0", router=True, extern_learn=True)
    assert req.flags == NeighFlag.ROUTER | NeighFlag.EXT_LEARNED
    proxy = add_request("fd00::1", None, "eth0", proxy=True, router=True)
    assert proxy.flags == NeighFlag.ROUTER | NeighFlag.PROXY
    assert proxy.proxy
    assert proxy.what == "proxy fd00::1 dev eth0"


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        (
            {"address": "10.0.0.5", "lladdr": "02:00:00:00:00:05", "router": True},
            "--router is IPv6 only",
        ),
        (
            {"address": "10.0.0.5", "lladdr": "02:00:00:00:00:05", "proxy": True},
            "proxy entry has no link-layer address",
        ),
        (
            {"address": "10.0.0.5", "lladdr": None, "proxy": True, "nud": "stale"},
            "does not apply to proxy",
        ),
        (
            {"address": "10.0.0.5", "lladdr": None, "proxy": True, "extern_learn": True},
            "does not apply to proxy",
        ),
        ({"address": "10.0.0.5", "lladdr": None}, "LLADDR is required"),
        ({"address": "10.0.0.5", "lladdr": "ff:ff:ff:ff:ff:ff"}, "broadcast MAC"),
        ({"address": "10.0.0.5", "lladdr": "02:00:00:00:00:05", "nud": "probe"}, "unknown --nud"),
    ],
)
def test_add_request_refusals(kwargs: dict[str, object], words: str) -> None:
    address = str(kwargs.pop("address"))
    lladdr = kwargs.pop("lladdr")
    with pytest.raises(UsageError, match=words):
        add_request(address, lladdr, "eth0", **kwargs)  # type: ignore[arg-type]


def _device(**changes: object) -> DeviceInfo:
    values: dict[str, object] = {
        "name": "eth0",
        "index": 2,
        "link_type": 1,
        "flags": 0x1003,
        "addr_len": 6,
        "has_ipv4": True,
        "has_ipv6": True,
        "ipv6_disabled": False,
    }
    values.update(changes)
    return DeviceInfo(**values)  # type: ignore[arg-type]


def test_check_device_accepts_an_ethernet_device() -> None:
    check_device(add_request("10.0.0.5", "02:00:00:00:00:05", "eth0"), _device())
    check_device(add_request("fd00::5", "02:00:00:00:00:05", "eth0"), _device())


@pytest.mark.parametrize(
    ("address", "lladdr", "device", "words"),
    [
        (
            "fd00::5",
            "02:00:00:00:00:05",
            {"ipv6_disabled": True},
            "IPv6 is disabled on device 'eth0'",
        ),
        ("fd00::5", None, {"has_ipv6": False}, "has no IPv6"),
        ("10.0.0.5", "02:00:00:00:00:05", {"has_ipv4": False}, "has no IPv4"),
        (
            "10.0.0.5",
            "02:00:00:00:00:05",
            {"addr_len": 0, "link_type": 65534},
            "has no link-layer address",
        ),
        (
            "10.0.0.5",
            "02:00:00:00:00:05",
            {"addr_len": 4, "link_type": 768},
            "4-byte link-layer addresses",
        ),
    ],
)
def test_check_device_refusals(
    address: str, lladdr: str | None, device: dict[str, object], words: str
) -> None:
    req = add_request(address, lladdr, "eth0", proxy=lladdr is None)
    with pytest.raises(UsageError, match=words):
        check_device(req, _device(**device))


def test_ip_commands() -> None:
    req = add_request("fd00::5", "02:00:00:00:00:05", "eth0", router=True, extern_learn=True)
    assert ip_command("add", req) == (
        "ip neigh add fd00::5 lladdr 02:00:00:00:00:05 dev eth0 nud permanent router extern_learn"
    )
    stale = add_request("10.0.0.5", "02:00:00:00:00:05", "eth0", nud="stale")
    assert ip_command("replace", stale, "ns1") == (
        "ip -n ns1 neigh replace 10.0.0.5 lladdr 02:00:00:00:00:05 dev eth0 nud stale"
    )
    proxy = add_request("10.0.0.50", None, "eth0", proxy=True)
    assert ip_command("add", proxy) == "ip neigh add proxy 10.0.0.50 dev eth0"
    assert ip_command("del", delete_request("10.0.0.5", "eth0")) == "ip neigh del 10.0.0.5 dev eth0"
    assert ip_command("del", delete_request("10.0.0.5", "eth0", proxy=True)) == (
        "ip neigh del proxy 10.0.0.5 dev eth0"
    )
    odd = delete_request("10.0.0.5", "we ird")
    assert shlex.split(ip_command("del", odd))[-1] == "we ird"


@given(st.ip_addresses())
def test_any_address_parses_to_the_kernels_spelling(address: object) -> None:
    import ipaddress
    import socket

    assert isinstance(address, (ipaddress.IPv4Address, ipaddress.IPv6Address))
    family = AF_INET if address.version == 4 else AF_INET6
    for text in (str(address), address.exploded):
        assert parse_address(text) == (family, socket.inet_ntop(family, address.packed))


@given(
    st.ip_addresses(v=6).filter(lambda a: not (a.is_multicast or a.is_unspecified)),
    st.binary(min_size=6, max_size=6).map(lambda b: bytes([b[0] & 0xFE | 0x02]) + b[1:]),
    st.sampled_from(["permanent", "noarp", "reachable", "stale"]),
    st.booleans(),
)
def test_ip_command_words_round_trip(address: object, raw: bytes, nud: str, router: bool) -> None:
    req = add_request(str(address), raw.hex("-"), "eth0", nud=nud, router=router)
    words = shlex.split(ip_command("add", req))
    assert words[:4] == ["ip", "neigh", "add", req.dst]
    assert words[words.index("lladdr") + 1] == raw.hex(":")
    assert words[words.index("nud") + 1] == nud
    assert ("router" in words) == router
