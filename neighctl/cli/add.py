"""`neighctl add`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Optional

import typer

from neighctl.cli.common import (
    AddrArg,
    ChangeOutputOpt,
    DevReq,
    DryRunOpt,
    NetnsOpt,
    Output,
    can_encode,
    handle_errors,
    need_device,
    note,
    write,
)
from neighctl.errors import EntryExistsError, NeighctlError, UsageError
from neighctl.model import Neighbor


def print_entries(entries: Sequence[Neighbor], output: Output | None) -> None:
    from neighctl.render import render_entries
    from neighctl.render.color import use_color

    view = (output or Output.table).value
    write(render_entries(entries, view, color=use_color("auto", sys.stdout)))


def print_change(
    action: str,
    commands: Sequence[str],
    before: Sequence[Neighbor],
    after: Sequence[Neighbor],
    output: Output | None,
    *,
    dry_run: bool,
) -> None:
    """A change in the chosen view: the resulting entries, or for a dry run the `ip`
    commands (default), the entries it would make or remove (table), or both (json)."""
    if output is Output.json and dry_run:
        from neighctl.render.change import change_json

        write(change_json(action, dry_run=True, commands=commands, before=before, after=after))
    elif dry_run and output in (None, Output.ip):
        write("".join(f"{c}\n" for c in commands))
    else:
        print_entries(before if action in ("del", "flush") else after, output)


@handle_errors
def run(
    addr: AddrArg,
    dev: DevReq = None,
    lladdr: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[LLADDR]",
            help="The MAC: aa:bb:cc:dd:ee:ff, a:b:c:d:e:f, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff "
            "(`lladdr MAC` too).",
        ),
    ] = None,
    nud: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--nud", help="permanent (default), noarp, reachable or stale (`nud STATE` too)."
        ),
    ] = None,
    router: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option(
            "--router/--no-router",
            help="Mark an IPv6 router (or, with --replace, clear the mark; "
            "a replace keeps it by default).",
        ),
    ] = None,
    proxy: Annotated[
        bool, typer.Option("--proxy", help="Add a proxy entry (no LLADDR; `proxy` too).")
    ] = False,
    extern_learn: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option(
            "--extern-learn/--no-extern-learn",
            help="Mark as learned by a control plane (kept by --replace unless --no-extern-learn).",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Create the entry or replace an existing one (says what changed; keeps "
            "router and extern_learn flags unless --no-router / --no-extern-learn).",
        ),
    ] = False,
    dry_run: DryRunOpt = False,
    output: ChangeOutputOpt = None,
    netns: NetnsOpt = None,
) -> None:
    """Add a static entry, like `ip neigh add` (`replace` with --replace)."""
    from neighctl.kernel.handle import add_neighbor
    from neighctl.render import ip_line
    from neighctl.render.change import describe_change
    from neighctl.validate import add_request, ip_command

    need_device("add", addr, dev)
    if not replace and (router is False or extern_learn is False):
        flag = "--no-router" if router is False else "--no-extern-learn"
        raise UsageError(f"{flag} clears a flag an entry already has: it needs --replace")
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
    verb = "replace" if replace else "add"
    arrow = "→" if can_encode("→", sys.stderr) else "->"
    req = change.request  # with the flags a replace keeps
    before = [n for n in (change.before,) if n is not None]
    commands = [ip_command(verb, req, netns)]
    if dry_run:
        index = change.before.ifindex if change.before is not None else None
        after = [req.as_entry(index)]
        if change.before is not None:
            note(f"would replace {req.what}: {describe_change(change.before, after[0], arrow)}")
        print_change(verb, commands, before, after, output, dry_run=True)
        return
    if change.after is None:
        raise NeighctlError(f"{req.what} was accepted but is not in the table now")
    if change.before is not None:
        note(f"replaced {req.what}: {describe_change(change.before, change.after, arrow)}")
    if replace and output is Output.json:
        from neighctl.render.change import change_json

        write(
            change_json(verb, dry_run=False, commands=commands, before=before, after=[change.after])
        )
        return
    print_entries([change.after], output)
