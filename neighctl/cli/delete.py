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
    missing_entry_hint,
    need_device,
    note,
)
from neighctl.errors import NotFoundError


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
    from neighctl.kernel.handle import Kernel
    from neighctl.render import ip_line
    from neighctl.validate import delete_request, ip_command

    need_device("del", addr, dev)
    req = delete_request(addr, dev, proxy=proxy)
    with Kernel(netns) as k:
        try:
            change = k.delete(req, dry_run=dry_run)
        except NotFoundError as exc:
            exc.hint = missing_entry_hint("del", k, req)
            raise
    before = [n for n in (change.before,) if n is not None]
    print_change("del", [ip_command("del", req, netns)], before, [], output, dry_run=dry_run)
    if change.after is not None:
        note(f"traffic re-created the entry at once: {ip_line(change.after).strip()}")
