"""`neighctl flush`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from neighctl.cli.common import (
    DevOpt,
    DryRunOpt,
    NetnsOpt,
    TargetArg,
    V4Opt,
    V6Opt,
    handle_errors,
    note,
    write,
)
from neighctl.errors import ExitCode, UsageError
from neighctl.filters import NeighFilter

if TYPE_CHECKING:
    from neighctl.kernel.handle import Kernel

FlushStateOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--state",
        help="Only entries in this state (repeatable; any case; `all`). "
        "Default: all but PERMANENT and NOARP.",
    ),
]


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


@handle_errors
def run(
    target: TargetArg = None,
    dev: DevOpt = None,
    state: FlushStateOpt = None,
    ipv4: V4Opt = False,
    ipv6: V6Opt = False,
    all_: Annotated[
        bool, typer.Option("--all", help="Flush without a filter (all but PERMANENT and NOARP).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    dry_run: DryRunOpt = False,
    netns: NetnsOpt = None,
) -> None:
    """Delete the entries a filter selects, like `ip neigh flush`.

    PERMANENT and NOARP entries stay unless --state names them.
    """
    from neighctl.kernel import mutate
    from neighctl.kernel.handle import Kernel

    filt = mutate.flush_filter(target, dev, state, ipv4, ipv6, all_entries=all_)
    with Kernel(netns) as k:
        _flush(k, filt, yes=yes, dry_run=dry_run)


def _flush(k: Kernel, filt: NeighFilter, *, yes: bool, dry_run: bool) -> None:
    from neighctl.render import ip_line, render_table
    from neighctl.validate import ip_command, request_for

    netns = k.netns
    entries = k.select_for_flush(filt)
    if not entries:
        note("nothing to flush: no entry matches")
        return
    if dry_run:
        write("".join(ip_command("del", request_for(n), netns) + "\n" for n in entries))
        return
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    note(f"flush will delete {count}:")
    sys.stderr.write(render_table(entries))
    if not yes:
        if not stdin_is_terminal():
            raise UsageError(
                f"not deleting {count} without confirmation, and there is no terminal to ask on",
                "rerun with --yes",
            )
        if not typer.confirm(f"Delete {count}?", default=False, err=True):
            note("flush cancelled: nothing deleted")
            raise typer.Exit(ExitCode.FAILURE)
    result = k.delete_entries(entries, filt=filt)
    note(f"deleted {len(result.deleted)} of {count}")
    for n, why in result.skipped:
        note(f"left {ip_line(n).strip()}: {why}")
    for n, exc in result.failed:
        note(f"could not delete {ip_line(n).strip()}: {exc}")
    if result.exit_code:
        raise typer.Exit(result.exit_code)
