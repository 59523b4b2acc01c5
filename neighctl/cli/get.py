"""`neighctl get`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from neighctl.cli.common import (
    AddrArg,
    DevReq,
    NetnsOpt,
    Output,
    ellipsis,
    handle_errors,
    missing_entry_hint,
    need_device,
    terminal_width,
    write,
)
from neighctl.errors import NotFoundError


@handle_errors
def run(
    addr: AddrArg,
    dev: DevReq = None,
    proxy: Annotated[
        bool, typer.Option("--proxy", help="Look up the proxy entry (`proxy` too).")
    ] = False,
    output: Annotated[
        Output, typer.Option("-o", "--output", help="Output format (-j is -o json).")
    ] = Output.table,
    stats: Annotated[
        bool, typer.Option("-s", "--stats", help="Add ref count, ages and probes.")
    ] = False,
    netns: NetnsOpt = None,
) -> None:
    """Show one entry by exact lookup, like `ip neigh get`; exit 3 when there is none."""
    from neighctl.kernel.handle import Kernel
    from neighctl.render import render_entries
    from neighctl.render.color import use_color
    from neighctl.validate import lookup_request

    need_device("get", addr, dev)
    req = lookup_request(addr, dev, proxy=proxy)
    with Kernel(netns) as k:
        entry = k.get(req)
        if entry is None:
            raise NotFoundError(f"no entry for {req.what}", missing_entry_hint("get", k, req))
    write(
        render_entries(
            [entry],
            output.value,
            stats=stats,
            color=use_color("auto", sys.stdout),
            width=terminal_width(sys.stdout),
            ellipsis=ellipsis(sys.stdout),
        )
    )
