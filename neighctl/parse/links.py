"""`ip [-s] [-d] link` and `ip [-d] address` (also `ip -o`) text -> Link and Address objects.

iproute2 (ip/ipaddress.c, print_linkinfo) prints a header per interface,
``INDEX: NAME[@PEER]: <FLAGS> mtu N ... [master M] state S ...``, then
indented lines: ``link/TYPE MAC brd ...``, with -d the link kind and its
details (``vxlan id 42 local 10.0.0.1 dev eth0 ... dstport 4789``), with
-s counters, and (`ip address`) ``inet ADDR/LEN [brd B] scope ...``. `ip -o`
puts each interface on one line with ``\\`` where the line breaks were.
"""

from __future__ import annotations

import re
from dataclasses import replace

from neighctl.model import AF_INET, AF_INET6
from neighctl.snapshot import Address, Link, Vxlan

# IFF_* bits (include/uapi/linux/if.h) by the word iproute2 prints.
IFF_BITS: dict[str, int] = {
    "UP": 0x1,
    "BROADCAST": 0x2,
    "DEBUG": 0x4,
    "LOOPBACK": 0x8,
    "POINTOPOINT": 0x10,
    "NOTRAILERS": 0x20,
    "RUNNING": 0x40,
    "NOARP": 0x80,
    "PROMISC": 0x100,
    "ALLMULTI": 0x200,
    "MASTER": 0x400,
    "SLAVE": 0x800,
    "MULTICAST": 0x1000,
    "PORTSEL": 0x2000,
    "AUTOMEDIA": 0x4000,
    "DYNAMIC": 0x8000,
    "LOWER_UP": 0x10000,
    "DORMANT": 0x20000,
    "ECHO": 0x40000,
}
_HEADER = re.compile(
    r"^(?P<index>\d+): (?P<name>[^\s:@]+)(?:@(?P<peer>[^\s:]+))?: <(?P<flags>[^>]*)>(?P<rest>.*)$"
)
_ONELINE_ADDR = re.compile(
    r"^(?P<index>\d+): (?P<name>[^\s:@]+)(?:@\S+)?\s+(?P<fam>inet6?) (?P<rest>.*)$"
)
_INET = re.compile(r"^(?P<fam>inet6?) (?P<addr>[0-9A-Fa-f:.]+)(?:/(?P<len>\d+))?(?P<rest>.*)$")
# Words that begin a detail line but are not a link kind.
_NOT_KIND = frozenset(
    [
        "addrgenmode",
        "numtxqueues",
        "altname",
        "alias",
        "vf",
        "inet",
        "inet6",
        "valid_lft",
        "prefix",
        "RX:",
        "TX:",
        "link-netns",
        "link-netnsid",
        "promiscuity",
    ]
)
_KIND = re.compile(r"^[a-z][a-z0-9_]*$")


def _value(words: list[str], key: str) -> str | None:
    try:
        return words[words.index(key) + 1]
    except (ValueError, IndexError):
        return None


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def _vxlan(words: list[str]) -> Vxlan:
    return Vxlan(
        vni=_int(_value(words, "id")),
        local=_value(words, "local"),
        group=_value(words, "group") or _value(words, "remote"),
        port=_int(_value(words, "dstport")),
        underlay=_value(words, "dev"),
        learning="nolearning" not in words,
    )


def split_records(text: str) -> list[list[str]]:
    """The lines of each interface (a header and its indented lines); `ip -o` lines split."""
    records: list[list[str]] = []
    for raw in text.splitlines():
        for line in raw.replace("\\", "\n").split("\n") if "\\" in raw else (raw,):
            if not line.strip():
                continue
            if line[:1].isdigit() and (_HEADER.match(line) or _ONELINE_ADDR.match(line)):
                records.append([line.rstrip()])
            elif records and line[:1].isspace():
                records[-1].append(line.rstrip())
    return records


def parse_links(text: str) -> list[Link]:
    """Every interface with a header line in `ip link` or `ip address` output."""
    links: dict[str, Link] = {}
    for record in split_records(text):
        m = _HEADER.match(record[0])
        if m is None:
            continue
        words = m["rest"].split()
        flags = 0
        for word in m["flags"].split(","):
            flags |= IFF_BITS.get(word, 0)
        link = Link(
            index=int(m["index"]),
            name=m["name"],
            flags=flags,
            mtu=_int(_value(words, "mtu")),
            master=_value(words, "master"),
        )
        for line in record[1:]:
            detail = line.split()
            head = detail[0]
            if head.startswith("link/"):
                if len(detail) > 1 and re.fullmatch(r"[0-9a-f]{2}(?::[0-9a-f]{2})+", detail[1]):
                    link = replace(link, mac=detail[1])
            elif link.kind is None and _KIND.match(head) and head not in _NOT_KIND:
                if head.endswith("_slave"):
                    continue
                link = replace(link, kind=head)
                if head == "vxlan":
                    link = replace(link, vxlan=_vxlan(detail))
        links[link.name] = link
    return list(links.values())


def parse_addresses(text: str) -> list[Address]:
    """Every `inet`/`inet6` address in `ip address` or `ip -o address` output."""
    out: list[Address] = []
    for record in split_records(text):
        first = record[0]
        m = _HEADER.match(first)
        lines = record[1:]
        if m is None:
            one = _ONELINE_ADDR.match(first)
            if one is None:
                continue
            name = one["name"]
            lines = [f"{one['fam']} {one['rest']}", *record[1:]]
        else:
            name = m["name"]
        for line in lines:
            a = _INET.match(line.strip())
            if a is None:
                continue
            family = AF_INET6 if a["fam"] == "inet6" else AF_INET
            rest = a["rest"].split()
            length = a["len"]
            out.append(
                Address(
                    family=family,
                    address=a["addr"],
                    prefixlen=int(length) if length else (128 if family == AF_INET6 else 32),
                    dev=name,
                    broadcast=_value(rest, "brd"),
                )
            )
    return out


def looks_like_links(text: str) -> bool:
    """Whether text is `ip link`/`ip address` output (an interface header line)."""
    return any(_HEADER.match(line) or _ONELINE_ADDR.match(line) for line in text.splitlines()[:20])
