"""The table fits a terminal (columns dropped and narrowed by priority, never a state word
cut), CJK device names stay aligned; summary and change views (no kernel)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neighctl.model import AF_INET, AF_INET6, STATE_BY_NAME, Neighbor, NeighFlag, NudState
from neighctl.render import render_summary, render_table, summary_json
from neighctl.render.cells import cell_width, printable_name
from neighctl.render.change import describe_change
from tests.pure.test_render_golden import ENTRIES
from tests.strategies import neighbors

GOLDEN = Path(__file__).parent / "golden"
WIDE = [
    *ENTRIES,
    Neighbor(AF_INET6, "fd00:1234:5678:9abc:def0:1234:5678:9abc", "网桥零", NudState.STALE,
             lladdr="02:00:00:00:00:09", ifindex=9),
    Neighbor(AF_INET, "10.9.9.9", "cali69de609d5af", NudState.REACHABLE,
             lladdr="02:00:00:00:00:0a", ifindex=10),
]  # fmt: skip

CASES = {
    "table_fit60.txt": lambda: render_table(WIDE, width=60),
    "table_fit80.txt": lambda: render_table(WIDE, width=80),
    "table_fit40.txt": lambda: render_table(WIDE, width=40),
    "table_stats_fit60.txt": lambda: render_table(WIDE, stats=True, width=60),
    "table_stats_fit100.txt": lambda: render_table(WIDE, stats=True, width=100),
    "table_cjk.txt": lambda: render_table(WIDE),
    "summary_fit60.txt": lambda: render_summary(ENTRIES, width=60),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    text = CASES[name]()
    path = GOLDEN / name
    if os.environ.get("NEIGHCTL_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


STATE_WORDS = set(STATE_BY_NAME)


@settings(max_examples=150)
@given(st.lists(neighbors(), max_size=12), st.integers(20, 160), st.booleans())
def test_rows_fit_and_keep_whole_states(entries: list[Neighbor], width: int, stats: bool) -> None:
    text = render_table(entries, stats=stats, width=width)
    lines = text.splitlines()
    header = lines[0].split()
    assert header[0] == "ADDRESS"
    assert "STATE" in header
    addresses = {n.dst for n in entries}
    for line in lines[1:]:
        # A line wider than the terminal is an address alone on its line (never cut).
        if cell_width(line) > width:
            assert line in addresses
    # Every entry's state cell appears whole in the STATE column.
    states = [w for line in lines[1:] for w in line.split() if w.split("|")[0] in STATE_WORDS]
    assert len(states) == len(entries)


@given(st.lists(neighbors(), max_size=8))
def test_no_width_is_the_unlimited_table(entries: list[Neighbor]) -> None:
    assert render_table(entries, width=10_000) == render_table(entries)


def test_every_width_keeps_every_address_and_state_whole() -> None:
    for width in range(1, 140):
        words = render_table(WIDE, width=width).split()
        for n in WIDE:
            assert n.dst in words
        states = [w for w in words if w in STATE_WORDS]
        assert len(states) == len(WIDE)


# What device names and table cells hold: Latin, combining marks, CJK, kana, Hangul,
# full-width forms, common emoji. (Outside these, Python's unicodedata and rich's own
# width table follow different Unicode versions.)
REALISTIC = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Zs"),
).filter(
    lambda c: any(
        lo <= ord(c) <= hi
        for lo, hi in [
            (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x3040, 0x30FF),
            (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xFF01, 0xFF60), (0x1F600, 0x1F64F),
        ]
    )
)  # fmt: skip


@given(st.text(REALISTIC, max_size=20))
def test_cell_width_agrees_with_rich(text: str) -> None:
    from rich.cells import cell_len

    assert cell_width(text) == cell_len(text)


def test_cjk_names_align() -> None:
    lines = render_table(WIDE).splitlines()
    columns = {
        cell_width(line[: line.index("02:00:00:00:00:09")])
        for line in lines
        if "02:00:00:00:00:09" in line
    }
    at = {cell_width(line[: line.index("ee:ff")]) for line in lines if "ee:ff" in line}
    assert columns == at  # fmt: skip


def test_hostile_device_names_are_escaped() -> None:
    assert printable_name("eth0") == "eth0"
    assert printable_name("\x1b[31mred") == "\\x1b[31mred"
    assert printable_name("\udcff") == "\\xff"
    text = render_table([Neighbor(AF_INET, "10.0.0.1", "\x1b]0;x\x07", NudState.STALE)])
    assert "\x1b" not in text
    assert "\x07" not in text


def test_summary_json_counts_what_the_table_counts() -> None:
    doc = json.loads(summary_json(ENTRIES))
    assert doc["total"] == len(ENTRIES)
    eth0 = next(d for d in doc["devices"] if d["dev"] == "eth0")
    assert eth0["total"] == 4
    assert eth0["states"]["REACHABLE"] == 1
    assert doc["states"]["PROXY"] == 1
    assert sum(d["total"] for d in doc["devices"]) == doc["total"]
    assert json.loads(summary_json([])) == {"devices": [], "states": {}, "total": 0}


def test_describe_change() -> None:
    before = Neighbor(AF_INET6, "fd00::5", "veth0", NudState.STALE, NeighFlag.ROUTER,
                      "02:00:00:00:00:05")  # fmt: skip
    after = Neighbor(AF_INET6, "fd00::5", "veth0", NudState.PERMANENT,
                     NeighFlag.ROUTER | NeighFlag.EXT_LEARNED, "02:00:00:00:00:06")  # fmt: skip
    assert describe_change(before, after) == (
        "lladdr 02:00:00:00:00:05 → 02:00:00:00:00:06, STALE → PERMANENT, kept router, "
        "added extern_learn"
    )
    assert describe_change(after, before, "->").endswith("kept router, dropped extern_learn")
    assert describe_change(before, before) == "no change"
