"""Saved nodes with pieces missing, and diffs across sources of different precision,
as a support engineer meets them: a sosreport without its neighbour listing, a
directory that is not command outputs, `arp -an` before and `ip neigh` after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from neighctl.diff import diff_tables
from neighctl.errors import UsageError
from neighctl.model import flag_words
from neighctl.parse import iter_path, read_path, read_snapshot, read_text
from neighctl.parse.sosreport import directory_neighbors
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


def doctor_of(root: Path) -> tuple[str, dict[str, object]]:
    from neighctl.doctor import run_doctor
    from neighctl.render.doctor import render_doctor_text, report_json

    report, snapshot = run_doctor(source=str(root))
    return render_doctor_text(report, snapshot, width=200), report_json(report, snapshot)


def test_the_doctor_names_what_a_saved_node_lacks_and_where(tmp_path: Path) -> None:
    root = sos_tree(tmp_path / "sos")
    (root / NET / "ip_route_show_table_all").unlink()
    (root / NET / "ip_-s_-s_neigh_show").unlink()
    text, doc = doctor_of(root)
    lines = text.splitlines()
    start = lines.index("not in the saved outputs (the checks ran without them):")
    assert lines[start + 1 :] == [
        "  host: neighbour entries (no sos_commands/networking/ip_-s_-s_neigh_show)",
        "  host: routes (no sos_commands/networking/ip_route_show_table_all)",
        "  blue: links, addresses (no sos_commands/networking/namespaces/blue/"
        "ip_netns_exec_blue_ip_-d_address_show)",
        "  blue: routes (no sos_commands/networking/namespaces/blue/"
        "ip_netns_exec_blue_ip_route_show_table_all)",
        "  blue: FDB (sos does not save a namespace's bridge FDB)",
        "  blue: sysctls (no sos_commands/networking/namespaces/blue/ip_netns_exec_blue_sysctl_-a)",
    ]
    namespaces = doc["namespaces"]
    assert isinstance(namespaces, list)
    assert namespaces[0]["unread"] == {
        "neighbors": "no sos_commands/networking/ip_-s_-s_neigh_show",
        "routes": "no sos_commands/networking/ip_route_show_table_all",
    }


def test_a_complete_host_is_not_listed(tmp_path: Path) -> None:
    text, doc = doctor_of(sos_tree(tmp_path / "sos"))
    assert "  host:" not in text
    assert "  blue: routes" in text
    namespaces = doc["namespaces"]
    assert isinstance(namespaces, list)
    assert namespaces[0]["unread"] == {}


# -- a directory that is not all command outputs ---------------------------------------


def test_files_that_are_not_command_outputs_are_named(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ip-neigh.txt", tmp_path / "ip-neigh.txt")
    (tmp_path / "notes.txt").write_text("Customer says the gateway moved at 03:00.\n")
    (tmp_path / "hosts.allow").write_text("# /etc/hosts.allow\n# nothing allowed here\n")
    (ns,) = read_snapshot(str(tmp_path)).namespaces
    assert ns.neighbors is not None
    assert len(ns.neighbors) == len(read_path(str(FIXTURES / "ip-neigh.txt")))
    assert ns.unread["files"].startswith(
        "2 files that are not command outputs neighctl reads: hosts.allow, notes.txt"
    )


def test_a_directory_of_other_files_has_no_neighbour_table(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ip-route-show-table-all.txt", tmp_path / "routes.txt")
    (tmp_path / "hosts.allow").write_text("# /etc/hosts.allow\n")
    (tmp_path / "subuid").write_text("")
    (tmp_path / "motd").write_text("Welcome to node-1\n")
    (ns,) = read_snapshot(str(tmp_path)).namespaces
    assert ns.routes is not None
    assert ns.neighbors is None
    assert ns.unread["files"].startswith("3 files that are not command outputs neighctl reads")
    with pytest.raises(UsageError, match="a directory with no neighbour table in it"):
        list(iter_path(str(tmp_path)))


def test_an_empty_ip_neigh_output_is_an_empty_table(tmp_path: Path) -> None:
    (tmp_path / "ip-neigh.txt").write_text("")
    shutil.copy(FIXTURES / "ip-route-show-table-all.txt", tmp_path / "routes.txt")
    (ns,) = read_snapshot(str(tmp_path)).namespaces
    assert ns.neighbors == []


def test_show_from_a_directory_notes_the_files_it_skipped(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ip-neigh.txt", tmp_path / "ip-neigh.txt")
    (tmp_path / "notes.txt").write_text("Customer says the gateway moved at 03:00.\n")
    notes: list[str] = []
    assert list(iter_path(str(tmp_path), note=notes.append))
    assert notes == [
        f"{tmp_path}: skipped 1 file that is not a command output neighctl reads: notes.txt"
    ]


def test_the_doctor_refuses_a_directory_with_nothing_it_reads(tmp_path: Path) -> None:
    from neighctl.doctor import run_doctor

    (tmp_path / "hosts.allow").write_text("# /etc/hosts.allow\n")
    (tmp_path / "motd").write_text("Welcome to node-1\n")
    with pytest.raises(UsageError, match=r"a directory with no command output neighctl reads"):
        run_doctor(source=str(tmp_path))
    with pytest.raises(UsageError, match=r"motd: not a command output neighctl reads"):
        run_doctor(source=str(tmp_path / "motd"))


# -- diff across sources of different precision ------------------------------------------

ARP_BEFORE = """\
? (192.0.2.1) at 02:00:00:00:00:01 [ether] on eth0
? (192.0.2.2) at 02:00:00:00:00:02 [ether] on eth0
? (192.0.2.3) at <incomplete> on eth0
? (192.0.2.4) at 02:00:00:00:00:04 [ether] PERM on eth0
? (192.0.2.5) at 02:00:00:00:00:05 [ether] on eth0
"""
IP_AFTER = """\
192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 STALE
192.0.2.2 dev eth0 lladdr 02:00:00:00:00:aa REACHABLE
192.0.2.3 dev eth0 FAILED
192.0.2.4 dev eth0 lladdr 02:00:00:00:00:04 extern_learn PERMANENT
192.0.2.5 dev eth0 FAILED
"""


def test_a_state_set_holding_the_other_sides_state_is_no_change() -> None:
    d = diff_tables(read_text(ARP_BEFORE), read_text(IP_AFTER))
    assert [(c.after.dst, c.fields) for c in d.changed] == [
        ("192.0.2.2", ("lladdr",)),  # whose MAC changed: the one change arp can show
        ("192.0.2.5", ("lladdr", "state")),  # resolved before, FAILED now
    ]
    assert d.unchanged == 3
    assert not d.added
    assert not d.removed


def test_flags_are_compared_only_where_both_sides_can_show_them() -> None:
    before = read_text("192.0.2.4 dev eth0 lladdr 02:00:00:00:00:04 PERMANENT\n")
    after = read_text("192.0.2.4 dev eth0 lladdr 02:00:00:00:00:04 extern_learn PERMANENT\n")
    assert [c.fields for c in diff_tables(before, after).changed] == [("flags",)]


def test_none_is_a_state_of_its_own() -> None:
    before = read_text("192.0.2.6 dev eth0 \n")
    after = read_text("192.0.2.6 dev eth0 INCOMPLETE\n", "ip") + read_text(
        "? (192.0.2.7) at <incomplete> on eth0\n"
    )
    d = diff_tables(before, after)
    assert [(c.after.dst, c.fields) for c in d.changed] == [("192.0.2.6", ("state",))]


def test_a_side_without_a_whole_family_is_noted() -> None:
    after = read_text(IP_AFTER + "2001:db8::1 dev eth0 lladdr 02:00:00:00:00:61 router STALE\n")
    d = diff_tables(read_text(ARP_BEFORE), after)
    assert [n.dst for n in d.added] == ["2001:db8::1"]
    assert d.notes == [
        "BEFORE has no IPv6 entries (arp and /proc/net/arp show none): the 1 in AFTER "
        "is listed as added; -4 compares IPv4 only"
    ]
    assert diff_tables(read_text(IP_AFTER), read_text(IP_AFTER)).notes == []
    assert diff_tables([], after).notes == []  # an empty table lacks nothing


def test_diff_refuses_netns_only_when_no_side_can_use_it(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from neighctl.cli import app

    saved = tmp_path / "t.txt"
    saved.write_text(IP_AFTER)
    result = CliRunner().invoke(app, ["diff", str(saved), str(saved), "--netns", "blue"])
    assert result.exit_code == 2
    assert "--netns" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_namespace_whose_listing_is_an_error_message_is_named(tmp_path: Path) -> None:
    root = sos_tree(tmp_path / "sos")
    listing = root / NET / "namespaces" / "blue" / "ip_netns_exec_blue_ip_-s_-s_neigh_show"
    listing.write_text('Cannot open network namespace "blue": No such file or directory\n')
    with pytest.raises(UsageError) as info:
        list(directory_neighbors(str(root), netns="blue"))
    assert str(info.value).startswith(f"{root}: no neighbour table for namespace 'blue' (")
    assert "Cannot open network namespace" in str(info.value)


def test_diff_lenient_skips_what_a_paste_adds_with_a_warning(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from neighctl.cli import app

    before = tmp_path / "before.txt"
    before.write_text("Here is the table before the failover:\n" + IP_AFTER)
    after = tmp_path / "after.txt"
    after.write_text(IP_AFTER.replace("02:00:00:00:00:aa", "02:00:00:00:00:bb"))
    refused = CliRunner().invoke(app, ["diff", str(before), str(after)])
    assert refused.exit_code == 2
    assert f"{before}:1:" in refused.stderr
    result = CliRunner().invoke(app, ["diff", str(before), str(after), "--lenient"])
    assert result.exit_code == 0, result.output
    assert "02:00:00:00:00:aa → 02:00:00:00:00:bb" in result.stdout
    assert result.stderr.startswith(f"neighctl: warning: {before}:1: skipped")


def test_the_doctor_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from neighctl.doctor import run_doctor

    text = (FIXTURES / "ip-neigh.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    report, snapshot = run_doctor(source="-")
    (ns,) = snapshot.namespaces
    assert ns.neighbors is not None
    assert len(ns.neighbors) == len(read_path(str(FIXTURES / "ip-neigh.txt")))
    assert snapshot.source == "-"
    assert "failed-pile" in report.checks


def test_what_one_file_lacks_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "arp-an.txt"
    path.write_text(ARP_BEFORE)
    text, _ = doctor_of(path)
    lines = text.splitlines()
    start = lines.index("not in the saved outputs (the checks ran without them):")
    assert lines[start + 1 :] == [
        "  host: links, addresses, routes, FDB, sysctls, neighbour parameters, table thresholds"
        f" (not in {path})"
    ]


def test_the_family_note_blames_arp_only_for_an_arp_side() -> None:
    after = read_text(IP_AFTER + "2001:db8::1 dev eth0 lladdr 02:00:00:00:00:61 router STALE\n")
    assert diff_tables(read_text(IP_AFTER), after).notes == [
        "BEFORE has no IPv6 entries: the 1 in AFTER is listed as added; -4 compares IPv4 only"
    ]
