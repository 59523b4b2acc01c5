"""`neighctl show`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
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
    note,
    warn,
    write,
)
from neighctl.errors import UsageError
from neighctl.filters import build_filter
from neighctl.model import Neighbor


def stream_source(
    source: str, input_format: InputFormat, lenient: bool, netns: str | None
) -> Iterator[Neighbor]:
    """Entries from --from as they are read, after the checks that options make sense together.

    A progress bar appears on a terminal's stderr when the read takes more than a moment;
    the note about skipped lines goes to stderr at the end.
    """
    import os

    from neighctl.parse import iter_path

    is_dir = source != "-" and os.path.isdir(source)
    if netns is not None and not is_dir:
        raise UsageError(
            "--from reads a saved output; --netns applies only to a sosreport directory"
        )
    if is_dir:
        from neighctl.parse.sosreport import directory_neighbors

        yield from directory_neighbors(
            source, input_format.value, warn if lenient else None, note, netns
        )
        return
    from neighctl.render.progress import ByteProgress

    total = os.path.getsize(source) if source != "-" and os.path.isfile(source) else None
    bar = ByteProgress(total, f"reading {os.path.basename(source) if source != '-' else 'stdin'}")
    try:
        yield from iter_path(
            source, input_format.value, warn if lenient else None, note, progress=bar
        )
    finally:
        bar.close()


def read_source(
    source: str, input_format: InputFormat, lenient: bool, netns: str | None
) -> list[Neighbor]:
    """Every entry from --from, as a list."""
    return list(stream_source(source, input_format, lenient, netns))


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
    from neighctl import render
    from neighctl.render.color import use_color

    filt = build_filter(target, dev, state, ipv4, ipv6, proxy)
    if summary and output is not Output.table:
        raise UsageError(f"--summary prints a table; it does not combine with -o {output.value}")
    want_color = use_color(color.value, sys.stdout)
    if source is not None:
        from neighctl.filters import Hidden, select_counting_hidden

        hidden = Hidden()
        selected = select_counting_hidden(
            filt, stream_source(source, input_format, lenient, netns), hidden
        )
        if summary:
            write(render.render_summary(selected, color=want_color))
        elif output is Output.table:
            write(render.render_entries(list(selected), "table", stats=stats, color=want_color))
        else:
            for piece in render.iter_entries(
                selected, output.value, stats=stats, omit_dev=dev is not None
            ):
                sys.stdout.write(piece)
            sys.stdout.flush()
        for message in hidden.messages():
            note(message)
        return
    from neighctl.kernel.dump import read_neighbors

    entries = read_neighbors(filt, netns=netns)
    if summary:
        write(render.render_summary(entries, color=want_color))
        return
    write(
        render.render_entries(
            entries, output.value, stats=stats, color=want_color, omit_dev=dev is not None
        )
    )
