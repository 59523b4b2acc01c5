"""`neighctl show`."""

from __future__ import annotations

import sys
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
    ellipsis,
    handle_errors,
    terminal_width,
    warn,
    write,
)
from neighctl.errors import NotFoundError, UsageError
from neighctl.filters import build_filter
from neighctl.model import Neighbor


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
    proxy: Annotated[
        bool, typer.Option("--proxy", help="Show proxy entries instead (`proxy` too).")
    ] = False,
    output: Annotated[
        Output, typer.Option("-o", "--output", help="Output format (-j is -o json).")
    ] = Output.table,
    stats: Annotated[
        bool, typer.Option("-s", "--stats", help="Add ref count, ages and probes.")
    ] = False,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary", help="Counts per device and state instead of rows (table or json)."
        ),
    ] = False,
    color: ColorOpt = Color.auto,
    netns: NetnsOpt = None,
    source: FromOpt = None,
    input_format: InputFormatOpt = InputFormat.auto,
    lenient: LenientOpt = False,
) -> None:
    """Show the neighbour table, like `ip neigh show` (or a saved one, with --from).

    iproute2's spellings work too: `show dev eth0 nud stale to 10/8`, `show proxy`,
    `-n NS`, `-j`. A single ADDR that matches no entry exits 3.
    """
    from neighctl import render
    from neighctl.render.color import use_color

    filt = build_filter(target, dev, state, ipv4, ipv6, proxy)
    check_combination(output, stats, summary, color, proxy, state, source, input_format, lenient)
    if source is not None:
        entries = list(filt.select(read_source(source, input_format, lenient, netns)))
    else:
        from neighctl.kernel.dump import read_neighbors

        entries = read_neighbors(filt, netns=netns)
    if not entries and target is not None and "/" not in target:
        where = f" on {filt.dev}" if filt.dev is not None else ""
        hint = "entries in NOARP or NONE need --state all" if state is None else None
        if not proxy:
            hint = f"{hint}; proxy entries need --proxy" if hint else "proxy entries need --proxy"
        raise NotFoundError(f"no entry for {target.partition('%')[0]}{where}", hint)
    want_color = use_color(color.value, sys.stdout)
    width = terminal_width(sys.stdout)
    if summary:
        if output is Output.json:
            write(render.summary_json(entries))
        else:
            write(render.render_summary(entries, color=want_color, width=width))
        return
    write(
        render.render_entries(
            entries,
            output.value,
            stats=stats,
            color=want_color,
            omit_dev=filt.dev is not None,
            width=width,
            ellipsis=ellipsis(sys.stdout),
        )
    )


def check_combination(
    output: Output,
    stats: bool,
    summary: bool,
    color: Color,
    proxy: bool,
    state: list[str] | None,
    source: str | None,
    input_format: InputFormat,
    lenient: bool,
) -> None:
    """Refuse an option that would do nothing with the others (UsageError)."""
    if summary and output is Output.ip:
        raise UsageError("--summary prints a table or JSON; `ip neigh` has no summary to copy")
    if summary and stats:
        raise UsageError("--summary counts entries; -s adds per-entry columns: give one of them")
    if color is Color.always and output is not Output.table:
        raise UsageError(f"--color always colours the table; -o {output.value} is never coloured")
    if proxy and state:
        raise UsageError(
            "--state does not apply to proxy entries: they have no state",
            "drop --state, or drop --proxy to filter the neighbour table by state",
        )
    if source is None and lenient:
        raise UsageError("--lenient applies to --from: give the saved output to read")
    if source is None and input_format is not InputFormat.auto:
        raise UsageError("--input-format applies to --from: give the saved output to read")
