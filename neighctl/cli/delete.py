"""`neighctl del`."""

from __future__ import annotations

from typing import Annotated

import typer

from neighctl.cli.add import print_change
from neighctl.cli.common import (
    AddrArg,
    ChangeOutputOpt,
    DevReq,
    DryRunOpt,
    NetnsOpt,
    handle_errors,
    need_device,
    note,
)


@handle_errors
def run(
    addr: AddrArg,
    dev: DevReq = None,
    proxy: Annotated[
        bool, typer.Option("--proxy", help="Delete a proxy entry (`proxy` too).")
    ] = False,
    dry_run: DryRunOpt = False,
    output: ChangeOutputOpt = None,
    netns: NetnsOpt = None,
) -> None:
    """Delete an entry, like `ip neigh del`; prints the entry as it was."""
    from neighctl.kernel.mutate import delete_neighbor
    from neighctl.render import ip_line
    from neighctl.validate import delete_request, ip_command

    need_device("del", addr, dev)
    req = delete_request(addr, dev, proxy=proxy)
    change = delete_neighbor(req, netns=netns, dry_run=dry_run)
    before = [n for n in (change.before,) if n is not None]
    print_change("del", [ip_command("del", req, netns)], before, [], output, dry_run=dry_run)
    if change.after is not None:
        note(f"traffic re-created the entry at once: {ip_line(change.after).strip()}")
