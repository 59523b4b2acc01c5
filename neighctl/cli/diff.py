"""`neighctl diff`."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from neighctl.cli.common import (
    Color,
    ColorOpt,
    DevOpt,
    NetnsOpt,
    StateOpt,
    V4Opt,
    V6Opt,
    handle_errors,
    note,
    warn,
    write,
)
from neighctl.errors import UsageError


class DiffOutput(str, Enum):
    table = "table"
    json = "json"


SideArg = Annotated[
    str,
    typer.Argument(
        metavar="BEFORE",
        help="A saved output (any format `show --from` reads), a sosreport directory, "
        "or - / live for the kernel now.",
    ),
]


@handle_errors
def run(
    before: SideArg,
    after: Annotated[
        str, typer.Argument(metavar="AFTER", help="The same kinds of source as BEFORE.")
    ],
    dev: DevOpt = None,
    state: StateOpt = None,
    ipv4: V4Opt = False,
    ipv6: V6Opt = False,
    proxy: Annotated[bool, typer.Option("--proxy", help="Compare proxy entries instead.")] = False,
    netns: NetnsOpt = None,
    output: Annotated[
        DiffOutput, typer.Option("-o", "--output", help="Output format.")
    ] = DiffOutput.table,
    color: ColorOpt = Color.auto,
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient", help="Skip lines of a saved side that are not entries (with a warning)."
        ),
    ] = False,
) -> None:
    """Compare two neighbour tables: entries added, removed, changed (MAC, state, flags)."""
    from neighctl.diff import diff_tables, read_side, takes_netns
    from neighctl.filters import build_filter
    from neighctl.render.color import use_color
    from neighctl.render.diff import render_diff_json, render_diff_table

    filt = build_filter(None, dev, state, ipv4, ipv6, proxy)
    if netns is not None and not (takes_netns(before) or takes_netns(after)):
        raise UsageError(
            "--netns applies to the live kernel (- or live) and to sosreport directories; "
            "BEFORE and AFTER are both saved files"
        )
    # --netns is the namespace of the side that has one; a saved file is just the file.
    skip = warn if lenient else None
    old = read_side(
        before, filt, netns=netns if takes_netns(before) else None, lenient=skip, note=note
    )
    new = read_side(
        after, filt, netns=netns if takes_netns(after) else None, lenient=skip, note=note
    )
    result = diff_tables(old, new)
    for message in result.notes:
        note(message)
    changed = [(c.before, c.after, c.fields) for c in result.changed]
    if output is DiffOutput.json:
        write(render_diff_json(result.added, result.removed, changed))
    else:
        want = use_color(color.value, sys.stdout)
        write(render_diff_table(result.added, result.removed, changed, color=want))
