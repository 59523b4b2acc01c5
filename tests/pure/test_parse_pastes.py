"""What support tickets really hold around a table: terminal junk, session lines,
`watch` headers, prompts of more shells, cut-off lines. Written by hand in the
shape each tool prints (documentation addresses and MACs)."""

from __future__ import annotations

import pytest

from neighctl.parse import read_text
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
