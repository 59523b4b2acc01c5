"""`neighctl show`.

No ``from __future__ import annotations`` here: typer reads ``run``'s
annotations at every start, and string annotations cost a compile each
(~1 ms of `show`'s start-up for its fourteen options).
"""

import sys
from collections.abc import Iterable, Iterator
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
    note,
    terminal_width,
    warn,
    write_view,
)
from neighctl.errors import NotFoundError, UsageError
from neighctl.filters import build_filter
from neighctl.model import Neighbor, Row


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
    from neighctl.render import entry_view, row_batches
    from neighctl.render.color import use_color

    filt = build_filter(target, dev, state, ipv4, ipv6, proxy)
    check_combination(output, stats, summary, color, proxy, state, source, input_format, lenient)
    view = entry_view(
        output.value,
        stats=stats,
        color=use_color(color.value, sys.stdout),
        omit_dev=filt.dev is not None,
        summary=summary,
        width=terminal_width(sys.stdout),
        ellipsis=ellipsis(sys.stdout),
    )
    # Entries arrive in batches of rows (a dump datagram, or 2,048 parsed lines) and
    # the view prints each batch as it comes: memory does not grow with the table.
    hidden = None
    batches: Iterable[list[Row]]
    if source is not None:
        from neighctl.filters import Hidden, select_counting_hidden

        hidden = Hidden()
        selected = select_counting_hidden(
            filt, stream_source(source, input_format, lenient, netns), hidden
        )
        batches = row_batches(selected)
    else:
        from neighctl.kernel.dump import read_neighbor_rows

        batches = read_neighbor_rows(filt, netns=netns)
    # A single address is looked up, not listed: finding nothing is an error (exit 3)
    # with nothing printed, so its (few) entries are read before anything is written.
    found = True
    if target is not None and "/" not in target:
        batches = [[row for rows in batches for row in rows]]
        found = bool(batches[0])
    if found:
        write_view(view, batches)
    for message in hidden.messages() if hidden is not None else ():
        note(message)
    if not found:
        raise _not_found(target or "", filt.dev, state, proxy)


def _not_found(target: str, dev: str | None, state: list[str] | None, proxy: bool) -> NotFoundError:
    where = f" on {dev}" if dev is not None else ""
    hints = []
    if state is None:
        hints.append("entries in NOARP or NONE need --state all")
    if not proxy:
        hints.append("proxy entries need --proxy")
    return NotFoundError(
        f"no entry for {target.partition('%')[0]}{where}", "; ".join(hints) or None
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
