"""iproute2's own text: `ip [-s] neigh show`, one line an entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from neighctl.model import Neighbor, Row, as_row
from neighctl.render.cells import FLAG_TEXT, STATE_TEXT, protocol_name


def ip_lines(rows: Iterable[Row], *, stats: bool = False, omit_dev: bool = False) -> list[str]:
    """Each row's line exactly as iproute2 6.x `ip [-s] neigh show` prints it (no newline).

    With stats this is the 5.16+ spelling: `lladdr X  used U/C/Pprobes N STATE `
    (the double space and the missing space before `probes` are iproute2's).
    """
    dev_text: dict[str, str] = {}
    flag_text, state_text = FLAG_TEXT, STATE_TEXT
    out: list[str] = []
    append = out.append
    counters = ""
    for (_, dst, dev, state, flags, lladdr, _, refcnt, used, confirmed, updated,
         probes, protocol) in rows:  # fmt: skip
        d = dev_text.get(dev)
        if d is None:
            d = dev_text[dev] = "" if omit_dev or not dev else "dev " + dev + " "
        if stats:
            counters = f" ref {refcnt}" if refcnt else ""
            if used is not None:
                counters += f" used {int(used)}/{int(confirmed or 0)}/{int(updated or 0)}"
            if probes is not None:
                counters += f"probes {probes} "
        ll = "" if lladdr is None else "lladdr " + lladdr + " "
        proto = "proto " + protocol_name(protocol) + " " if protocol else ""
        append(f"{dst} {d}{ll}{flag_text[flags]}{counters}{state_text[state]}{proto}")
    return out


def ip_line(n: Neighbor, *, stats: bool = False, omit_dev: bool = False) -> str:
    """One entry's line, as `ip [-s] neigh show` prints it (no newline); see ip_lines."""
    return ip_lines([as_row(n)], stats=stats, omit_dev=omit_dev)[0]


class IpView:
    """`show -o ip [-s]` a batch of rows at a time."""

    def __init__(self, *, stats: bool = False, omit_dev: bool = False) -> None:
        self.stats = stats
        self.omit_dev = omit_dev

    def rows(self, rows: Sequence[Row]) -> str:
        if not rows:
            return ""
        return "\n".join(ip_lines(rows, stats=self.stats, omit_dev=self.omit_dev)) + "\n"

    def close(self) -> Iterator[str]:
        return iter(())


def render_ip(entries: Iterable[Neighbor], *, stats: bool = False, omit_dev: bool = False) -> str:
    """The whole `ip neigh show` output for these entries."""
    return IpView(stats=stats, omit_dev=omit_dev).rows([as_row(n) for n in entries])
