"""Text sources: every fixture, both -s spellings, prompts, errors, properties."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neighctl.errors import ParseError, UsageError
from neighctl.model import AF_INET6, Neighbor, NeighFlag, NudState, state_words
from neighctl.parse import detect, read_path, read_text
from neighctl.parse.iptext import parse_events, table_of
from neighctl.render import render_ip, render_json, to_json_dict
from tests.strategies import neighbors

FIXTURES = Path(__file__).parent.parent.parent / "fixtures"


def load(name: str, **kwargs: object) -> list[Neighbor]:
    return read_path(str(FIXTURES / name), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ip-neigh.txt", "ip"), ("ip-s-neigh.txt", "ip"), ("ip-s-neigh-5.15.txt", "ip"),
        ("ip-monitor-neigh.txt", "ip"), ("flannel-centos7.txt", "ip"), ("calico-pod.txt", "ip"),
        ("calico-host.txt", "ip"), ("ip-j-neigh.json", "ip-json"), ("ip-j-p-s-neigh.json", "ip-json"),
        ("proc-net-arp.txt", "proc"), ("arp-an.txt", "arp"), ("arp-en.txt", "arp"),
    ],
)  # fmt: skip
def test_formats_are_detected(name: str, fmt: str) -> None:
    assert detect((FIXTURES / name).read_text()) == fmt


def test_flannel_seed() -> None:
    entries = load("flannel-centos7.txt")
    assert len(entries) == 15
    vteps = [n for n in entries if n.dev == "flannel.1"]
    assert {n.dst for n in vteps} == {"172.30.6.0", "172.30.91.0", "172.30.54.0", "172.30.96.0"}
    assert all(n.state is NudState.PERMANENT for n in vteps)
    failed = next(n for n in entries if n.dst == "172.30.45.4")
    assert (failed.dev, failed.state, failed.lladdr) == ("docker0", NudState.FAILED, None)
    assert sum(n.state is NudState.STALE for n in entries) == 4


def test_calico_seeds() -> None:
    (pod,) = load("calico-pod.txt")
    assert (pod.dst, pod.dev, pod.lladdr, pod.state) == (
        "169.254.1.1", "eth0", "ea:88:97:5f:06:d9", NudState.STALE,
    )  # fmt: skip
    (host,) = load("calico-host.txt")
    assert (host.dev, host.state) == ("cali69de609d5af", NudState.PERMANENT)


def test_both_stats_spellings_read_the_same() -> None:
    old = "10.0.0.12 dev veth0 lladdr 02:00:00:00:00:12 used 12/34/5 probes 1 STALE\n"
    new = "10.0.0.12 dev veth0 lladdr 02:00:00:00:00:12  used 12/34/5probes 1 STALE \n"
    with_ref = "10.0.0.12 dev veth0 lladdr 02:00:00:00:00:12  ref 2 used 12/34/5probes 1 STALE \n"
    (a,), (b,), (c,) = read_text(old), read_text(new), read_text(with_ref)
    assert a == b
    assert (a.used, a.confirmed, a.updated, a.probes, a.refcnt) == (12.0, 34.0, 5.0, 1, 0)
    assert c.refcnt == 2


def test_old_spelling_fixture_round_trips_to_the_new_one() -> None:
    entries = load("ip-s-neigh-5.15.txt")
    assert len(entries) == 6
    none = next(n for n in entries if n.dst == "10.0.0.15")
    assert none.state is NudState.NONE
    router = next(n for n in entries if n.family == AF_INET6)
    assert router.flags & NeighFlag.ROUTER
    assert read_text(render_ip(entries, stats=True)) == entries


def test_monitor_events_and_their_table() -> None:
    events = parse_events((FIXTURES / "ip-monitor-neigh.txt").read_text())
    kinds = [kind for kind, _ in events]
    assert "del" in kinds
    assert "miss" in kinds
    table = {n.dst: n for n in table_of(events)}
    assert "10.0.0.10" not in table  # deleted
    assert table["10.0.0.60"].lladdr == "02:00:00:00:00:61"  # the last state wins
    assert table["10.0.0.98"].state is NudState.FAILED


def test_several_states_and_flags_on_a_line() -> None:
    (n,) = read_text(
        "10.1.1.1 dev eth0 lladdr 00:11:22:33:44:55 router extern_learn STALE,NOARP proto zebra"
    )
    assert n.state == NudState.STALE | NudState.NOARP
    assert n.flags == NeighFlag.ROUTER | NeighFlag.EXT_LEARNED
    assert n.protocol == 11
    (m,) = read_text("10.1.1.2 dev eth0 lladdr 00:11:22:33:44:56 STALE DELAY offload managed")
    assert state_words(m.state) == ["STALE", "DELAY"]
    assert m.flags == NeighFlag.OFFLOADED | NeighFlag.MANAGED


def test_prompts_blank_lines_crlf_and_trailing_spaces() -> None:
    text = (
        "[root@node-1 ~]# ip neigh show   \r\n\r\n"
        "$ sudo ip -s neigh\r\n"
        "10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE   \r\n"
        "```\r\n"
    )
    (n,) = read_text(text)
    assert (n.dst, n.state) == ("10.0.0.2", NudState.REACHABLE)


def test_proc_and_arp_map_flags_honestly() -> None:
    proc = {n.dst: n for n in load("proc-net-arp.txt")}
    arp_a = {n.dst: n for n in load("arp-an.txt")}
    arp_e = {n.dst: n for n in load("arp-en.txt")}
    assert proc == arp_a == arp_e  # net-tools reads /proc/net/arp: the same facts
    assert proc["10.0.0.10"].state is NudState.PERMANENT
    resolved = proc["10.0.0.12"].state  # STALE in the kernel: /proc only says "resolved"
    assert state_words(resolved) == ["REACHABLE", "STALE", "DELAY", "PROBE"]
    assert state_words(proc["10.0.0.13"].state) == ["INCOMPLETE", "FAILED"]
    assert proc["10.0.0.13"].lladdr is None
    assert proc["10.0.0.50"].flags & NeighFlag.PROXY
    assert all(n.used is None for n in proc.values())


@pytest.mark.parametrize(
    "text",
    [
        "IP address       HW type     Flags       HW address            Mask     Device\n"
        "10.0.0.60        0x0         0xc         00:00:00:00:00:00     *        *\n",
        "? (10.0.0.60) at <from_interface> PERM PUB on *\n",
        "Address                  HWtype  HWaddress           Flags Mask            Iface\n"
        "10.0.0.60                *       <from_interface>    MP                    *\n",
    ],
)
def test_a_proxy_entry_without_a_device_has_no_device(text: str) -> None:
    """`ip neigh add proxy 10.0.0.60` (no dev): /proc/net/arp and net-tools print `*`
    (arp_format_pneigh_entry); netlink sends no ifindex and `ip` prints no `dev`."""
    (n,) = read_text(text)
    assert n.flags & NeighFlag.PROXY
    assert n.dev == ""
    assert render_ip([n]).split() == ["10.0.0.60", "proxy"]


def test_json_of_parsed_ip_json_equals_the_input() -> None:
    for name, stats in (("ip-j-neigh.json", False), ("ip-j-p-s-neigh.json", True)):
        original = json.loads((FIXTURES / name).read_text())
        ours = json.loads(render_json(load(name), stats=stats))
        for obj in ours:
            for key in ("family", "ifindex", "flags"):
                del obj[key]
        assert ours == original


def test_bad_line_names_its_number_and_text() -> None:
    text = "10.0.0.1 dev eth0 lladdr 02:00:00:00:00:01 STALE\n10.0.0.2 dev eth0 bogus STALE\n"
    with pytest.raises(ParseError) as info:
        read_text(text, path="ticket.txt")
    message = str(info.value)
    assert "ticket.txt:2" in message
    assert "bogus" in message


def test_lenient_skips_with_a_warning_per_line_and_a_count() -> None:
    warnings: list[str] = []
    text = "10.0.0.1 dev eth0 STALE\nnot an entry\n10.0.0.2 dev eth0 FAILED\nalso junk\n"
    entries = read_text(text, lenient=warnings.append)
    assert [n.dst for n in entries] == ["10.0.0.1", "10.0.0.2"]
    assert len(warnings) == 3
    assert ":2:" in warnings[0]
    assert ":4:" in warnings[1]
    assert "skipped 2 lines" in warnings[2]


def test_empty_input_is_an_empty_table() -> None:
    assert read_text("") == []
    assert read_text("\n\n  \n$ ip neigh\n") == []


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("10.0.0.1 dev eth0 STALE\n", "proc"), ("10.0.0.1 dev eth0 STALE\n", "ip-json"),
     ("[]", "arp"), ("IP address HW type Flags HW address Mask Device\n", "ip")],
)  # fmt: skip
def test_a_forced_format_that_does_not_fit_is_an_error(text: str, fmt: str) -> None:
    with pytest.raises(ParseError, match="does not look like"):
        read_text(text, fmt)


def test_unknown_format_name() -> None:
    with pytest.raises(UsageError, match="unknown input format"):
        read_text("", "xml")


@settings(max_examples=200)
@given(
    st.lists(neighbors(), max_size=15, unique_by=lambda n: (n.dst, n.dev, n.is_proxy)),
    st.booleans(),
)
def test_round_trip_through_ip_text(entries: list[Neighbor], stats: bool) -> None:
    """Generated entries → our `-o ip` → parsed → the same entries (what the text carries).

    A table lists each (address, device) once; text that repeats one is read
    as `ip monitor` output (the last line wins), tested with the monitor fixture.
    """

    def carried(n: Neighbor) -> dict[str, object]:
        d = to_json_dict(n, stats=stats)
        d.pop("ifindex")
        return d

    parsed = read_text(render_ip(entries, stats=stats)) if entries else []
    assert [carried(n) for n in parsed] == [carried(n) for n in entries]


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_parse_errors(text: str) -> None:
    for fmt in ("auto", "ip", "ip-json", "proc", "arp"):
        with contextlib.suppress(ParseError):
            read_text(text, fmt)


@settings(max_examples=200)
@given(st.lists(st.sampled_from([
    "10.0.0.1 dev eth0 lladdr", "used 1/2", "probes", "dev", "ref x", "proto",
    "fe80::1 router proxy", "lladdr zz:zz", "STALE,BOGUS", "Deleted", "miss", "[NEIGH]",
    "? (10.0.0.1) at", "IP address", "{", "[{\"dst\": 1}]", "0x2", "(incomplete)",
]), max_size=8).map(" ".join))  # fmt: skip
def test_near_miss_lines_raise_only_parse_errors(text: str) -> None:
    with contextlib.suppress(ParseError):
        read_text(text)
