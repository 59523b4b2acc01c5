"""Proxy entries as explain describes them, with the kernel answering (or not) as witness.

The peer namespace asks for the proxied address; the kernel in the lab namespace
answers it (the peer's entry turns REACHABLE with veth0's MAC) or does not (FAILED).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from neighctl.explain import explain_address
from tests.explain_support import rendered
from tests.kernel.test_explain_corrections import peer_sends, peer_state, peer_sysctl
from tests.lab import Lab, run


def explained(lab: Lab, addr: str, lang: str = "en") -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        rendered(explain_address(addr, netns=lab.ns), lang, "json")
    )
    return data


def route_out_of_another_device(lab: Lab, dst: str) -> None:
    """A second veth pair inside the lab namespace, and a host route to ``dst`` over it."""
    lab.ip_batch(
        "link add vethx type veth peer name vethy\n"
        "link set vethx up\n"
        "link set vethy up\n"
        f"route add {dst}/32 dev vethx\n"
    )


@pytest.fixture
def deviceless_proxy(lab: Lab) -> Iterator[str]:
    """A proxy entry without a device, deleted before its namespace goes.

    Linux 6.18 keeps such an entry when its namespace is deleted (pneigh_ifdown
    only flushes entries of a device), and a namespace created later at the same
    address then lists it: the entry would leak into other tests' namespaces.
    """
    lab.ip("neigh", "add", "proxy", "10.0.0.60")
    try:
        yield "10.0.0.60"
    finally:
        lab.ip("neigh", "del", "proxy", "10.0.0.60", check=False)


def test_a_proxy_entry_without_a_device_answers_on_a_forwarding_device(
    lab: Lab, deviceless_proxy: str
) -> None:
    """`ip neigh add proxy ADDR` without `dev`: no sentence may lack its device."""
    [witness] = lab.ip_json("neigh", "show", "proxy")
    assert "dev" not in witness  # ip shows no device: the kernel's entry has none
    lab.sysctl("net.ipv4.conf.veth0.forwarding", 1)
    lab.sysctl("net.ipv4.neigh.veth0.proxy_delay", 0)
    route_out_of_another_device(lab, "10.0.0.60")
    for lang in ("en", "zh"):
        [entry] = explained(lab, "10.0.0.60", lang)
        assert entry["answers"]["answers"] is None
        assert entry["answers"]["reasons"] == ["answers_any_dev"]
        assert entry["next"][0]["text"].endswith("`ip neigh del proxy 10.0.0.60`")
        sentences = [entry["answers"]["text"], entry["next"][0]["text"]]
        sentences += [f["meaning"] for f in entry["flags"]]
        for sentence in sentences:
            assert "dev `" not in sentence
            assert " on ," not in sentence
            assert " 上 " not in sentence
    peer_sysctl(lab, "net.ipv4.neigh.veth1.retrans_time_ms", 100)
    peer_sends(lab, "10.0.0.60")
    lab.wait_for(lambda: "REACHABLE" in peer_state(lab, "10.0.0.60"), 5, "the proxied answer")


@pytest.mark.parametrize(
    ("target", "route", "answers", "reason"),
    [
        ("10.0.0.50", "elsewhere", True, "answers_v4_yes"),
        ("10.0.0.50", "connected", False, "answers_v4_same_dev"),  # 10.0.0.0/24 on veth0
        ("192.0.2.50", "none", False, "answers_v4_no_route"),
    ],
)
def test_ipv4_proxy_verdict_follows_the_route_to_the_target(
    lab: Lab, target: str, route: str, answers: bool, reason: str
) -> None:
    """arp_process answers for a proxy entry on a forwarding device only when the
    target is routed (RTN_UNICAST) out of another device: explain looks the route up."""
    lab.ip("neigh", "add", "proxy", target, "dev", "veth0")
    lab.sysctl("net.ipv4.conf.veth0.forwarding", 1)
    lab.sysctl("net.ipv4.neigh.veth0.proxy_delay", 0)
    if route == "elsewhere":
        route_out_of_another_device(lab, target)
    [entry] = explained(lab, target)
    assert entry["answers"]["answers"] is answers
    assert entry["answers"]["reasons"] == [reason]
    if route == "elsewhere":
        assert "vethx" in entry["answers"]["text"]
    # The witness: the peer asks for the target over veth1.
    if route == "none":
        run("ip", "-n", lab.peer, "route", "add", f"{target}/32", "dev", "veth1")
    peer_sysctl(lab, "net.ipv4.neigh.veth1.retrans_time_ms", 100)
    peer_sends(lab, target)
    want = "REACHABLE" if answers else "FAILED"
    lab.wait_for(lambda: want in peer_state(lab, target), 5, f"peer's {target} {want}")
