"""The typer app: parse options, call the library, render, exit.

One error boundary (``handle_errors``) turns every NeighctlError into one
line on stderr and its documented exit code; anything else is a bug and
exits 70 with one line (the traceback with --debug or NEIGHCTL_DEBUG=1).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Optional, TypeVar

import typer

from neighctl import __version__
from neighctl.errors import ExitCode, NeighctlError, UsageError
from neighctl.filters import build_filter
from neighctl.model import Neighbor

APP_SETTINGS: dict[str, Any] = {
    "name": "neighctl",
    "help": "Read, explain and edit the Linux neighbour table (ARP and NDP).",
    "add_completion": False,
    "no_args_is_help": True,
    "rich_markup_mode": None,  # plain click help: no rich import on --help
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**APP_SETTINGS)

F = TypeVar("F", bound=Callable[..., Any])
_debug = os.environ.get("NEIGHCTL_DEBUG") == "1"


def fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"neighctl: error: {message}\n")
    return typer.Exit(code)


def handle_errors(func: F) -> F:
    """The error boundary every command runs inside."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NeighctlError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`neighctl show | head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(ExitCode.OK) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if _debug:
                raise
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} "
                "(a bug in neighctl; rerun with NEIGHCTL_DEBUG=1 for the traceback)",
                ExitCode.INTERNAL,
            ) from None

    return wrapper  # type: ignore[return-value]


class Output(str, Enum):
    table = "table"
    json = "json"
    ip = "ip"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def use_color(choice: Color) -> bool:
    """--color always wins; auto means a terminal and no NO_COLOR."""
    if choice is Color.always:
        return True
    if choice is Color.never or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def render(
    entries: list[Neighbor],
    output: Output,
    *,
    stats: bool,
    summary: bool,
    color: bool,
    omit_dev: bool,
) -> str:
    from neighctl import render as r

    if summary:
        return r.render_summary(entries, color=color)
    if output is Output.json:
        return r.render_json(entries, stats=stats)
    if output is Output.ip:
        return r.render_ip(entries, stats=stats, omit_dev=omit_dev)
    return r.render_table(entries, stats=stats, color=color)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"neighctl {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
) -> None:
    """Read, explain and edit the Linux neighbour table (ARP and NDP)."""
    global _debug
    _debug = _debug or debug


TargetArg = Annotated[
    Optional[str],  # noqa: UP045 (typer reads the annotation at runtime on 3.10)
    typer.Argument(metavar="[ADDR|PREFIX]", help="Only entries inside this address or prefix."),
]
DevOpt = Annotated[Optional[str], typer.Option("--dev", help="Only entries on this device.")]  # noqa: UP045
StateOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--state",
        help="Only entries in this state (repeatable; any case; `all`). "
        "Default: all but NOARP and NONE.",
    ),
]
V4Opt = Annotated[bool, typer.Option("-4", help="IPv4 (ARP) only.")]
V6Opt = Annotated[bool, typer.Option("-6", help="IPv6 (NDP) only.")]
NetnsOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--netns", help="Work in this network namespace (as `ip -n NAME`)."),
]


class InputFormat(str, Enum):
    auto = "auto"
    ip = "ip"
    ip_json = "ip-json"
    proc = "proc"
    arp = "arp"


FromOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--from",
        metavar="FILE|-",
        help="Read a saved `ip neigh`, `ip -j neigh`, `ip monitor neigh`, /proc/net/arp "
        "or `arp -an` output instead of the kernel (- for standard input).",
    ),
]
InputFormatOpt = Annotated[
    InputFormat, typer.Option("--input-format", help="The format of --from (default: detect).")
]
LenientOpt = Annotated[
    bool,
    typer.Option("--lenient", help="Skip lines of --from that are not entries (with a warning)."),
]


def warn(message: str) -> None:
    sys.stderr.write(f"neighctl: warning: {message}\n")


def read_source(
    source: str, input_format: InputFormat, lenient: bool, netns: str | None
) -> list[Neighbor]:
    """Entries from --from, after the checks that options make sense together."""
    if netns is not None:
        raise UsageError("--from reads a saved output; --netns does not apply to it")
    from neighctl.parse import read_path

    return read_path(source, input_format.value, lenient=warn if lenient else None)


@app.command()
@handle_errors
def show(
    target: TargetArg = None,
    dev: DevOpt = None,
    state: StateOpt = None,
    ipv4: V4Opt = False,
    ipv6: V6Opt = False,
    proxy: Annotated[bool, typer.Option("--proxy", help="Show proxy entries instead.")] = False,
    output: Annotated[Output, typer.Option("-o", "--output", help="Output format.")] = Output.table,
    stats: Annotated[
        bool, typer.Option("-s", "--stats", help="Add ref count, ages and probes.")
    ] = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="Counts per device and state instead of rows.")
    ] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour the table.")] = Color.auto,
    netns: NetnsOpt = None,
    source: FromOpt = None,
    input_format: InputFormatOpt = InputFormat.auto,
    lenient: LenientOpt = False,
) -> None:
    """Show the neighbour table, like `ip neigh show` (or a saved one, with --from)."""
    filt = build_filter(target, dev, state, ipv4, ipv6, proxy)
    if summary and output is not Output.table:
        raise UsageError(f"--summary prints a table; it does not combine with -o {output.value}")
    if source is not None:
        entries = list(filt.select(read_source(source, input_format, lenient, netns)))
    else:
        from neighctl.kernel.dump import read_neighbors

        entries = read_neighbors(filt, netns=netns)
    want_color = use_color(color)
    text = render(
        entries, output, stats=stats, summary=summary, color=want_color, omit_dev=dev is not None
    )
    sys.stdout.write(text)
    sys.stdout.flush()


# --- add, del, flush (issue 5) ------------------------------------------------

AddrArg = Annotated[str, typer.Argument(metavar="ADDR", help="The neighbour's IP address.")]
DevReq = Annotated[str, typer.Option("--dev", help="The device the entry is on.")]
DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the equivalent `ip neigh` command(s); change nothing."),
]
FlushStateOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--state",
        help="Only entries in this state (repeatable; any case; `all`). "
        "Default: all but PERMANENT and NOARP.",
    ),
]
ChangeOutputOpt = Annotated[
    Output, typer.Option("-o", "--output", help="Format of the resulting entry.")
]


def note(message: str) -> None:
    """A message for the person, on stderr (stdout carries data only)."""
    sys.stderr.write(f"neighctl: {message}\n")


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _print_entries(entries: list[Neighbor], output: Output) -> None:
    text = render(
        entries, output, stats=False, summary=False, color=use_color(Color.auto), omit_dev=False
    )
    sys.stdout.write(text)
    sys.stdout.flush()


# --- watch helpers (issue 6; the command follows flush) ---------------------------


class WatchOutput(str, Enum):
    table = "table"
    json = "json"


def _arrow() -> str:
    try:
        "→".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "->"
    return "→"


def _overflow() -> None:
    sys.stderr.write(
        "neighctl: warning: the kernel dropped neighbour notifications (receive buffer "
        "full); re-reading the table, differences follow marked resync\n"
    )
    sys.stderr.flush()


@app.command()
@handle_errors
def add(
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
    from neighctl.kernel.mutate import add_neighbor
    from neighctl.validate import add_request, ip_command

    req = add_request(
        addr, lladdr, dev, nud=nud, router=router, proxy=proxy, extern_learn=extern_learn
    )
    change = add_neighbor(req, replace=replace, netns=netns, dry_run=dry_run)
    if dry_run:
        sys.stdout.write(ip_command("replace" if replace else "add", req, netns) + "\n")
        return
    if change.after is None:
        raise NeighctlError(f"{req.what} was accepted but is not in the table now")
    _print_entries([change.after], output)


@app.command(name="del")
@handle_errors
def delete(
    addr: AddrArg,
    dev: DevReq,
    proxy: Annotated[bool, typer.Option("--proxy", help="Delete a proxy entry.")] = False,
    dry_run: DryRunOpt = False,
    output: ChangeOutputOpt = Output.table,
    netns: NetnsOpt = None,
) -> None:
    """Delete an entry, like `ip neigh del`; prints the entry as it was."""
    from neighctl.kernel.mutate import delete_neighbor, describe
    from neighctl.validate import delete_request, ip_command

    req = delete_request(addr, dev, proxy=proxy)
    change = delete_neighbor(req, netns=netns, dry_run=dry_run)
    if dry_run:
        sys.stdout.write(ip_command("del", req, netns) + "\n")
        return
    _print_entries([n for n in (change.before,) if n is not None], output)
    if change.after is not None:
        note(f"traffic re-created the entry at once: {describe(change.after)}")


@app.command()
@handle_errors
def flush(
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
    from neighctl.render import render_table
    from neighctl.validate import ip_command, request_for

    filt = mutate.flush_filter(target, dev, state, ipv4, ipv6, all_entries=all_)
    entries = mutate.select_for_flush(filt, netns=netns)
    if not entries:
        note("nothing to flush: no entry matches")
        return
    if dry_run:
        sys.stdout.write("".join(ip_command("del", request_for(n), netns) + "\n" for n in entries))
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
    result = mutate.delete_entries(entries, filt=filt, netns=netns)
    note(f"deleted {len(result.deleted)} of {count}")
    for n, why in result.skipped:
        note(f"left {mutate.describe(n)}: {why}")
    for n, exc in result.failed:
        note(f"could not delete {mutate.describe(n)}: {exc}")
    if result.failed:
        codes = {exc.exit_code for _, exc in result.failed}
        code = codes.pop() if len(codes) == 1 and not result.deleted else ExitCode.FAILURE
        raise typer.Exit(code)


@app.command()
@handle_errors
def watch(
    target: TargetArg = None,
    dev: DevOpt = None,
    state: StateOpt = None,
    ipv4: V4Opt = False,
    ipv6: V6Opt = False,
    output: Annotated[
        WatchOutput, typer.Option("-o", "--output", help="Output format.")
    ] = WatchOutput.table,
    count: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--count", min=1, help="Exit after printing N events."),
    ] = None,
    duration: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--duration", min=0, help="Exit after SECONDS seconds."),
    ] = None,
    netns: NetnsOpt = None,
    rcvbuf: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--rcvbuf", min=1, hidden=True, help="Receive buffer bytes (testing)."),
    ] = None,
) -> None:
    """Watch neighbour events as they happen, as transitions (like `ip monitor neigh`)."""
    import time

    from neighctl.kernel.monitor import DEFAULT_RCVBUF, Watcher
    from neighctl.watch import event_json_line, event_line

    filt = build_filter(target, dev, state, ipv4, ipv6)
    until = None if duration is None else time.monotonic() + duration
    color = use_color(Color.auto)
    arrow = _arrow()
    write = sys.stdout.write
    flush = sys.stdout.flush
    printed = 0
    try:
        with Watcher(
            filt, netns=netns, rcvbuf=rcvbuf or DEFAULT_RCVBUF, on_overflow=_overflow
        ) as watcher:
            for event in watcher.events(until=until):
                if output is WatchOutput.json:
                    write(event_json_line(event))
                else:
                    write(event_line(event, color=color, arrow=arrow))
                flush()
                printed += 1
                if count is not None and printed >= count:
                    break
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a watch ends: exit 0, quietly


class ExplainOutput(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    en = "en"
    zh = "zh"


@app.command()
@handle_errors
def explain(
    target: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(metavar="[STATE|ADDR]", help="A state (any case, or 0x04) or an address."),
    ] = None,
    dev: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--dev", help="Use this interface's own timers (live, from the kernel)."),
    ] = None,
    netns: NetnsOpt = None,
    output: Annotated[
        ExplainOutput, typer.Option("-o", "--output", help="Output format.")
    ] = ExplainOutput.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Language: en or zh.")] = Lang.en,
    source: FromOpt = None,
    input_format: InputFormatOpt = InputFormat.auto,
    lenient: LenientOpt = False,
) -> None:
    """Explain a state, or an entry, with this machine's timers."""
    from neighctl import explain as ex

    what = ex.classify(target)
    if source is not None:
        if what.address is None:
            raise UsageError("--from reads entries: give the ADDR to explain")
        entries = read_source(source, input_format, lenient, netns)
        text = ex.explain_address(
            what.address, lang=lang.value, output=output.value, dev=dev, entries=entries
        )
    elif what.state is not None:
        text = ex.explain_state(
            what.state, lang=lang.value, output=output.value, dev=dev, netns=netns
        )
    elif what.address is not None:
        text = ex.explain_address(
            what.address, lang=lang.value, output=output.value, dev=dev, netns=netns
        )
    else:
        if dev is not None:
            raise UsageError("--dev needs a STATE or an ADDR to explain")
        text = ex.explain_overview(lang=lang.value, output=output.value)
    sys.stdout.write(text)
    sys.stdout.flush()


def app_for(argv: list[str]) -> typer.Typer:
    """The app, with only the command ``argv`` names when it names one.

    typer turns every registered command's signature into a click command on
    each start (~4 ms a command); building just the one being run keeps
    start-up flat as commands are added. Anything else (`--help`, a typo)
    gets the whole app, so its help and errors are the usual ones.
    """
    first = next((a for a in argv if not a.startswith("-")), None)
    for info in app.registered_commands:
        if _command_name(info) == first:
            one = typer.Typer(**APP_SETTINGS)
            one.registered_callback = app.registered_callback
            one.registered_commands = [info]
            return one
    if first is None:  # `neighctl`, `neighctl --help`: the list of commands only
        return _index()
    return app


def _command_name(info: Any) -> str | None:
    return info.name or (info.callback.__name__.replace("_", "-") if info.callback else None)


def _index() -> typer.Typer:
    """The app with each command's name and help but none of its options.

    Enough for the top-level help and for --version, at a fraction of the cost
    of converting every command's signature.
    """
    import inspect

    index = typer.Typer(**APP_SETTINGS)
    index.registered_callback = app.registered_callback
    for info in app.registered_commands:
        doc = info.help or (inspect.getdoc(info.callback) if info.callback else None) or ""
        index.command(name=_command_name(info), help=doc)(_not_run)
    return index


def _not_run() -> None:  # pragma: no cover - never invoked: a named command gets the real app
    raise typer.Exit(ExitCode.INTERNAL)


def main() -> None:
    """Console-script entry point."""
    app_for(sys.argv[1:])()
