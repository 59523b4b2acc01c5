"""`neighctl show` against iproute2 on the same namespace, filter by filter.

iproute2 is the independent witness: for each filter, `-o json -s` must equal
`ip -j -s neigh show ...` (after dropping our extra keys) and `-o ip [-s]`
must be byte-for-byte `ip [-s] neigh show ...`. Ages and ref counts move
while we read, so each comparison is made between two identical reads by
`ip` (a "sandwich"); if `ip` changed in between, the read is retried.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from tests.lab import Lab, run

runner = CliRunner()

# (neighctl show arguments, ip global options, ip neigh show arguments)
CASES: list[tuple[list[str], list[str], list[str]]] = [
    ([], [], []),
    (["--state", "all"], [], ["nud", "all"]),
    (["--state", "STALE"], [], ["nud", "stale"]),
    (["--state", "stale", "--state", "Failed"], [], ["nud", "stale", "nud", "failed"]),
    (["--state", "none"], [], ["nud", "none"]),
    (["--state", "noarp"], [], ["nud", "noarp"]),
    (["--state", "permanent"], [], ["nud", "permanent"]),
    (["--state", "reachable"], [], ["nud", "reachable"]),
    (["--state", "probe"], [], ["nud", "probe"]),
    (["--state", "incomplete"], [], ["nud", "incomplete"]),
    (["-4"], ["-4"], []),
    (["-6", "--state", "all"], ["-6"], ["nud", "all"]),
    (["--dev", "veth0"], [], ["dev", "veth0"]),
    (["--dev", "br0", "--state", "all"], [], ["dev", "br0", "nud", "all"]),
    (["--dev", "vxlan0"], [], ["dev", "vxlan0"]),
    (["10.0.0.0/24"], [], ["to", "10.0.0.0/24"]),
    (["10.0.0.12"], [], ["to", "10.0.0.12"]),
    (["fd00::/64", "--state", "all"], [], ["to", "fd00::/64", "nud", "all"]),
    (["172.30.0.0/16", "--dev", "vxlan0"], [], ["to", "172.30.0.0/16", "dev", "vxlan0"]),
    (["--proxy"], [], ["proxy"]),
    (["--proxy", "-6"], ["-6"], ["proxy"]),
    (["--dev", "veth0", "-4", "--state", "all"], ["-4"], ["dev", "veth0", "nud", "all"]),
]
IDS = [" ".join(c[0]) or "default" for c in CASES]
EXTRA_KEYS = ("family", "ifindex", "flags")


def sandwich(
    witness: Callable[[], str], ours: Callable[[], str], attempts: int = 8
) -> tuple[str, str]:
    """(witness, ours) from a moment when the witness read the same twice around ours."""
    for _ in range(attempts):
        before = witness()
        mine = ours()
        after = witness()
        if before == after:
            return before, mine
    raise AssertionError("the table kept changing; could not compare")


def neighctl(lab: Lab, args: list[str]) -> str:
    result = runner.invoke(app, ["show", "--netns", lab.ns, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def ip_text(lab: Lab, global_opts: list[str], show_args: list[str]) -> str:
    return run("ip", "-n", lab.ns, *global_opts, "neigh", "show", *show_args).stdout


def strip_extras(objs: list[dict[str, Any]], drop_dev: bool) -> list[dict[str, Any]]:
    out = []
    for obj in objs:
        obj = {k: v for k, v in obj.items() if k not in EXTRA_KEYS}
        if drop_dev:
            obj.pop("dev", None)  # ip omits dev when filtering by it
        out.append(obj)
    return out


@pytest.mark.parametrize(("args", "ip_opts", "ip_args"), CASES, ids=IDS)
def test_json_matches_ip_json(
    populated_lab: Lab, args: list[str], ip_opts: list[str], ip_args: list[str]
) -> None:
    witness, mine = sandwich(
        lambda: ip_text(populated_lab, [*ip_opts, "-j", "-s"], ip_args),
        lambda: neighctl(populated_lab, [*args, "-o", "json", "-s"]),
    )
    expected = json.loads(witness) if witness.strip() else []
    ours = json.loads(mine)
    assert strip_extras(ours, drop_dev="--dev" in args) == expected
    for obj in ours:
        assert obj["family"] in ("inet", "inet6")
        assert isinstance(obj["ifindex"], int)
        assert all(obj.get(word, 0) is None for word in obj["flags"])


@pytest.mark.parametrize(("args", "ip_opts", "ip_args"), CASES, ids=IDS)
@pytest.mark.parametrize("stats", [False, True], ids=["plain", "stats"])
def test_ip_format_is_byte_for_byte(
    populated_lab: Lab, args: list[str], ip_opts: list[str], ip_args: list[str], stats: bool
) -> None:
    s = ["-s"] if stats else []
    witness, mine = sandwich(
        lambda: ip_text(populated_lab, [*ip_opts, *s], ip_args),
        lambda: neighctl(populated_lab, [*args, "-o", "ip", *s]),
    )
    assert mine == witness


def test_the_lab_has_every_state_and_flag(populated_lab: Lab) -> None:
    """Guards the differential tests against a lab that silently lost variety."""
    entries = populated_lab.ip_json("neigh", "show", "nud", "all")
    states = {s for e in entries for s in e.get("state", ["NONE"])}
    assert {
        "PERMANENT",
        "NOARP",
        "STALE",
        "FAILED",
        "INCOMPLETE",
        "NONE",
        "REACHABLE",
        "PROBE",
    } <= states
    keys = {k for e in entries for k in e}
    assert {"router", "extern_learn", "managed", "protocol"} <= keys
    devs = {e["dev"] for e in entries}
    assert {"veth0", "br0", "vxlan0"} <= devs
    assert populated_lab.ip_json("neigh", "show", "proxy")


def test_table_lists_the_same_entries_as_ip(populated_lab: Lab) -> None:
    witness, mine = sandwich(
        lambda: ip_text(populated_lab, ["-j"], ["nud", "all"]),
        lambda: neighctl(populated_lab, ["--state", "all", "--color", "never"]),
    )
    lines = mine.splitlines()
    assert lines[0].split() == ["ADDRESS", "DEVICE", "LLADDR", "STATE", "FLAGS"]
    rows = [line.split()[:4] for line in lines[1:]]
    expected = [
        [e["dst"], e["dev"], e.get("lladdr", "-"), "|".join(e.get("state", ["NONE"]))]
        for e in json.loads(witness)
    ]
    assert rows == expected


def test_summary_counts_match_ip(populated_lab: Lab) -> None:
    witness, mine = sandwich(
        lambda: ip_text(populated_lab, ["-j"], []),
        lambda: neighctl(populated_lab, ["--summary", "--color", "never"]),
    )
    entries = json.loads(witness)
    total_line = mine.splitlines()[-1].split()
    assert total_line[0] == "TOTAL"
    assert int(total_line[-1]) == len(entries)
    veth = next(line.split() for line in mine.splitlines() if line.startswith("veth0 "))
    assert int(veth[-1]) == sum(1 for e in entries if e["dev"] == "veth0")


def test_dev_filter_is_sent_to_the_kernel(
    populated_lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--dev becomes NDA_IFINDEX in the dump request, not only a filter after it."""
    from neighctl.kernel import netlink, proto

    sent: list[bytes] = []
    original = netlink.RouteSocket.send

    def spy(self: netlink.RouteSocket, msg_type: int, flags: int, payload: bytes) -> int:
        if msg_type == proto.RTM_GETNEIGH:
            sent.append(payload)
        return original(self, msg_type, flags, payload)

    monkeypatch.setattr(netlink.RouteSocket, "send", spy)
    from neighctl.filters import NeighFilter
    from neighctl.kernel.dump import read_neighbors

    entries = read_neighbors(NeighFilter(dev="br0"), netns=populated_lab.ns)
    assert entries
    assert {n.dev for n in entries} == {"br0"}
    index = int(
        json.loads(run("ip", "-n", populated_lab.ns, "-j", "link", "show", "br0").stdout)[0][
            "ifindex"
        ]
    )
    (payload,) = sent
    # ndmsg (12 bytes), then the attribute NDA_IFINDEX (length 8, type 8) = br0's index
    assert payload[12:20] == bytes([8, 0, 8, 0]) + index.to_bytes(4, "little")
