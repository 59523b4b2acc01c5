"""Every kind of capture the issue names, as a fixture with its expected entries; notes,
errors, sizes and properties of the evidence-based reader."""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neighctl.errors import ParseError, UsageError
from neighctl.model import NudState, state_words
from neighctl.parse import FORMATS, detect, iter_path, read_path, read_text
from neighctl.parse.stream import TextStream
from neighctl.render import render_ip
from tests.strategies import neighbors

FIXTURES = Path(__file__).parent.parent.parent / "fixtures"
MONITOR_TABLE = [
    "192.0.2.60 dev veth0 lladdr 02:00:00:00:00:61 STALE",
    "192.0.2.2 dev veth0 lladdr 02:00:00:00:01:02 REACHABLE",
    "2001:db8::2 dev veth0 lladdr 02:00:00:00:01:02 REACHABLE",
]
ARP_SETS = [
    "192.0.2.11 dev br0 lladdr 02:00:00:00:00:11 PERMANENT",
    "192.0.2.18 dev veth0 INCOMPLETE FAILED",
    "192.0.2.2 dev br0 lladdr 02:00:00:00:00:02 REACHABLE STALE DELAY PROBE",
    "192.0.2.50 dev veth0 proxy",
]
WINDOWS = [
    "192.0.2.1 dev 0xb lladdr 02:00:00:00:00:01 REACHABLE STALE DELAY PROBE",
    "192.0.2.9 dev 0xb INCOMPLETE FAILED",
    "192.0.2.255 dev 0xb lladdr ff:ff:ff:ff:ff:ff PERMANENT",
    "224.0.0.22 dev 0xb lladdr 01:00:5e:00:00:16 PERMANENT",
    "198.51.100.1 dev 0x12 lladdr 02:00:00:00:01:01 REACHABLE STALE DELAY PROBE",
]
# fixture -> (detected format, entries as `ip neigh` lines, the note about skipped lines or None)
EXPECTED: dict[str, tuple[str | None, list[str], str | None]] = {
    "paste-banner.txt": (
        "ip", ["fe80::2 dev swp1 lladdr 02:00:00:00:00:02 router STALE"], "1 banner",
    ),
    "paste-comments.txt": (
        "ip",
        ["192.0.2.1 dev br-lan lladdr 02:00:00:00:00:01 REACHABLE",
         "192.0.2.9 dev eth0.2 lladdr 02:00:00:00:00:09 STALE"],
        "2 comments",
    ),
    # The issue's `ip -ts monitor` example: FAILED, then deleted: the table is empty.
    "ip-ts-monitor-neigh.txt": ("ip", [], None),
    "ip-ts-monitor-neigh-long.txt": ("ip", MONITOR_TABLE, None),
    "ip-t-monitor-neigh.txt": ("ip", MONITOR_TABLE, "6 timestamps"),
    "ip-monitor-label-neigh.txt": ("ip", MONITOR_TABLE, None),
    "ip-monitor-all.txt": ("ip", MONITOR_TABLE, "11 lines of other `ip` output"),
    "ip-monitor-plain.txt": ("ip", MONITOR_TABLE, "5 lines of other `ip` output"),
    "prompts.txt": (
        "ip",
        ["192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE", "192.0.2.3 dev eth0 FAILED"],
        "8 command lines",
    ),
    "ip-c-neigh.txt": (
        "ip",
        ["192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE",
         "2001:db8::9 dev eth0 lladdr 02:00:00:00:00:09 router STALE"],
        None,
    ),
    "busybox-arp-a.txt": ("arp", ARP_SETS, None),
    "arp-n-v.txt": ("arp", ARP_SETS, "1 header, 1 trailer"),
    "arp-v-empty.txt": (None, [], "1 trailer"),
    "mixed-arp-then-arp-a.txt": (
        "arp",
        ["192.0.2.2 dev br0 lladdr 02:00:00:00:00:02 REACHABLE STALE DELAY PROBE",
         "192.0.2.18 dev veth0 INCOMPLETE FAILED"] * 2,
        "2 command lines, 1 header",
    ),
    "ip-neigh-old-nud.txt": (
        "ip",
        ["192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE",
         "192.0.2.2 dev eth0 lladdr 02:00:00:00:00:02 STALE",
         "192.0.2.3 dev eth0 FAILED",
         "192.0.2.4 dev eth0 lladdr 02:00:00:00:00:04 PERMANENT"],
        None,
    ),
    "freebsd-arp-an.txt": (
        "bsd-arp",
        ["192.0.2.1 dev em0 lladdr 02:00:00:00:00:01 REACHABLE STALE DELAY PROBE",
         "192.0.2.5 dev em0 lladdr 02:00:00:00:00:05 PERMANENT",
         "192.0.2.6 dev em0 INCOMPLETE FAILED",
         "192.0.2.7 dev em0 lladdr 02:00:00:00:00:07 proxy PERMANENT",
         "192.0.2.8 dev vlan10 lladdr 02:00:00:00:00:08 REACHABLE STALE DELAY PROBE"],
        None,
    ),
    "macos-arp-an.txt": (
        "bsd-arp",
        ["192.0.2.1 dev en0 lladdr 02:00:00:00:00:01 REACHABLE STALE DELAY PROBE",
         "192.0.2.5 dev en0 lladdr 02:00:00:00:0a:05 PERMANENT",
         "192.0.2.6 dev en0 INCOMPLETE FAILED",
         "192.0.2.255 dev en0 lladdr ff:ff:ff:ff:ff:ff REACHABLE STALE DELAY PROBE"],
        None,
    ),
    "freebsd-ndp-an.txt": (
        "ndp",
        ["2001:db8::1 dev em0 lladdr 02:00:00:00:00:01 router STALE",
         "2001:db8::5 dev em0 lladdr 02:00:00:00:00:05 PERMANENT",
         "fe80::1 dev em0 lladdr 02:00:00:00:00:01 router DELAY",
         "2001:db8::9 dev em0 INCOMPLETE",
         "fe80::2 dev em0 lladdr 02:00:00:00:00:02 PROBE"],
        "1 header",
    ),
    "windows-arp-a.txt": ("windows-arp", WINDOWS, "4 headers"),
    "windows-arp-a-utf16.txt": (None, WINDOWS, "4 headers"),
    "ip-br-neigh.txt": (
        "ip-brief",
        ["192.0.2.11 dev br0 lladdr 02:00:00:00:00:11 REACHABLE STALE DELAY PROBE NOARP PERMANENT",
         "192.0.2.18 dev veth0 INCOMPLETE FAILED",
         "2001:db8::2 dev veth0 lladdr 02:00:00:00:01:02 REACHABLE STALE DELAY PROBE NOARP PERMANENT"],
        None,
    ),
}  # fmt: skip


def lines_of(text_or_entries: object) -> list[str]:
    return [line.rstrip() for line in render_ip(text_or_entries).splitlines()]  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_kind_reads_to_its_entries(name: str) -> None:
    fmt, expected, skipped = EXPECTED[name]
    notes: list[str] = []
    entries = read_path(str(FIXTURES / name), note=notes.append)
    assert lines_of(entries) == expected
    if skipped is None:
        assert notes == []
    else:
        (message,) = notes
        assert message.endswith(skipped)
        assert f"fixtures/{name}: skipped" in message
    if fmt is not None:
        assert detect((FIXTURES / name).read_text()) == fmt


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n][0]))
def test_each_kind_can_be_forced(name: str) -> None:
    fmt, expected, _ = EXPECTED[name]
    assert fmt is not None
    assert lines_of(read_path(str(FIXTURES / name), fmt)) == expected


def test_forcing_ip_monitor_replays_a_plain_listing_as_events() -> None:
    text = (
        "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE\n"
        "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:02 STALE\n"
        "Deleted 192.0.2.9 dev eth0 FAILED\n"
    )
    assert lines_of(read_text(text, "ip-monitor")) == [
        "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:02 STALE"
    ]


def test_lenient_reads_a_paste_that_starts_with_prose() -> None:
    text = "Here is the table from leaf1:\n192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 STALE\n"
    with pytest.raises(ParseError, match=r"<input>:1: not a table row"):
        read_text(text)
    warnings: list[str] = []
    assert lines_of(read_text(text, lenient=warnings.append)) == [
        "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 STALE"
    ]
    assert warnings[0].startswith("<input>:1: skipped")


def test_a_row_that_cannot_be_read_names_file_and_line() -> None:
    text = "# gateway\n192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 STALE\n192.0.2.2 dev eth0 lladdr zz STALE\n"
    with pytest.raises(ParseError) as info:
        read_text(text, path="ticket.txt")
    assert str(info.value).startswith("ticket.txt:3: not a neighbour entry")
    assert "'zz' is not a link-layer address" in str(info.value)


def test_a_bom_and_a_leading_blank_line() -> None:
    text = "\ufeff\n\n192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 STALE\r\n"
    assert lines_of(read_text(text)) == ["192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 STALE"]


def test_a_json_array_after_a_prompt_and_a_listing_after_it() -> None:
    text = (
        "$ ip -j neigh\n"
        '[{"dst":"192.0.2.1","dev":"eth0","lladdr":"02:00:00:00:00:01","state":["STALE"]},\n'
        ' {"dst":"2001:db8::1","dev":"eth0","router":null,"state":["REACHABLE"]}]\n'
        "$ ip neigh show dev eth1\n"
        "192.0.2.9 FAILED\n"
    )
    assert lines_of(read_text(text)) == [
        "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 STALE",
        "2001:db8::1 dev eth0 router REACHABLE",
        "192.0.2.9 FAILED",
    ]


def test_deeply_nested_json_is_one_parse_error() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000):
        with pytest.raises(ParseError, match="nested too deeply"):
            read_text(text)


def test_a_one_line_json_document_larger_than_a_block_streams() -> None:
    obj = '{"dst":"192.0.2.%d","dev":"eth%d","state":["STALE"]}'
    text = "[" + ",".join(obj % (i % 250, i // 250) for i in range(40_000)) + "]"
    assert len(text) > 1 << 20  # longer than one read block, on one line
    entries = read_text(text)
    assert len(entries) == 40_000
    assert entries[-1].dst == "192.0.2.249"


def test_binary_input_fails_after_the_first_block(tmp_path: Path) -> None:
    start = time.monotonic()
    with pytest.raises(ParseError, match="binary data"):
        read_path("/dev/zero")
    assert time.monotonic() - start < 1.0
    blob = tmp_path / "blob"
    blob.write_bytes(b"192.0.2.1 dev eth0 STALE\n" * 10 + b"\x7fELF\x00\x01")
    with pytest.raises(ParseError, match=r"blob:11: binary data"):
        read_path(str(blob))


def test_a_huge_line_without_newlines_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one-line"
    path.write_text("x" * (3 << 20))
    with pytest.raises(ParseError, match="not a text table"):
        read_path(str(path))


def test_reading_streams_in_blocks() -> None:
    """The stream never holds much more than a block, whatever the input size."""
    line = b"192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 STALE\n"
    data = line * 200_000  # 10 MB
    stream = TextStream(io.BytesIO(data), block=1 << 16)
    largest = 0
    seen = 0
    while (got := stream.next_lines()) is not None:
        seen += len(got[0])
        largest = max(largest, len(stream.buf))
    assert seen == len(data)
    assert largest <= 3 << 16


def test_iter_path_is_lazy(tmp_path: Path) -> None:
    """Entries come out block by block: the first before a bad line further on is read."""
    path = tmp_path / "big.txt"
    good = "".join(f"192.0.2.{i % 250} dev eth{i // 250} STALE\n" for i in range(60_000))
    path.write_text(good + "junk\n")  # about 2 MB: several blocks
    it = iter_path(str(path))
    assert next(it).dst == "192.0.2.0"
    with pytest.raises(ParseError, match=":60001:"):
        list(it)


def test_unknown_format_name_lists_them() -> None:
    with pytest.raises(UsageError) as info:
        read_text("", "xml")
    for name in FORMATS:
        assert name in str(info.value)


def test_state_sets_are_sets_never_a_guess() -> None:
    (bsd,) = read_text("? (192.0.2.1) at 2:0:0:0:0:1 on en0 ifscope [ethernet]\n")
    assert state_words(bsd.state) == ["REACHABLE", "STALE", "DELAY", "PROBE"]
    (win,) = read_text("  192.0.2.1   02-00-00-00-00-01   dynamic\n")
    assert win.state == bsd.state
    (brief,) = read_text("192.0.2.2      veth0\n")
    assert brief.state == NudState.INCOMPLETE | NudState.FAILED


# -- properties -----------------------------------------------------------------

NOISE = st.sampled_from([
    "", "   ", "$ ip neigh", "# ip -s neigh show", "[root@node-1 ~]# ip neigh", "router> ",
    "user@host:~ $ ip -6 neigh", "mininet> h1 ip neigh", "# the gateway", "==> leaf1 <==",
    "```", "~~~", "-----", "Timestamp: Fri Jan  2 03:04:05 2026 634009 usec",
    "% arp -an", "PS C:\\> arp -a", "C:\\Users\\me>arp -a", "bash-5.1$", "; note",
    "[sudo] password for me: ", "logout", "Last login: Fri Jan  2 03:04:05 2026 from 198.51.100.7",
    "Every 1.0s: ip neigh            node-1: Fri Jan  2 03:04:05 2026", "me@MacBook-Pro ~ % arp -an",
    "\x1b]0;root@node: ~\x07root@node:~# ip neigh", "\x1b[?2004h\x1b(B\x1b[m",
    "Script started on 2026-01-02 03:04:05+00:00", "Connection to 198.51.100.9 closed.",
])  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(neighbors(), max_size=12, unique_by=lambda n: (n.dst, n.dev, n.is_proxy)),
    st.booleans(),
    st.lists(st.tuples(st.integers(0, 12), NOISE), max_size=6),
)
def test_non_table_lines_around_a_table_do_not_change_it(
    entries: list[object], stats: bool, noise: list[tuple[int, str]]
) -> None:
    rows = render_ip(entries, stats=stats).splitlines()  # type: ignore[arg-type]
    plain = read_text("\n".join(rows) + "\n")
    for position, line in sorted(noise, reverse=True):
        rows.insert(min(position, len(rows)), line)
    # A command line or banner between rows splits the listing into parts; each is
    # read on its own, so the entries are the same, in the same order.
    assert read_text("\n".join(rows) + "\n") == plain


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_raises_only_parse_errors(text: str) -> None:
    for fmt in FORMATS:
        with contextlib.suppress(ParseError):
            read_text(text, fmt)
        with contextlib.suppress(ParseError):
            read_text(text, fmt, lenient=lambda _m: None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "192.0.2.1", "dev", "eth0", "lladdr", "02:00:00:00:00:01", "STALE", "nud", "reachable",
    "? (192.0.2.1) at", "on", "[ether]", "PERM", "PUP", "expires in 5 seconds", "permanent",
    "02-00-00-00-00-01", "dynamic", "Interface: 192.0.2.5 --- 0xb", "(incomplete)", "em0",
    "23h59m58s", "R", "[NEIGH]", "[2026-01-02T03:04:05.1]", "Deleted", "miss", "\\", "\n",
    "[", "{", "]", '{"dst":"192.0.2.1"}', "0x2", "Entries: 0", "==>", "<==", "\x1b[31m",
    "\ufeff", "2001:db8::1", "fe80::1%em0", "proxy", "router", "used", "1/2/3probes", "ref",
]), max_size=12).map(" ".join))  # fmt: skip
def test_near_miss_text_raises_only_parse_errors(text: str) -> None:
    for fmt in FORMATS:
        with contextlib.suppress(ParseError):
            read_text(text, fmt)
