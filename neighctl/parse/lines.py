"""What a pasted capture carries besides table rows, recognised so it can be skipped.

``clean`` undoes what terminals and editors add to a line (a byte-order mark,
`ip -c` colour codes, CR line ends, trailing blanks). ``noise_kind`` names a
line that is not a table row of any tool: a shell prompt with or without its
command, a comment, a banner (`==> file <==` from `tail`/`head`), a Markdown
fence, a separator, `ip -t monitor`'s `Timestamp:` line, or a line of another
`ip` command's output (links, addresses, routes: `ip monitor` interleaves
them, pastes mix them). Headers and trailers belong to their format's module.
"""

from __future__ import annotations

import re

# Escape sequences a terminal session leaves in a log or a copy (ECMA-48): CSI
# (`ip -c` and prompt colours, bracketed paste `ESC[?2004h`), OSC (the xterm
# title bash sets, ended by BEL or ST), DCS/PM/APC strings, charset
# designations (`ESC(B` from screen and tmux) and two-byte ones (`ESC=`, `ESC>`).
_ANSI = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[P^_][^\x1b]*(?:\x1b\\)?"
    r"|[ -/]+[0-~]|[0-~])"
)
# Other C0 controls (shift-in/out, bell, ...), and the zero-width characters chat
# apps and web pages slip into a copy (ZWSP, ZWNJ, ZWJ, word joiner, a BOM inside
# the text); tabs stay, CR and BS are replayed.
_CONTROLS = re.compile(r"[\x00-\x07\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
BOM = "\ufeff"


def _overstrike(line: str) -> str:
    """What a terminal shows for a line with carriage returns and backspaces in it."""
    shown: list[str] = []
    col = 0
    for ch in line:
        if ch == "\r":
            col = 0
        elif ch == "\b":
            col = max(col - 1, 0)
        else:
            if col < len(shown):
                shown[col] = ch
            else:
                shown.append(ch)
            col += 1
    return "".join(shown)


def clean(line: str) -> str:
    """The line as a terminal showed it: without escape sequences, other control
    characters, zero-width characters, a BOM, CR line ends and trailing blanks; a
    CR or backspace inside the line overwrites what came before it."""
    if "\x1b" in line:
        line = _ANSI.sub("", line)
    if line.startswith(BOM):
        line = line[1:]
    line = line.rstrip()
    if "\r" in line or "\b" in line:
        line = _overstrike(line).rstrip()
    if _CONTROLS.search(line):
        line = _CONTROLS.sub("", line)
    return line


# Monitor prefixes: `ip -ts monitor`'s `[2026-01-02T03:04:05.678901] ` and the
# object label of `ip monitor label`/`ip monitor all` (`[NEIGH]`, `[LINK]`, ...).
_TS_PREFIX = re.compile(r"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\]\s*")
_LABEL = re.compile(r"\[([A-Z]+)\]\s*")
NEIGH_LABEL = "NEIGH"


def monitor_prefixes(line: str) -> tuple[str, str | None, bool]:
    """(the line without its prefixes, the object label or None, whether it had a timestamp)."""
    label = None
    stamped = False
    while line.startswith("["):
        m = _TS_PREFIX.match(line)
        if m is not None:
            stamped = True
        else:
            m = _LABEL.match(line)
            if m is None:
                break
            label = m.group(1)
        line = line[m.end() :]
    return line, label, stamped


# Noise kinds, as the note on standard error names them.
COMMAND = "command line"
COMMENT = "comment"
BANNER = "banner"
FENCE = "Markdown fence"
TIMESTAMP = "timestamp"
OTHER = "line of other `ip` output"
HEADER = "header"
TRAILER = "trailer"
SESSION = "session line"
QUOTED = "quoted line"

# An e-mail reply's quote markers (`> `, `>> `, `> > `): the rest of the line is read
# as it is. (A shell's continuation prompt `> ` looks the same; what follows it is a
# command, skipped as a quoted line.)
QUOTE_PREFIX = re.compile(r"^>(?:[ \t]?>)*[ \t]?")
_ATTRIBUTION = re.compile(r"^On .{5,300} wrote:$")

_FENCE = re.compile(r"^\s*(?:```|~~~)")
_BANNER = re.compile(r"^\s*(?:==>.*<==|=+ .* =+|-{2,} .* -{2,}|[-=#*_~+]{3,})\s*$")
_TIMESTAMP = re.compile(r"^Timestamp: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \d+ usec$")
# `watch`'s title line: procps `Every 1.0s: CMD   HOST: DATE` (a decimal comma in
# some locales), BusyBox `Every 1s: CMD   DATE`.
_WATCH = re.compile(r"^\s*Every \d+(?:[.,]\d+)?s: \S")
# What logging in, sudo, ssh and script(1) print around the commands of a session.
_SESSION = re.compile(
    r"^(?:\[sudo\] password for \S+:|Password:|sudo: .+|Last login: .+|logout|exit"
    r"|(?:Shared c|C)onnection to \S+ closed\.?"
    r"|Warning: Permanently added .+ to the list of known hosts\.?"
    r"|Script (?:started|done) on .+)$"
)
# A shell or device prompt, then maybe a command: `$ ip neigh`, `# ip ne`,
# `[root@node ~]# arp -an`, `user@host:~ $ ip -s neigh`, `router> `,
# `mininet> h1 ip neigh`, `(venv) me@box:~$ ...`, `PS C:\Users\me> arp -a`,
# `bash-5.1$`, `% arp -an`, `❯ ip neigh`, `➜  ~ ip neigh`; with a directory word
# after the host: `me@MacBook-Pro ~ % arp -an` (zsh), `node-1 ~ # ip neigh`
# (Gentoo), `me@host ~> ip neigh` (fish), `me@host ~/src (main) $ ip neigh`.
_PROMPT = re.compile(
    r"^\s*(?:\([^)\s]*\)\s*)?(?:\[[^\]]*\]\s*)?(?:PS\s+)?"
    r"(?:[\w@.-]+(?::\S*)?\s+[~/]\S*\s*(?:\([^)\s]*\)\s*)?|[\w@.~:/\\+-]+\s?)?"
    r"(?:[$#%>❯»➜]|\$\s*#)(?:\s+(?P<rest>\S.*)|\s*$|(?P<glued>(?:sudo\s+)?(?:ip|arp|ndp|cat|bridge|sysctl|neighctl)(?:\s.*)?$))"
    r"|^\s*(?:PS\s+)?[A-Za-z]:\\[^>]*>\s*(?P<win>\S.*)?$"
)
# Words that begin a command someone ran to get a table (tells a prompt+command
# from a `# comment`).
_COMMANDS = frozenset(
    [
        "ip",
        "ip6",
        "arp",
        "ndp",
        "cat",
        "sudo",
        "doas",
        "neighctl",
        "bridge",
        "sysctl",
        "tail",
        "head",
        "less",
        "more",
        "grep",
        "kubectl",
        "docker",
        "crictl",
        "nsenter",
        "ssh",
        "oc",
        "sh",
        "bash",
        "watch",
        "h1",
        "h2",
        "s1",
        "show",
        "sos",
        "sosreport",
    ]
)
# Other `ip` output: `2: eth0: <BROADCAST,...> mtu ...` (link), `2: eth0    inet
# 10.0.0.1/24 ...` (`ip monitor`/`ip -o` address), a route (a type word, a
# prefix or `default` first, or a word neighbour entries never carry).
_LINK_HEAD = re.compile(r"^\d+: [^\s:]+(?:@[^\s:]+)?: <")
_ADDR_LINE = re.compile(r"^\d+: \S+\s+inet6? ")
_ROUTE_TYPES = [
    "unicast",
    "local",
    "broadcast",
    "multicast",
    "unreachable",
    "blackhole",
    "prohibit",
    "throw",
    "anycast",
    "nat",
    "default",
]
_ROUTE_WORDS = frozenset(
    ["via", "scope", "src", "metric", "table", "pref", "nhid", "onlink", "expires", "linkdown"]
)
_DETAIL = re.compile(
    r"^\s+(?:link/\S+|inet6? |valid_lft|altname|RX:|TX:|[\d\s]+$|alias |vf \d|"
    r"prefix |nexthop |veth|bridge|vxlan|bond|macvlan|vlan|openvswitch)"
)


_PREFIX = re.compile(r"^[0-9A-Fa-f:.]*[.:][0-9A-Fa-f:.]*(?:/\d{1,3})?$")


def _route_line(line: str) -> bool:
    words = line.split()
    if len(words) < 2:
        return False
    first = words[0]
    if first in _ROUTE_TYPES:
        return True
    if not _PREFIX.match(first):
        return False
    return "/" in first or any(word in _ROUTE_WORDS for word in words[1:])


def noise_kind(line: str, after_other: bool = False) -> str | None:
    """What kind of non-row line this is, or None if it is none of them.

    ``after_other`` says the previous line was another command's output, so an
    indented line is its continuation (`ip monitor all`'s `valid_lft ...`).
    """
    stripped = line.strip()
    if not stripped:
        return None
    first = stripped[0]
    if first in "`~" and _FENCE.match(line):
        return FENCE
    if stripped.startswith("Timestamp:") and _TIMESTAMP.match(stripped):
        return TIMESTAMP
    if _BANNER.match(line) or (first == "E" and _WATCH.match(line)):
        return BANNER
    if _SESSION.match(stripped):
        return SESSION
    if first == "O" and _ATTRIBUTION.match(stripped):
        return QUOTED
    m = _PROMPT.match(line)
    if m is not None:
        rest = m.group("rest")
        if first == "#" and rest and rest.split()[0] not in _COMMANDS:
            return COMMENT
        return COMMAND
    if first in ";/" and (stripped.startswith("//") or stripped.startswith(";")):
        return COMMENT
    if _LINK_HEAD.match(stripped) or _ADDR_LINE.match(stripped):
        return OTHER
    if line[:1].isspace() and (after_other or _DETAIL.match(line)):
        return OTHER
    if _route_line(stripped):
        return OTHER
    return None


_ROW_START = re.compile(
    r"^\s*(?:(?:Deleted|delete|miss)\s+)?(?:[0-9]{1,3}\.[0-9]{1,3}\.|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)"
    r"|^\s*\S+ \([^)]*\) at "
)


def looks_like_row(line: str) -> bool:
    """Whether the line starts like a neighbour row of some tool (an address, `? (ADDR) at`)."""
    return bool(_ROW_START.match(line))
