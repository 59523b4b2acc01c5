"""User words the filters and requests accept: iproute2 spellings, zones, names that are
not UTF-8, and the refusals that come with them (no kernel)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighctl.errors import ExitCode, UsageError
from neighctl.filters import (
    ALL_STATES,
    NONE_BIT,
    build_filter,
    device_bytes,
    parse_prefix,
    split_zone,
    state_mask,
    validate_device_name,
)
from neighctl.model import AF_INET, AF_INET6, NeighFlag, NudState
from neighctl.validate import (
    IFF_LOOPBACK,
    IFF_POINTOPOINT,
    DeviceInfo,
    add_request,
    check_device,
    check_subnets,
    delete_request,
    parse_lladdr,
)


def test_states_may_be_comma_separated() -> None:
    assert state_mask(["stale,failed"]) == int(NudState.STALE | NudState.FAILED)
    assert state_mask(["stale", "FAILED,none"]) == int(NudState.STALE | NudState.FAILED) | NONE_BIT
    assert state_mask(["all,stale"]) == ALL_STATES
    for bad in (["stale,"], [","], ["stale,,failed"]):
        with pytest.raises(UsageError, match="empty state"):
            state_mask(bad)
    with pytest.raises(UsageError, match="did you mean STALE"):
        state_mask(["failed,stael"])


@pytest.mark.parametrize(
    ("text", "network"),
    [
        ("10/8", "10.0.0.0/8"),
        ("172.16/12", "172.16.0.0/12"),
        ("192.168.1/24", "192.168.1.0/24"),
        ("10.0.0.1", "10.0.0.1/32"),
        ("fd00::/64", "fd00::/64"),
    ],
)
def test_iproute2_short_prefixes(text: str, network: str) -> None:
    assert str(parse_prefix(text)) == network


@pytest.mark.parametrize("text", ["", " ", "10", "10/", "10/33", "1.2.3.4.5/8", "x/8", "10.a/8"])
def test_bad_prefixes(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_prefix(text)
    assert info.value.exit_code == ExitCode.USAGE


def test_an_empty_target_is_bad_input_not_everything() -> None:
    with pytest.raises(UsageError, match="empty address"):
        build_filter("")
    assert build_filter(None).prefix is None


def test_a_zone_is_the_device() -> None:
    f = build_filter("fe80::1%veth0")
    assert (str(f.prefix), f.dev) == ("fe80::1/128", "veth0")
    assert build_filter("fe80::1%veth0", dev="veth0").dev == "veth0"
    assert split_zone("fe80::%veth0/64", None) == ("fe80::/64", "veth0")
    assert split_zone("10.0.0.1", "eth0") == ("10.0.0.1", "eth0")


@pytest.mark.parametrize(
    ("text", "dev", "words"),
    [
        ("fe80::1%veth0", "veth1", "names device 'veth0', but --dev names 'veth1'"),
        ("fe80::1%", None, "empty zone"),
        ("10.0.0.1%eth0", None, "only IPv6 addresses have a zone"),
        ("fe80::1%a/b/c", None, "not an IP address or prefix"),
        ("fe80::1%a:b", None, "not a valid interface name"),
        ("fe80::1%" + "x" * 16, None, "not a valid interface name"),
    ],
)
def test_bad_zones(text: str, dev: str | None, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        build_filter(text, dev=dev)


def test_requests_take_the_device_from_the_zone() -> None:
    req = delete_request("fe80::1%veth0", None)
    assert (req.dst, req.dev) == ("fe80::1", "veth0")
    added = add_request("fe80::1%veth0", "2:0:0:0:0:1", None)
    assert (added.dev, added.lladdr) == ("veth0", "02:00:00:00:00:01")
    with pytest.raises(UsageError, match="missing option --dev"):
        delete_request("fe80::1", None)


@pytest.mark.parametrize(
    ("text", "mac"),
    [
        ("2:0:0:0:0:1", "02:00:00:00:00:01"),
        ("a:b:c:d:e:f", "0a:0b:0c:0d:0e:0f"),
        ("2-0-0-0-0-1", "02:00:00:00:00:01"),
        ("02:0:00:0:0:01", "02:00:00:00:00:01"),
    ],
)
def test_short_mac_spellings(text: str, mac: str) -> None:
    assert parse_lladdr(text) == mac


@given(st.binary(min_size=1, max_size=15).filter(lambda b: not set(b) & set(b"/: \t\n\r\v\f")))
def test_any_byte_name_round_trips(raw: bytes) -> None:
    """Names are bytes to the kernel; argv gives them to Python as surrogate escapes."""
    name = os.fsdecode(raw)
    if raw in (b".", b".."):
        with pytest.raises(UsageError):
            validate_device_name(name)
        return
    validate_device_name(name)
    assert device_bytes(name) == raw


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a:1", "a b", "x" * 16, "\udcff" * 16])
def test_impossible_names(name: str) -> None:
    with pytest.raises(UsageError, match="not a valid interface name"):
        validate_device_name(name)


def _device(flags: int = 0x1003) -> DeviceInfo:
    return DeviceInfo("veth0", 2, 1, flags, 6, True, True, False)


@pytest.mark.parametrize("flag", [IFF_LOOPBACK, IFF_POINTOPOINT])
def test_ipv4_entries_on_loopback_and_point_to_point_are_refused(flag: int) -> None:
    req = add_request("10.0.0.5", "02:00:00:00:00:05", "lo")
    with pytest.raises(UsageError, match=r"keyed 0\.0\.0\.0"):
        check_device(req, _device(0x1 | flag))
    check_device(add_request("fd00::5", "02:00:00:00:00:05", "lo"), _device(0x1 | flag))
    check_device(add_request("10.0.0.5", None, "lo", proxy=True), _device(0x1 | flag))


ADDRS = [(AF_INET, "10.0.0.1", 24), (AF_INET, "192.168.9.1", 31), (AF_INET6, "fd00::1", 64)]


@pytest.mark.parametrize(
    ("dst", "words"),
    [
        ("10.0.0.255", "broadcast address of 10.0.0.0/24 on veth0"),
        ("10.0.0.0", "network address of 10.0.0.0/24"),
        ("fd00::", "subnet-router anycast address of fd00::/64"),
    ],
)
def test_subnet_broadcast_and_network_addresses_are_refused(dst: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        check_subnets(add_request(dst, "02:00:00:00:00:05", "veth0"), "veth0", ADDRS)


@pytest.mark.parametrize("dst", ["10.0.0.254", "10.0.1.0", "192.168.9.0", "192.168.9.1", "fd00::2"])
def test_ordinary_and_rfc3021_addresses_pass(dst: str) -> None:
    check_subnets(add_request(dst, "02:00:00:00:00:05", "veth0"), "veth0", ADDRS)


def test_flags_to_keep_or_clear() -> None:
    keep = add_request("fd00::5", "02:00:00:00:00:05", "veth0")
    assert keep.clear == NeighFlag(0)
    cleared = add_request("fd00::5", "02:00:00:00:00:05", "veth0", router=False, extern_learn=False)
    assert cleared.clear == NeighFlag.ROUTER | NeighFlag.EXT_LEARNED
    assert cleared.flags == NeighFlag(0)
