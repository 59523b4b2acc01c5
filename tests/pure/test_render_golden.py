"""Golden files for the table and summary renderers (layout only; data goldens live in fixtures/).

Regenerate after an intended layout change with NEIGHCTL_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from neighctl.model import AF_INET, AF_INET6, Neighbor, NeighFlag, NudState
from neighctl.render import render_summary, render_table

GOLDEN = Path(__file__).parent / "golden"

ENTRIES = [
    Neighbor(AF_INET, "192.168.3.132", "eth0", NudState.REACHABLE, lladdr="ee:ff:ff:ff:ff:ff",
             ifindex=2, refcnt=1, used=0.5, confirmed=3.2, updated=3.2, probes=0),
    Neighbor(AF_INET, "172.30.6.0", "flannel.1", NudState.PERMANENT, lladdr="ca:82:f5:77:60:38",
             ifindex=5, refcnt=0, used=120.0, confirmed=120.0, updated=1200.0, probes=0),
    Neighbor(AF_INET, "172.30.45.4", "docker0", NudState.FAILED, ifindex=4, refcnt=0,
             used=2.0, confirmed=600.0, updated=2.0, probes=3),
    Neighbor(AF_INET, "192.168.3.134", "eth0", NudState.STALE, lladdr="ee:ff:ff:ff:ff:ff",
             ifindex=2, protocol=4),
    Neighbor(AF_INET6, "fe80::1", "eth0", NudState.DELAY, NeighFlag.ROUTER, "00:11:22:33:44:55", 2),
    Neighbor(AF_INET, "10.0.0.18", "veth0", NudState.INCOMPLETE,
             NeighFlag.MANAGED | NeighFlag.EXT_LEARNED, ifindex=7),
    Neighbor(AF_INET6, "ff02::16", "eth0", NudState.NOARP, lladdr="33:33:00:00:00:16", ifindex=2),
    Neighbor(AF_INET, "10.0.0.15", "veth0", NudState.NONE, ifindex=7),
    Neighbor(AF_INET6, "fd00::50", "veth0", NudState.NONE, NeighFlag.PROXY, ifindex=7),
    Neighbor(AF_INET, "10.1.1.1", "eth1", NudState.PROBE, lladdr="02:00:00:00:00:01", ifindex=3),
]  # fmt: skip

CASES = {
    "table.txt": lambda: render_table(ENTRIES),
    "table_color.txt": lambda: render_table(ENTRIES, color=True),
    "table_stats.txt": lambda: render_table(ENTRIES, stats=True),
    "table_stats_color.txt": lambda: render_table(ENTRIES, stats=True, color=True),
    "table_empty.txt": lambda: render_table([]),
    "summary.txt": lambda: render_summary(ENTRIES),
    "summary_color.txt": lambda: render_summary(ENTRIES, color=True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    text = CASES[name]()
    path = GOLDEN / name
    if os.environ.get("NEIGHCTL_UPDATE_GOLDEN") == "1":
        path.write_text(text)
    assert text == path.read_text(), (
        f"{name} changed; rerun with NEIGHCTL_UPDATE_GOLDEN=1 if intended"
    )


def test_colour_only_adds_escape_codes() -> None:
    import re

    coloured = render_table(ENTRIES, stats=True, color=True)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render_table(ENTRIES, stats=True)


def test_failed_is_red_and_reachable_green() -> None:
    coloured = render_table(ENTRIES, color=True)
    assert "\x1b[1;31mFAILED" in coloured
    assert "\x1b[32mREACHABLE" in coloured
