"""`neighctl watch`."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from neighctl.cli.common import (
    DevOpt,
    NetnsOpt,
    StateOpt,
    TargetArg,
    V4Opt,
    V6Opt,
    count,
    handle_errors,
    seconds,
)
from neighctl.filters import build_filter


class WatchOutput(str, Enum):
    table = "table"
    json = "json"


def _arrow() -> str:
    try:
        "→".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "->"
    return "→"


def _overflow() -> None:
    sys.stderr.write(
        "neighctl: warning: the kernel dropped neighbour notifications (receive buffer "
        "full); re-reading the table, differences follow marked resync\n"
    )
    sys.stderr.flush()


@handle_errors
def run(
    target: TargetArg = None,
    dev: DevOpt = None,
    state: StateOpt = None,
    ipv4: V4Opt = False,
    ipv6: V6Opt = False,
    output: Annotated[
        WatchOutput, typer.Option("-o", "--output", help="Output format (-j is -o json).")
    ] = WatchOutput.table,
    limit: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--count", callback=count, help="Exit after printing N events."),
    ] = None,
    duration: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--duration", callback=seconds, metavar="SECONDS", help="Exit after SECONDS seconds."
        ),
    ] = None,
    netns: NetnsOpt = None,
    rcvbuf: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--rcvbuf", min=1, max=1 << 30, hidden=True, help="Receive buffer bytes (testing)."
        ),
    ] = None,
) -> None:
    """Watch neighbour events as they happen, as transitions (like `ip monitor neigh`).

    With --dev, the device is followed: its going away, coming back (a device of
    the same name, as flannel and Calico re-create theirs) and renames are reported.
    """
    import itertools
    import time

    from neighctl.kernel.monitor import DEFAULT_RCVBUF, Watcher
    from neighctl.render.color import use_color
    from neighctl.render.events import any_event_json_line, any_event_line

    filt = build_filter(target, dev, state, ipv4, ipv6)
    until = None if duration is None else time.monotonic() + duration
    color = use_color("auto", sys.stdout)
    arrow = _arrow()
    write = sys.stdout.write
    flush = sys.stdout.flush
    try:
        with Watcher(
            filt, netns=netns, rcvbuf=rcvbuf or DEFAULT_RCVBUF, on_overflow=_overflow
        ) as watcher:
            for event in itertools.islice(watcher.events(until=until), limit):
                if output is WatchOutput.json:
                    write(any_event_json_line(event))
                else:
                    write(any_event_line(event, color=color, arrow=arrow))
                flush()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a watch ends: exit 0, quietly
