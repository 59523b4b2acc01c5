"""Saved outputs of the real tools, parsed, against `ip -j -s neigh` on the same namespace."""

from __future__ import annotations

import json
from typing import Any

import pytest

from neighctl.model import NudState, state_words
from neighctl.parse import read_text
from neighctl.render import render_json
from tests.kernel.test_show_differential import sandwich
from tests.lab import Lab, run

EXTRA_KEYS = ("family", "ifindex", "flags")


def capture(lab: Lab, *cmd: str) -> str:
    return run("ip", "netns", "exec", lab.ns, *cmd).stdout


def as_ip_json(text: str, stats: bool, drop_dev: bool = False) -> list[dict[str, Any]]:
    objs = json.loads(render_json(read_text(text), stats=stats))
    for obj in objs:
        for key in EXTRA_KEYS:
            del obj[key]
        if drop_dev:
            obj.pop("dev", None)
    return objs


@pytest.mark.parametrize(
    ("cmd", "witness_args", "stats"),
    [
        (["ip", "neigh"], [], False),
        (["ip", "-s", "neigh", "show", "nud", "all"], ["nud", "all"], True),
        (["ip", "-6", "-s", "neigh"], ["-6"], True),
        (["ip", "neigh", "show", "proxy"], ["proxy"], False),
        (["ip", "-j", "-s", "neigh", "show", "nud", "all"], ["nud", "all"], True),
        (["ip", "-j", "-p", "neigh"], [], False),
    ],
    ids=["ip", "ip-s-all", "ip-6-s", "proxy", "ip-j-s", "ip-j-p"],
)
def test_parsed_text_equals_ip_json(
    populated_lab: Lab, cmd: list[str], witness_args: list[str], stats: bool
) -> None:
    global_opts = [a for a in witness_args if a.startswith("-")]
    show_args = [a for a in witness_args if not a.startswith("-")]
    witness, text = sandwich(
        lambda: capture(populated_lab, "ip", *global_opts, "-j", "-s", "neigh", "show", *show_args),
        lambda: capture(populated_lab, *cmd),
    )
    expected = json.loads(witness)
    if not stats:
        for obj in expected:
            for key in ("refcnt", "used", "confirmed", "updated", "probes"):
                obj.pop(key, None)
    assert as_ip_json(text, stats) == expected
    proxy = "proxy" in witness_args
    assert expected or proxy  # the lab is not empty


def test_dev_filtered_capture_has_no_dev_words(populated_lab: Lab) -> None:
    witness, text = sandwich(
        lambda: capture(populated_lab, "ip", "-j", "neigh", "show", "dev", "br0"),
        lambda: capture(populated_lab, "ip", "neigh", "show", "dev", "br0"),
    )
    assert as_ip_json(text, stats=False, drop_dev=True) == json.loads(witness)


@pytest.mark.parametrize("cmd", [["cat", "/proc/net/arp"], ["arp", "-an"], ["arp", "-en"]])
def test_proc_and_arp_carry_what_they_can(populated_lab: Lab, cmd: list[str]) -> None:
    """Each IPv4 entry is there with a state set holding its real state, and its MAC."""
    witness, text = sandwich(
        lambda: capture(populated_lab, "ip", "-4", "-j", "neigh", "show", "nud", "all"),
        lambda: capture(populated_lab, *cmd),
    )
    listed = [
        e for e in json.loads(witness)
        if set(e.get("state", [])) - {"NOARP"}  # /proc/net/arp leaves out NOARP and NONE
    ]  # fmt: skip
    parsed = {(n.dst, n.dev): n for n in read_text(text) if not n.is_proxy}
    assert set(parsed) == {(e["dst"], e["dev"]) for e in listed}
    for e in listed:
        n = parsed[(e["dst"], e["dev"])]
        assert set(e["state"]) <= set(state_words(n.state)), (e, n)
        if n.state & (NudState.PERMANENT | NudState.REACHABLE):
            assert n.lladdr == e.get("lladdr")
        else:
            assert n.lladdr is None
    proxies = {n.dst for n in read_text(text) if n.is_proxy}
    ip_proxies = {e["dst"] for e in populated_lab.ip_json("-4", "neigh", "show", "proxy")}
    assert proxies == ip_proxies
