"""iproute2's own text: `ip [-s] neigh show`, one line an entry."""

from __future__ import annotations

from collections.abc import Iterable

from neighctl.model import Neighbor
from neighctl.render.cells import FLAG_TEXT, STATE_TEXT, protocol_name


def ip_line(n: Neighbor, *, stats: bool = False, omit_dev: bool = False) -> str:
    """One line exactly as iproute2 6.x `ip [-s] neigh show` prints it (no newline).

    With stats this is the 5.16+ spelling: `lladdr X  used U/C/Pprobes N STATE `
    (the double space and the missing space before `probes` are iproute2's).
    """
    line = n.dst + " "
    if not omit_dev and n.dev:
        line += "dev " + n.dev + " "
    if n.lladdr is not None:
        line += "lladdr " + n.lladdr + " "
    if n.flags:
        line += FLAG_TEXT[n.flags]
    if stats:
        if n.refcnt:
            line += f" ref {n.refcnt}"
        if n.used is not None:
            line += f" used {int(n.used)}/{int(n.confirmed or 0)}/{int(n.updated or 0)}"
        if n.probes is not None:
            line += f"probes {n.probes} "
    line += STATE_TEXT[n.state]
    if n.protocol:
        line += "proto " + protocol_name(n.protocol) + " "
    return line


def render_ip(entries: Iterable[Neighbor], *, stats: bool = False, omit_dev: bool = False) -> str:
    """The whole `ip neigh show` output for these entries."""
    lines = [ip_line(n, stats=stats, omit_dev=omit_dev) for n in entries]
    lines.append("")
    return "\n".join(lines)
