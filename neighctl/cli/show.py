"""`neighctl show`.

No ``from __future__ import annotations`` here: typer reads ``run``'s
annotations at every start, and string annotations cost a compile each
(~1 ms of `show`'s start-up for its fourteen options).
"""

import sys
from collections.abc import Iterable
from typing import Annotated

import typer

from neighctl.cli.common import (
    Color,
    ColorOpt,
    DevOpt,
    FromOpt,
    InputFormat,
    InputFormatOpt,
    LenientOpt,
    NetnsOpt,
    Output,
    StateOpt,
    TargetArg,
    V4Opt,
    V6Opt,
    handle_errors,
    warn,
    write_view,
)
from neighctl.errors import UsageError
from neighctl.filters import build_filter
from neighctl.model import Neighbor, Row, as_row


def read_source(
    source: str, input_format: InputFormat, lenient: bool, netns: str | None
) -> list[Neighbor]:
    """Entries from --from, after the checks that options make sense together."""
    if netns is not None:
        raise UsageError("--from reads a saved output; --netns does not apply to it")
    from neighctl.parse import read_path

    return read_path(source, input_format.value, lenient=warn if lenient else None)


@handle_errors
def run(
    target: TargetArg = None,
    dev: DevOpt = None,
    state: StateOpt = None,
    ipv4: V4Opt = False,
    ipv6: V6Opt = False,
    proxy: Annotated[bool, typer.Option("--proxy", help="Show proxy entries instead.")] = False,
    output: Annotated[Output, typer.Option("-o", "--output", help="Output format.")] = Output.table,
    stats: Annotated[
        bool, typer.Option("-s", "--stats", help="Add ref count, ages and probes.")
    ] = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="Counts per device and state instead of rows.")
    ] = False,
    color: ColorOpt = Color.auto,
    netns: NetnsOpt = None,
    source: FromOpt = None,
    input_format: InputFormatOpt = InputFormat.auto,
    lenient: LenientOpt = False,
) -> None:
    """Show the neighbour table, like `ip neigh show` (or a saved one, with --from)."""
    from neighctl.render import entry_view
    from neighctl.render.color import use_color

    filt = build_filter(target, dev, state, ipv4, ipv6, proxy)
    if summary and output is not Output.table:
        raise UsageError(f"--summary prints a table; it does not combine with -o {output.value}")
    view = entry_view(
        output.value,
        stats=stats,
        color=use_color(color.value, sys.stdout),
        omit_dev=dev is not None,
        summary=summary,
    )
    batches: Iterable[list[Row]]
    if source is not None:
        batches = [
            list(map(as_row, filt.select(read_source(source, input_format, lenient, netns))))
        ]
    else:
        from neighctl.kernel.dump import read_neighbor_rows

        batches = read_neighbor_rows(filt, netns=netns)
    write_view(view, batches)
