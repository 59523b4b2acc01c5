"""`neighctl flush`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from neighctl.cli.common import (
    DevOpt,
    DryRunOpt,
    NetnsOpt,
    Output,
    TargetArg,
    V4Opt,
    V6Opt,
    ellipsis,
    handle_errors,
    note,
    terminal_width,
    write,
)
from neighctl.errors import ExitCode, UsageError
from neighctl.filters import NeighFilter

if TYPE_CHECKING:
    from neighctl.kernel.handle import Kernel
    from neighctl.kernel.mutate import FlushResult

FlushStateOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--state",
        help="Only entries in this state (repeatable or comma-separated; any case; `all`; "
        "`nud STATE` too). Default: all but PERMANENT and NOARP.",
    ),
]
FlushOutputOpt = Annotated[
    Optional[Output],  # noqa: UP045
    typer.Option(
        "-o",
        "--output",
        help="Print the deleted entries as table, ip or json (a report of what was deleted, "
        "left and failed; -j too). With --dry-run: ip (the default) prints the `ip` "
        "commands, table the entries, json both.",
    ),
]

YES = ("y", "yes")


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def confirm(question: str) -> bool:
    """Ask on stderr, read a line from stdin: True for y/yes (any case).

    Ctrl-D (end of input) is a "no"; Ctrl-C raises KeyboardInterrupt (exit 130).
    """
    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:
        sys.stderr.write("\n")
    return answer.strip().lower() in YES


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
    output: FlushOutputOpt = None,
    netns: NetnsOpt = None,
) -> None:
    """Delete the entries a filter selects, like `ip neigh flush`.

    PERMANENT and NOARP entries stay unless --state names them. Asks first on a
    terminal (declining exits 10); Ctrl-C stops it, saying what was deleted (exit 130).
    """
    from neighctl.kernel import mutate
    from neighctl.kernel.handle import Kernel

    if dry_run and yes:
        raise UsageError("--dry-run asks nothing and deletes nothing: --yes does not apply")
    filt = mutate.flush_filter(target, dev, state, ipv4, ipv6, all_entries=all_)
    with Kernel(netns) as k:
        _flush(k, filt, yes=yes, dry_run=dry_run, output=output, named_states=bool(state))


def _flush(
    k: Kernel,
    filt: NeighFilter,
    *,
    yes: bool,
    dry_run: bool,
    output: Output | None,
    named_states: bool,
) -> None:
    from neighctl.cli.add import print_change
    from neighctl.kernel import mutate
    from neighctl.render import render_table
    from neighctl.validate import ip_command, request_for

    netns = k.netns
    entries = k.select_for_flush(filt)
    if not entries:
        _nothing(k, filt, named_states)
    if dry_run:
        commands = [ip_command("del", request_for(n), netns) for n in entries]
        print_change("flush", commands, entries, [], output, dry_run=True)
        return
    if not entries:
        _report(mutate.FlushResult(), 0, output)
        return
    count = _count(len(entries))
    note(f"flush will delete {count}:")
    sys.stderr.write(
        render_table(entries, width=terminal_width(sys.stderr), ellipsis=ellipsis(sys.stderr))
    )
    if not yes:
        if not stdin_is_terminal():
            raise UsageError(
                f"not deleting {count} without confirmation, and there is no terminal to ask on",
                "rerun with --yes",
            )
        if not confirm(f"Delete {count}?"):
            note("flush cancelled: nothing deleted")
            raise typer.Exit(ExitCode.DECLINED)
    try:
        result = k.delete_entries(entries, filt=filt)
    except mutate.FlushInterrupted as stop:
        result = stop.result
    _report(result, len(entries), output)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


def _count(number: int) -> str:
    return f"{number} entr{'y' if number == 1 else 'ies'}"


def _nothing(k: Kernel, filt: NeighFilter, named_states: bool) -> None:
    """Say that nothing matched, or that what matched is kept by the state filter."""
    from neighctl.render import ip_line

    kept = [] if named_states else k.held_back(filt)
    if not kept:
        note("nothing to flush: no entry matches")
        return
    words = sorted({w for n in kept for w in ip_line(n).split() if w in ("PERMANENT", "NOARP")})
    states = " and ".join(words) or "PERMANENT"
    listed = ", ".join(ip_line(n).strip() for n in kept[:3]) + (", ..." if len(kept) > 3 else "")
    note(
        f"nothing to flush: {_count(len(kept))} match but {'is' if len(kept) == 1 else 'are'} "
        f"{states}, which flush keeps unless --state names it "
        f"(add --state {states.split()[0].lower()}): {listed}"
    )


def _report(result: FlushResult, listed: int, output: Output | None) -> None:
    """What the flush did, on stderr; the deleted entries (or a JSON report) on stdout."""
    from neighctl.cli.add import print_entries
    from neighctl.render import ip_line
    from neighctl.render.change import flush_json

    if not listed:
        pass  # _nothing() has said why
    elif result.interrupted:
        note(
            f"interrupted: deleted {len(result.deleted)} of {_count(listed)}; "
            f"{len(result.not_tried)} left untouched"
            + (" (the one in flight may be gone)" if result.not_tried else "")
        )
    else:
        note(f"deleted {len(result.deleted)} of {_count(listed)}")
    for n, why in result.skipped:
        note(f"left {ip_line(n).strip()}: {why}")
    for n, exc in result.failed:
        note(f"could not delete {ip_line(n).strip()}: {exc}")
    if output is Output.json:
        write(
            flush_json(
                deleted=result.deleted,
                left=result.skipped,
                failed=[(n, str(exc), int(exc.exit_code)) for n, exc in result.failed],
                not_tried=result.not_tried,
                interrupted=result.interrupted,
            )
        )
    elif output is not None:
        print_entries(result.deleted, output)
