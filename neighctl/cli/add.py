"""`neighctl add`."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from neighctl.cli.common import (
    AddrArg,
    ChangeOutputOpt,
    DevReq,
    DryRunOpt,
    NetnsOpt,
    Output,
    handle_errors,
    write,
)
from neighctl.errors import EntryExistsError
from neighctl.model import Neighbor


def print_entries(entries: list[Neighbor], output: Output) -> None:
    from neighctl.render import render_entries
    from neighctl.render.color import use_color

    write(render_entries(entries, output.value, color=use_color("auto", sys.stdout)))


@handle_errors
def run(
    addr: AddrArg,
    dev: DevReq,
    lladdr: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[LLADDR]",
            help="The MAC: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff.",
        ),
    ] = None,
    nud: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--nud", help="permanent (default), noarp, reachable or stale."),
    ] = None,
    router: Annotated[bool, typer.Option("--router", help="Mark an IPv6 router.")] = False,
    proxy: Annotated[bool, typer.Option("--proxy", help="Add a proxy entry (no LLADDR).")] = False,
    extern_learn: Annotated[
        bool, typer.Option("--extern-learn", help="Mark as learned by a control plane.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Create the entry or replace an existing one.")
    ] = False,
    dry_run: DryRunOpt = False,
    output: ChangeOutputOpt = Output.table,
    netns: NetnsOpt = None,
) -> None:
    """Add a static entry, like `ip neigh add` (`replace` with --replace)."""
    from neighctl.kernel.handle import add_neighbor
    from neighctl.render import ip_line
    from neighctl.validate import add_request, ip_command

    req = add_request(
        addr, lladdr, dev, nud=nud, router=router, proxy=proxy, extern_learn=extern_learn
    )
    try:
        change = add_neighbor(req, replace=replace, netns=netns, dry_run=dry_run)
    except EntryExistsError as exc:
        if isinstance(exc.entry, Neighbor):
            exc.message = f"{exc.message}: {ip_line(exc.entry).strip()}"
        exc.hint = "use --replace to change it"
        raise
    if dry_run:
        write(ip_command("replace" if replace else "add", req, netns) + "\n")
        return
    print_entries([n for n in (change.after,) if n is not None], output)
