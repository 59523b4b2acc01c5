"""The filter's iproute2 semantics, on hand-made entries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighctl.errors import UsageError
from neighctl.filters import (
    ALL_STATES,
    NONE_BIT,
    NeighFilter,
    build_filter,
    parse_prefix,
    state_mask,
)
from neighctl.model import AF_INET, AF_INET6, Neighbor, NeighFlag, NudState, parse_state
from tests.strategies import neighbors

NO_FLAGS = NeighFlag(0)


def n(dst: str, state: NudState, flags: NeighFlag = NO_FLAGS, dev: str = "eth0") -> Neighbor:
    return Neighbor(AF_INET6 if ":" in dst else AF_INET, dst, dev, state, flags)


def test_default_hides_noarp_and_none_like_ip() -> None:
    f = NeighFilter()
    assert f.matches(n("10.0.0.1", NudState.STALE))
    assert not f.matches(n("10.0.0.1", NudState.NOARP))
    assert not f.matches(n("10.0.0.1", NudState.NONE))


def test_extern_learn_bypasses_the_state_filter() -> None:
    f = build_filter(states=["stale"])
    assert f.matches(n("10.0.0.1", NudState.PERMANENT, NeighFlag.EXT_LEARNED))
    assert not f.matches(n("10.0.0.1", NudState.PERMANENT))


def test_none_and_all() -> None:
    assert state_mask(["none"]) == NONE_BIT
    assert state_mask(["all"]) == ALL_STATES
    assert build_filter(states=["none"]).matches(n("10.0.0.1", NudState.NONE))
    assert not build_filter(states=["none"]).matches(n("10.0.0.1", NudState.STALE))


def test_prefix_family_and_device() -> None:
    f = build_filter("10.0.0.0/24", dev="eth0")
    assert f.matches(n("10.0.0.77", NudState.STALE))
    assert not f.matches(n("10.0.1.77", NudState.STALE))
    assert not f.matches(n("10.0.0.77", NudState.STALE, dev="eth1"))
    assert not f.matches(n("fd00::1", NudState.STALE))
    assert build_filter("fd00::/64").matches(n("fd00::9", NudState.STALE))
    assert build_filter(ipv6=True).matches(n("fd00::9", NudState.STALE))
    assert not build_filter(ipv4=True).matches(n("fd00::9", NudState.STALE))


def test_proxy_selects_only_proxy_entries() -> None:
    proxy = n("10.0.0.50", NudState.NONE, NeighFlag.PROXY)
    assert build_filter(proxy=True).matches(proxy)
    assert not build_filter().matches(proxy)
    assert not build_filter(proxy=True).matches(n("10.0.0.1", NudState.STALE))


@pytest.mark.parametrize("bad", ["10.0.0.300", "fd00::/129", "eth0", ""])
def test_bad_prefixes(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_prefix(bad)


def test_parse_state_spellings() -> None:
    assert parse_state("stale") is NudState.STALE
    assert parse_state("0x04") is NudState.STALE
    assert parse_state("128") is NudState.PERMANENT
    assert parse_state("none") is NudState.NONE
    with pytest.raises(ValueError, match="single"):
        parse_state("0x06")
    with pytest.raises(ValueError, match="unknown"):
        parse_state("IMCOMPLETE")


def test_near_miss_suggests_the_state() -> None:
    with pytest.raises(UsageError) as info:
        state_mask(["IMCOMPLETE"])
    assert "did you mean INCOMPLETE?" in str(info.value)


@given(
    st.lists(neighbors(), max_size=20),
    st.integers(0, 0x1FF),
    st.booleans(),
    st.sampled_from([None, "eth0"]),
)
def test_select_agrees_with_matches(
    entries: list[Neighbor], states: int, proxy: bool, dev: str | None
) -> None:
    """select() has a fast path without a call per entry; it must say what matches() says."""
    filt = NeighFilter(states=states, proxy=proxy, dev=dev)
    assert list(filt.select(entries)) == [n for n in entries if filt.matches(n)]
