"""`neighctl del`."""

from __future__ import annotations

from typing import Annotated

import typer

from neighctl.cli.add import print_entries
from neighctl.cli.common import (
    AddrArg,
    ChangeOutputOpt,
    DevReq,
    DryRunOpt,
    NetnsOpt,
    Output,
    handle_errors,
    note,
    write,
)
from neighctl.errors import NotFoundError


@handle_errors
def run(
    addr: AddrArg,
    dev: DevReq,
    proxy: Annotated[bool, typer.Option("--proxy", help="Delete a proxy entry.")] = False,
    dry_run: DryRunOpt = False,
    output: ChangeOutputOpt = Output.table,
    netns: NetnsOpt = None,
) -> None:
    """Delete an entry, like `ip neigh del`; prints the entry as it was."""
    from neighctl.kernel.handle import delete_neighbor
    from neighctl.render import ip_line
    from neighctl.validate import delete_request, ip_command

    req = delete_request(addr, dev, proxy=proxy)
    try:
        change = delete_neighbor(req, netns=netns, dry_run=dry_run)
    except NotFoundError as exc:
        show = "neighctl show --proxy" if req.proxy else "neighctl show --state all"
        exc.hint = f"see `{show} --dev {req.dev}`"
        raise
    if dry_run:
        write(ip_command("del", req, netns) + "\n")
        return
    print_entries([n for n in (change.before,) if n is not None], output)
    if change.after is not None:
        note(f"traffic re-created the entry at once: {ip_line(change.after).strip()}")
