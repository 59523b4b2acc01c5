"""iproute2's own text: `ip [-s] neigh show`, one line an entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from neighctl.model import Neighbor, Row, as_row
from neighctl.render.cells import AGE_CACHE, FLAG_TEXT, STATE_TEXT, protocol_name


class IpView:
    """`show -o ip [-s]` a batch of rows at a time.

    With stats this is the 5.16+ spelling: `lladdr X  used U/C/Pprobes N STATE `
    (the double space and the missing space before `probes` are iproute2's).
    Pieces that repeat across entries (a device's words, a triple of ages)
    are built once.
    """

    def __init__(self, *, stats: bool = False, omit_dev: bool = False) -> None:
        self.stats = stats
        self.omit_dev = omit_dev
        self._dev_text: dict[str, str] = {}
        self._ages: dict[tuple[float, float | None, float | None], str] = {}

    def rows(self, rows: Sequence[Row]) -> str:
        if not rows:
            return ""
        return "\n".join(self.lines(rows)) + "\n"

    def close(self) -> Iterator[str]:
        return iter(())

    def lines(self, rows: Iterable[Row]) -> list[str]:
        """Each row's line exactly as iproute2 6.x `ip [-s] neigh show` prints it (no newline)."""
        dev_text = self._dev_text
        ages = self._ages
        omit_dev = self.omit_dev
        stats = self.stats
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
                    key = (used, confirmed, updated)
                    age = ages.get(key)
                    if age is None:
                        if len(ages) > AGE_CACHE:
                            ages.clear()
                        age = ages[key] = (
                            f" used {int(used)}/{int(confirmed or 0)}/{int(updated or 0)}"
                        )
                    counters += age
                if probes is not None:
                    counters += f"probes {probes} "
            ll = "" if lladdr is None else "lladdr " + lladdr + " "
            proto = "proto " + protocol_name(protocol) + " " if protocol else ""
            append(f"{dst} {d}{ll}{flag_text[flags]}{counters}{state_text[state]}{proto}")
        return out


def ip_lines(rows: Iterable[Row], *, stats: bool = False, omit_dev: bool = False) -> list[str]:
    """Each row's line as `ip [-s] neigh show` prints it (no newline); see IpView."""
    return IpView(stats=stats, omit_dev=omit_dev).lines(rows)


def ip_line(n: Neighbor, *, stats: bool = False, omit_dev: bool = False) -> str:
    """One entry's line, as `ip [-s] neigh show` prints it (no newline); see IpView."""
    return ip_lines([as_row(n)], stats=stats, omit_dev=omit_dev)[0]


def render_ip(entries: Iterable[Neighbor], *, stats: bool = False, omit_dev: bool = False) -> str:
    """The whole `ip neigh show` output for these entries."""
    return IpView(stats=stats, omit_dev=omit_dev).rows([as_row(n) for n in entries])
