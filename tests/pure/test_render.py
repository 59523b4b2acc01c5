"""Renderers: the fast string-built JSON equals the obvious dict version; ip lines."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from neighctl.model import AF_INET, AF_INET6, Neighbor, NeighFlag, NudState
from neighctl.render import ip_line, render_ip, render_json, to_json_dict
from tests.strategies import neighbors


@given(st.lists(neighbors(), max_size=20), st.booleans())
def test_fast_json_equals_dict_json(entries: list[Neighbor], stats: bool) -> None:
    expected = json.dumps([to_json_dict(n, stats=stats) for n in entries], separators=(",", ":"))
    assert render_json(entries, stats=stats) == expected + "\n"


def test_json_escapes_odd_device_names() -> None:
    n = Neighbor(AF_INET, "10.0.0.1", 'we"ird\\dev', NudState.STALE, ifindex=3)
    assert json.loads(render_json([n]))[0]["dev"] == 'we"ird\\dev'


def test_json_keys_follow_ip_j() -> None:
    n = Neighbor(AF_INET6, "fe80::1", "eth0", NudState.STALE, NeighFlag.ROUTER, "00:11:22:33:44:55",
                 2, 1, 3.99, 10.0, 2.5, 0, 4)  # fmt: skip
    obj = json.loads(render_json([n], stats=True))[0]
    assert list(obj) == ["dst", "dev", "lladdr", "router", "refcnt", "used", "confirmed", "updated",
                         "probes", "state", "protocol", "family", "ifindex", "flags"]  # fmt: skip
    assert (obj["used"], obj["state"], obj["protocol"]) == (3, ["STALE"], "static")
    assert (obj["flags"], obj["family"]) == (["router"], "inet6")


def test_ip_lines_as_iproute2_6_prints_them() -> None:
    """Spellings copied from `ip -s neigh` 6.1 on a test namespace."""
    stale = Neighbor(AF_INET, "10.0.0.12", "veth0", NudState.STALE, lladdr="02:00:00:00:00:12",
                     refcnt=0, used=0.0, confirmed=60.5, updated=0.0, probes=0)  # fmt: skip
    assert ip_line(stale) == "10.0.0.12 dev veth0 lladdr 02:00:00:00:00:12 STALE "
    assert ip_line(stale, stats=True) == (
        "10.0.0.12 dev veth0 lladdr 02:00:00:00:00:12  used 0/60/0probes 0 STALE "
    )
    managed = Neighbor(AF_INET, "10.0.0.18", "veth0", NudState.INCOMPLETE,
                       NeighFlag.MANAGED | NeighFlag.EXT_LEARNED, refcnt=1, used=0.0,
                       confirmed=60.0, updated=0.0, probes=4)  # fmt: skip
    assert ip_line(managed, stats=True) == (
        "10.0.0.18 dev veth0 managed extern_learn  ref 1 used 0/60/0probes 4 INCOMPLETE "
    )
    none = Neighbor(AF_INET, "10.0.0.15", "veth0", NudState.NONE)
    assert ip_line(none) == "10.0.0.15 dev veth0 "
    proxy = Neighbor(
        AF_INET6, "fd00::51", "veth0", NudState.NONE, NeighFlag.ROUTER | NeighFlag.PROXY
    )
    assert ip_line(proxy) == "fd00::51 dev veth0 router proxy "
    proto = Neighbor(
        AF_INET, "10.0.0.19", "veth0", NudState.STALE, lladdr="02:00:00:00:00:19", protocol=4
    )
    assert ip_line(proto, omit_dev=True) == "10.0.0.19 lladdr 02:00:00:00:00:19 STALE proto static "
    assert render_ip([none, none]) == "10.0.0.15 dev veth0 \n" * 2
    assert render_ip([]) == ""


def test_fast_neighbor_is_an_ordinary_frozen_neighbor() -> None:
    import dataclasses

    import pytest

    from neighctl.model import fast_neighbor

    args = (AF_INET, "10.0.0.1", "eth0", NudState.STALE, NeighFlag.ROUTER, "02:00:00:00:00:01",
            3, 1, 1.5, 2.5, 3.5, 0, 4)  # fmt: skip
    fast = fast_neighbor(*args)
    assert type(fast) is Neighbor
    assert fast == Neighbor(*args)
    assert hash(fast) == hash(Neighbor(*args))
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.dst = "10.0.0.2"  # type: ignore[misc]


def test_extern_valid_flag_prints_like_iproute2() -> None:
    """NTF_EXT_EXT_VALIDATED (Linux 6.17+) prints as `extern_valid` (iproute2 6.17+);
    a flags value with it must index every per-value table (no IndexError)."""
    from neighctl.model import NeighFlag

    n = Neighbor(
        AF_INET, "192.0.2.7", "eth0", NudState.PERMANENT,
        NeighFlag.EXT_VALIDATED | NeighFlag.EXT_LEARNED, "02:00:00:00:00:07", 2,
    )  # fmt: skip
    # ip/ipneigh.c print_neigh prints extern_valid after extern_learn and offload
    assert (
        ip_line(n)
        == "192.0.2.7 dev eth0 lladdr 02:00:00:00:00:07 extern_learn extern_valid PERMANENT "
    )
    obj = json.loads(render_json([n]))[0]
    assert obj["flags"] == ["extern_learn", "extern_valid"]
    assert obj["extern_valid"] is None
