"""What support tickets really hold around a table: terminal junk, session lines,
`watch` headers, prompts of more shells, cut-off lines. Written by hand in the
shape each tool prints (documentation addresses and MACs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from neighctl.diagnose.accounting import exempt_reason
from neighctl.errors import ParseError
from neighctl.model import flag_words
from neighctl.parse import read_path, read_text
from neighctl.parse.lines import clean
from neighctl.render import render_ip

ROW1 = "192.0.2.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE"
ROW2 = "192.0.2.2 dev eth0 lladdr 02:00:00:00:00:02 STALE"


def lines_of(entries: object) -> list[str]:
    return [line.rstrip() for line in render_ip(entries).splitlines()]  # type: ignore[arg-type]


def read_noting(text: str) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    return lines_of(read_text(text, note=notes.append)), notes


# -- terminal junk ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean_line"),
    [
        # xterm title (OSC ... BEL) and bracketed paste mode, as bash writes them
        ("\x1b]0;root@node: ~\x07root@node:~# ip neigh", "root@node:~# ip neigh"),
        ("\x1b]2;title\x1b\\" + ROW1, ROW1),  # OSC ended by ST
        ("\x1b[?2004h" + ROW1, ROW1),
        # screen/tmux: charset designation, keypad modes, SGR reset
        ("\x1b(B\x1b[m" + ROW1, ROW1),
        ("\x1b=\x1b>" + ROW1, ROW1),
        ("\x1b[01;32m" + ROW1 + "\x1b[K", ROW1),
        # a carriage return mid-line overwrites, as on the terminal (script(1) logs)
        ("\x1b[?2004l\r" + ROW1, ROW1),
        ("a progress line, longer than the row that overwrites it\r" + ROW1, ROW1 + "it"),
        # a typo corrected with backspaces
        ("$ ip neigx\x08 \x08h", "$ ip neigh"),
        # shift-in/shift-out and other stray controls
        ("\x0f" + ROW1 + "\x0e", ROW1),
        # zero-width characters chat apps and web pages slip into a copy
        ("\u200b" + ROW1.replace(" STALE", "\u200b STALE") + "\u2060", ROW1),
        ("192.0.2.1 dev eth0\u200d lladdr\ufeff 02:00:00:00:00:01 REACHABLE", ROW1),
    ],
)
def test_clean_removes_what_a_terminal_adds(raw: str, clean_line: str) -> None:
    assert clean(raw) == clean_line


def test_a_bash_session_with_title_and_bracketed_paste_codes() -> None:
    text = (
        "\x1b[?2004h\x1b]0;root@node: ~\x07root@node:~# ip neigh\n"
        "\x1b[?2004l\r" + ROW1 + "\n"
        "\x1b[?2004hroot@node:~# \n"
    )
    rows, notes = read_noting(text)
    assert rows == [ROW1]
    assert notes == ["<input>: skipped 2 lines that are not entries: 2 command lines"]


def test_a_screen_log_with_charset_and_keypad_codes() -> None:
    text = "\x1b[H\x1b[2J\x1b(B\x1b[mroot@node:~# ip neigh\n" + ROW1 + "\n\x1b=\x1b>" + ROW2 + "\n"
    assert read_noting(text)[0] == [ROW1, ROW2]


# -- session lines ----------------------------------------------------------------


def test_sudo_ssh_and_logout_lines_are_session_lines() -> None:
    text = (
        "Warning: Permanently added '198.51.100.9' (ED25519) to the list of known hosts.\n"
        "Last login: Fri Jan  2 03:04:05 2026 from 198.51.100.7\n"
        "user@node-1:~$ sudo ip neigh show\n"
        "sudo: unable to resolve host node-1: Name or service not known\n"
        "[sudo] password for user: \n" + ROW1 + "\n"
        "user@node-1:~$ exit\n"
        "logout\n"
        "Connection to 198.51.100.9 closed.\n"
    )
    rows, notes = read_noting(text)
    assert rows == [ROW1]
    assert notes == [
        "<input>: skipped 8 lines that are not entries: 6 session lines, 2 command lines"
    ]


def test_a_script_typescript_with_its_header_and_trailer() -> None:
    text = (
        "Script started on 2026-01-02 03:04:05+00:00 "
        '[TERM="xterm-256color" TTY="/dev/pts/0" COLUMNS="120" LINES="40"]\n'
        "root@node:~# ip neigh\r\n" + ROW1 + " \r\n"
        "root@node:~# exit\r\n"
        "exit\r\n"
        "\n"
        'Script done on 2026-01-02 03:04:09+00:00 [COMMAND_EXIT_CODE="0"]\n'
    )
    rows, notes = read_noting(text)
    assert rows == [ROW1]
    assert notes == [
        "<input>: skipped 5 lines that are not entries: 3 session lines, 2 command lines"
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Every 1.0s: ip neigh                                   node-1: Fri Jan  2 03:04:05 2026",
        "Every 2.0s: ip -s neigh show dev eth0     node-1: Fri Jan  2 03:04:05 2026",
        "Every 1,0s: ip neigh                      node-1: Fr 2. Jan 03:04:05 2026",
        "Every 1s: ip neigh                                     2026-01-02 03:04:05",  # BusyBox
    ],
)
def test_a_watch_header_is_a_banner(header: str) -> None:
    rows, notes = read_noting(header + "\n\n" + ROW1 + "\n" + ROW2 + "\n")
    assert rows == [ROW1, ROW2]
    assert notes == ["<input>: skipped 1 line that is not an entry: 1 banner"]


@pytest.mark.parametrize(
    "prompt",
    [
        "me@MacBook-Pro ~ % arp -an",  # macOS zsh
        "node-1 ~ # ip neigh",  # Gentoo root
        "me@node-1 ~> ip neigh",  # fish
        "me@node-1 ~/src/neighctl (main) $ ip neigh",  # bash with the git branch
        "user@host /etc $ ip neigh",
    ],
)
def test_prompts_with_a_directory_word(prompt: str) -> None:
    rows, notes = read_noting(prompt + "\n" + ROW1 + "\n")
    assert rows == [ROW1]
    assert notes == ["<input>: skipped 1 line that is not an entry: 1 command line"]


@pytest.mark.parametrize("prose", ["CPU at 50 % today", "Total: 5 > 3", "Here is the table:"])
def test_prose_with_a_prompt_sign_is_still_not_skipped_silently(prose: str) -> None:
    with pytest.raises(ParseError, match=r"<input>:1: not a table row"):
        read_text(prose + "\n" + ROW1 + "\n")


# -- a paste cut short ------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "why"),
    [
        ("192.0.2.2 dev eth0 lladdr 02:00:00:00:0", "'02:00:00:00:0' is not a link-layer address"),
        ("192.0.2.2 dev eth0 lladdr 02:00:00:00:00:0", "is not a link-layer address"),
        ("192.0.2.2 dev eth0 lladdr 02:00:00:00:00:02", "no state after the link-layer address"),
        ("192.0.2.2 dev eth0 lladdr 02:00:00:00:00:02 router", "no state after"),
    ],
)
def test_a_last_line_cut_short_is_an_error_not_an_entry(last: str, why: str) -> None:
    text = "node-1 $ ip neigh\n" + ROW1 + "\n" + last
    with pytest.raises(ParseError) as info:
        read_text(text, path="ticket.txt")
    assert str(info.value).startswith("ticket.txt:3: not a neighbour entry")
    assert why in str(info.value)


@pytest.mark.parametrize(
    "row",
    [
        "192.0.2.5 dev gre1 lladdr 198.51.100.1 PERMANENT",  # ipip/gre: an IPv4 lladdr
        "2001:db8::5 dev ip6gre1 lladdr 2001:db8::1 PERMANENT",  # ip6gre: an IPv6 one
        "192.0.2.6 dev ib0 lladdr 80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0b:5f:b1 REACHABLE",
        "192.0.2.7 dev eth0 lladdr 02:00:00:00:00:07 PERMANENT",
    ],
)
def test_link_layer_addresses_of_other_devices_still_read(row: str) -> None:
    assert lines_of(read_text(row + "\n")) == [row]


# -- --lenient's count --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Here is the table:\n" + ROW1 + "\n", "skipped 1 line that was not a neighbour entry"),
        ("prose\nmore prose\n" + ROW1 + "\n", "skipped 2 lines that were not neighbour entries"),
        (
            '[{"dst": "192.0.2.1", "state": ["BOGUS"]}, {"dst": "x"}, {"dst": "192.0.2.3"}]\n',
            "skipped 2 JSON entries that could not be read",
        ),
    ],
)
def test_lenient_counts_in_words_that_agree(text: str, count: str) -> None:
    warnings: list[str] = []
    read_text(text, lenient=warnings.append)
    assert warnings[-1] == count


# -- iproute2 6.17's extern_valid ------------------------------------------------------

EXTERN_VALID = "192.0.2.1 dev br0.10 lladdr 02:00:00:00:00:01 extern_learn extern_valid STALE"


def test_extern_valid_reads_from_text_and_json_and_prints_as_iproute2_does() -> None:
    (text_entry,) = read_text(EXTERN_VALID + "\n")
    (json_entry,) = read_text(
        '[{"dst": "192.0.2.1", "dev": "br0.10", "lladdr": "02:00:00:00:00:01",'
        ' "extern_learn": null, "extern_valid": null, "state": ["STALE"]}]\n'
    )
    assert text_entry == json_entry
    assert flag_words(text_entry.flags) == ["extern_learn", "extern_valid"]
    assert lines_of([text_entry]) == [EXTERN_VALID]


def test_extern_valid_entries_are_exempt_from_gc_like_extern_learn() -> None:
    (entry,) = read_text(EXTERN_VALID.replace("extern_learn ", "") + "\n")
    assert exempt_reason(entry, frozenset()) == "extern_learn"


# -- JSON from other iproute2 versions ---------------------------------------------------


def test_json_keys_neighctl_does_not_know_are_noted_not_fatal() -> None:
    text = (
        '[{"dst": "192.0.2.1", "dev": "eth0", "lladdr": "02:00:00:00:00:01", "nhid": 7,'
        ' "state": ["REACHABLE"]},\n'
        ' {"dst": "192.0.2.2", "dev": "eth0", "lladdr": "02:00:00:00:00:02", "nhid": 8,'
        ' "vni": 10, "state": ["STALE"]}]\n'
    )
    notes: list[str] = []
    entries = read_text(text, path="new-ip.json", note=notes.append)
    assert lines_of(entries) == [ROW1, ROW2]
    assert notes == [
        "new-ip.json: ignored keys neighctl does not know: 'nhid' (2 entries), 'vni' (1 entry)"
    ]


def test_json_that_is_not_neighbours_is_still_refused() -> None:
    route = '[{"dst": "default", "gateway": "192.0.2.1", "dev": "eth0", "flags": []}]\n'
    with pytest.raises(ParseError, match="'dst' is not an IP address"):
        read_text(route)
    fdb = '[{"mac": "02:00:00:00:00:01", "ifname": "vxlan0", "dst": "192.0.2.2", "state": "permanent"}]\n'
    with pytest.raises(ParseError, match="'state' should be a list"):
        read_text(fdb)


@pytest.mark.parametrize("lladdr", ["zz", "02:00:00:00:0", "02-00-00-00-00-01"])
def test_json_link_layer_addresses_are_checked_as_text_ones_are(lladdr: str) -> None:
    text = f'[{{"dst": "192.0.2.1", "dev": "eth0", "lladdr": "{lladdr}", "state": ["STALE"]}}]'
    with pytest.raises(ParseError, match="is not a link-layer address"):
        read_text(text)
    with pytest.raises(ParseError, match="is not a link-layer address"):
        read_text(f"192.0.2.1 dev eth0 lladdr {lladdr} STALE\n")


# -- text that is not quite UTF-8 -------------------------------------------------------

LATIN1 = ("# caf\xe9 gateway\n" + ROW1 + "\n").encode("latin-1")


def test_a_byte_that_is_not_utf8_is_an_error_that_names_the_line_and_lenient(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ticket.txt"
    path.write_bytes(LATIN1)
    with pytest.raises(ParseError) as info:
        read_path(str(path))
    assert (
        str(info.value)
        == f"{path}:1: not UTF-8 text (--lenient reads it with U+FFFD for the bytes that are not)"
    )


def test_lenient_reads_text_with_a_byte_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "ticket.txt"
    path.write_bytes(LATIN1 + b"192.0.2.2 dev eth0 lladdr 02:00:00:00:00:02 \xa0STALE\n")
    warnings: list[str] = []
    entries = read_path(str(path), lenient=warnings.append)
    assert lines_of(entries) == [ROW1]
    assert warnings[0] == f"{path}:1: not UTF-8 text: read with U+FFFD for the bytes that are not"
    assert warnings[1].startswith(f"{path}:3: skipped: not a neighbour entry")


# -- an error leaves no half document on standard output ---------------------------------


@pytest.mark.parametrize("output", ["json", "ip"])
def test_a_capture_refused_early_prints_nothing(tmp_path: Path, output: str) -> None:
    from typer.testing import CliRunner

    from neighctl.cli import app

    path = tmp_path / "ticket.txt"
    path.write_text(ROW1 + "\n192.0.2.2 dev eth0 lladdr zz STALE\n")
    result = CliRunner().invoke(app, ["show", "--from", str(path), "-o", output])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"neighctl: error: {path}:2:")


# -- nothing to read ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ufeff"])
def test_an_empty_capture_is_an_empty_table_with_a_note(text: str) -> None:
    notes: list[str] = []
    assert read_text(text, path="ticket.txt", note=notes.append) == []
    assert notes == ["ticket.txt: empty: no lines to read"]


def test_a_capture_of_only_a_header_has_no_empty_note() -> None:
    notes: list[str] = []
    header = "Address                  HWtype  HWaddress           Flags Mask            Iface\n"
    assert read_text(header, note=notes.append) == []
    assert notes == ["<input>: skipped 1 line that is not an entry: 1 header"]


# -- a long line in a message -------------------------------------------------------------


def test_a_long_bad_line_is_quoted_in_part() -> None:
    junk = "x" * 50_000
    with pytest.raises(ParseError) as info:
        read_text(junk + "\n", path="ticket.txt")
    assert len(str(info.value)) < 400
    assert str(info.value).startswith("ticket.txt:1: not a table row")
    row = "192.0.2.1 dev eth0 lladdr zz " + "STALE " * 8000
    with pytest.raises(ParseError) as info:
        read_text(row + "\n")
    assert len(str(info.value)) < 400
    warnings: list[str] = []
    read_text(junk + "\n" + row + "\n", lenient=warnings.append)
    assert all(len(w) < 400 for w in warnings)


def test_a_long_json_value_is_quoted_in_part() -> None:
    with pytest.raises(ParseError) as info:
        read_text('[{"dst": "' + "9" * 50_000 + '"}]\n')
    assert len(str(info.value)) < 400


# -- an e-mail reply quoting the table -------------------------------------------------------


def test_rows_quoted_in_an_email_reply_are_read() -> None:
    text = (
        "On Fri, Jan 2, 2026 at 03:04, Customer <me@example.com> wrote:\n"
        "> here is the table from node-1\n"
        "> $ ip neigh\n"
        "> " + ROW1 + "\n"
        ">> " + ROW2 + "\n"
        ">\n"
    )
    rows, notes = read_noting(text)
    assert rows == [ROW1, ROW2]
    assert notes == [
        "<input>: skipped 3 lines that are not entries: 2 quoted lines, 1 command line"
    ]


def test_a_quoted_row_that_cannot_be_read_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"<input>:2: not a neighbour entry"):
        read_text("> " + ROW1 + "\n> 192.0.2.2 dev eth0 lladdr zz STALE\n")


def test_shell_continuation_lines_are_still_skipped() -> None:
    text = "$ for ns in a b; do\n> ip -n $ns neigh\n> done\n" + ROW1 + "\n"
    rows, notes = read_noting(text)
    assert rows == [ROW1]
    assert notes == [
        "<input>: skipped 3 lines that are not entries: 2 quoted lines, 1 command line"
    ]
