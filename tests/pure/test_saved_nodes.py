"""Saved nodes with pieces missing, and diffs across sources of different precision,
as a support engineer meets them: a sosreport without its neighbour listing, a
directory that is not command outputs, `arp -an` before and `ip neigh` after."""

from __future__ import annotations

import shutil
from pathlib import Path

from neighctl.model import flag_words
from neighctl.parse import read_snapshot
from tests.pure.test_parse_node import FIXTURES, sos_tree

NET = Path("sos_commands") / "networking"


def test_a_sosreport_without_its_neighbour_listing_falls_back_to_proc_net_arp(
    tmp_path: Path,
) -> None:
    root = sos_tree(tmp_path / "sos")
    (root / NET / "ip_-s_-s_neigh_show").unlink()
    (root / "proc" / "net").mkdir(parents=True)
    shutil.copy(FIXTURES / "proc-net-arp.txt", root / "proc" / "net" / "arp")
    host = read_snapshot(str(root)).namespaces[0]
    assert host.neighbors is not None
    dsts = {n.dst for n in host.neighbors}
    assert "10.0.0.16" in dsts  # from /proc/net/arp
    assert "192.0.2.77" in dsts  # and the NOARP listing
    assert "proc/net/arp" in host.unread["neighbors"]


def test_a_sosreport_with_only_the_noarp_listing_has_no_neighbour_table(
    tmp_path: Path,
) -> None:
    # `ip neigh show nud noarp` lists NOARP entries (and proxy/extern_learn ones, which
    # bypass the state filter): not the table. Taking it for the table made the doctor
    # judge a handful of entries as the node's all.
    root = sos_tree(tmp_path / "sos")
    (root / NET / "ip_-s_-s_neigh_show").unlink()
    host = read_snapshot(str(root)).namespaces[0]
    assert host.neighbors is None
    assert host.unread["neighbors"] == "no sos_commands/networking/ip_-s_-s_neigh_show"


def test_with_proc_net_arp_the_noarp_listing_keeps_its_exact_state_and_flags(
    tmp_path: Path,
) -> None:
    root = sos_tree(tmp_path / "sos")
    (root / NET / "ip_-s_-s_neigh_show").unlink()
    (root / NET / "ip_neigh_show_nud_noarp").write_text(
        "192.0.2.17 dev veth0 lladdr 02:00:00:00:00:17 extern_learn PERMANENT \n"
    )
    (root / "proc" / "net").mkdir(parents=True)
    (root / "proc" / "net" / "arp").write_text(
        "IP address       HW type     Flags       HW address            Mask     Device\n"
        "192.0.2.17       0x1         0x6         02:00:00:00:00:17     *        veth0\n"
    )
    host = read_snapshot(str(root)).namespaces[0]
    assert host.neighbors is not None
    (entry,) = host.neighbors
    assert flag_words(entry.flags) == ["extern_learn"]
