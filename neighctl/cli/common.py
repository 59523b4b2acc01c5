"""What every command shares: the error boundary, option types, messages on stderr."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Optional, TextIO, TypeVar

import typer

from neighctl import __version__
from neighctl.cli.parsing import NeighctlGroup
from neighctl.errors import ExitCode, NeighctlError

if TYPE_CHECKING:
    from neighctl.model import Row
    from neighctl.render import EntryView

APP_SETTINGS: dict[str, Any] = {
    "name": "neighctl",
    "help": "Read, explain, diagnose and edit the Linux neighbour table (ARP and NDP).\n\n"
    "Shell completion: neighctl --install-completion (or --show-completion).",
    "add_completion": True,  # --install-completion / --show-completion
    "no_args_is_help": True,
    "rich_markup_mode": None,  # plain click help: no rich import on --help
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
    "cls": NeighctlGroup,  # usage errors as one line (see cli/parsing.py)
}

F = TypeVar("F", bound=Callable[..., Any])
_debug = os.environ.get("NEIGHCTL_DEBUG") == "1"


def one_line(text: str) -> str:
    """``text`` with control characters (a newline in a file name, an escape sequence in
    a device name) written as escapes, so that an error stays one harmless line."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )


def fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"neighctl: error: {one_line(message)}\n")
    return typer.Exit(code)


def warn(message: str) -> None:
    sys.stderr.write(f"neighctl: warning: {message}\n")


def note(message: str) -> None:
    """A message for the person, on stderr (stdout carries data only)."""
    sys.stderr.write(f"neighctl: {message}\n")


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


def terminal_width(stream: Any) -> int | None:
    """The columns a table on ``stream`` must fit: $COLUMNS if set, else the terminal's
    width if ``stream`` is a terminal, else None (a pipe or file: no limit)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    import shutil

    return shutil.get_terminal_size().columns


def can_encode(text: str, stream: Any) -> bool:
    """Whether ``stream`` can carry ``text`` (an ASCII locale cannot carry "…" or "→")."""
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def ellipsis(stream: Any) -> str:
    return "…" if can_encode("…", stream) else "~"


def write(text: str) -> None:
    _put(sys.stdout, text)
    sys.stdout.flush()


def _put(out: TextIO, text: str) -> None:
    try:
        out.write(text)
    except UnicodeEncodeError:
        # A device or namespace name that is not UTF-8 reaches us surrogate-escaped
        # (PEP 383); a strict stdout (most UTF-8 locales) refuses it. Write its
        # bytes back as they were, as `ip` does. Nothing was written before the error.
        encoding = out.encoding or "utf-8"
        out.flush()
        out.buffer.write(text.encode(encoding, "surrogateescape"))


def write_view(view: EntryView, batches: Iterable[Sequence[Row]]) -> None:
    """Feed batches of rows to a view, writing its text to stdout as it comes."""
    out = sys.stdout
    for rows in batches:
        text = view.rows(rows)
        if text:
            _put(out, text)
    for text in view.close():
        _put(out, text)
    out.flush()


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"neighctl {__version__}\n")
        raise typer.Exit()


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


class Output(str, Enum):
    table = "table"
    json = "json"
    ip = "ip"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class InputFormat(str, Enum):
    auto = "auto"
    ip = "ip"
    ip_monitor = "ip-monitor"
    ip_json = "ip-json"
    ip_brief = "ip-brief"
    proc = "proc"
    arp = "arp"
    bsd_arp = "bsd-arp"
    ndp = "ndp"
    windows_arp = "windows-arp"


TargetArg = Annotated[
    Optional[str],  # noqa: UP045 (typer reads the annotation at runtime on 3.10)
    typer.Argument(
        metavar="[ADDR|PREFIX]",
        help="Only entries inside this address or prefix (`to PREFIX` too; 10/8 is 10.0.0.0/8).",
    ),
]
AddrArg = Annotated[str, typer.Argument(metavar="ADDR", help="The neighbour's IP address.")]
DevOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--dev", help="Only entries on this device (`dev DEV` too)."),
]


def _device_name(value: str | None) -> str | None:
    """Reject names the kernel could never have, once, before any netlink call."""
    if value is not None:
        from neighctl.filters import validate_device_name

        try:
            validate_device_name(value)
        except NeighctlError as exc:
            raise fail(str(exc), exc.exit_code) from None
    return value


DevReq = Annotated[
    Optional[str],  # noqa: UP045 (required: checked by need_device, which also takes ADDR%DEV)
    typer.Option(
        "--dev",
        help="The device the entry is on (`dev DEV`, or an IPv6 zone: ADDR%DEV). Required.",
        callback=_device_name,
    ),
]
StateOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--state",
        help="Only entries in this state (repeatable or comma-separated; any case; `all`; "
        "`nud STATE` too). Default: all but NOARP and NONE.",
    ),
]
V4Opt = Annotated[bool, typer.Option("-4", help="IPv4 (ARP) only.")]
V6Opt = Annotated[bool, typer.Option("-6", help="IPv6 (NDP) only.")]
NetnsOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--netns", "-n", help="Work in this network namespace (as `ip -n NAME`; `-n NAME` too)."
    ),
]
FromOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--from",
        metavar="FILE|DIR|-",
        help="Read a saved output instead of the kernel: ip neigh (any variant, ip monitor, "
        "ip -j, ip -br), /proc/net/arp, arp (Linux, BSD, macOS, Windows), ndp -an; a "
        "sosreport or directory of command outputs; - for standard input.",
    ),
]
InputFormatOpt = Annotated[
    InputFormat, typer.Option("--input-format", help="The format of --from (default: detect).")
]
LenientOpt = Annotated[
    bool,
    typer.Option("--lenient", help="Skip lines of --from that are not entries (with a warning)."),
]
DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the equivalent `ip neigh` command(s); change nothing."),
]
ChangeOutputOpt = Annotated[
    Optional[Output],  # noqa: UP045
    typer.Option(
        "-o",
        "--output",
        help="Format of the entry (default table; -j is -o json). With --dry-run: ip (the "
        "default) prints the `ip` command, table the entry, json both.",
    ),
]


def need_device(command: str, addr: str, dev: str | None) -> None:
    """--dev is required unless the address carries a zone (fe80::1%veth0)."""
    if dev is None and "%" not in addr:
        from neighctl.errors import UsageError

        raise UsageError("missing option --dev", f"see neighctl {command} --help")


ColorOpt = Annotated[Color, typer.Option("--color", help="Colour the table.")]


# The longest wait neighctl accepts: poll() takes a C int of milliseconds, and a
# limit beyond a few years is a typo rather than a plan.
MAX_SECONDS = 10 * 365 * 24 * 3600.0


def seconds(value: float | None) -> float | None:
    """A typer callback for durations: finite, not negative, at most MAX_SECONDS."""
    if value is None:
        return None
    import math

    if not math.isfinite(value):
        raise typer.BadParameter(
            f"{value} is not a number of seconds; omit the option to wait without a limit"
        )
    if value < 0:
        raise typer.BadParameter(f"{value:g} is negative: give seconds, 0 or more")
    if value > MAX_SECONDS:
        raise typer.BadParameter(
            f"{value:g} seconds is more than ten years; omit the option to wait without a limit"
        )
    return value


def count(value: int | None) -> int | None:
    """A typer callback for counts: 1 or more, at most sys.maxsize."""
    if value is None:
        return None
    if value < 1:
        raise typer.BadParameter(f"{value} is not a count: give 1 or more")
    if value > sys.maxsize:
        raise typer.BadParameter(f"{value} is too large (at most {sys.maxsize})")
    return value


def missing_entry_hint(command: str, k: Any, req: Any) -> str:
    """What to do when ``command`` (get, del, ...) found no entry for ``req``: the same
    address in the other table or on other devices, else where to look."""
    try:
        found = k.whereabouts(req)
    except NeighctlError:
        found = None
    if found is not None and found.other_table is not None:
        if req.proxy:
            return f"{req.dst} has a neighbour entry on {req.dev}, not a proxy entry: drop --proxy"
        return (
            f"{req.dst} has only a proxy entry on {req.dev}: "
            f"neighctl {command} {req.dst} --dev {req.dev} --proxy"
        )
    if found is not None and found.other_devices:
        devs = sorted({n.dev for n in found.other_devices})
        return f"{req.dst} has {'an entry' if len(devs) == 1 else 'entries'} on {', '.join(devs)}"
    show = "neighctl show --proxy" if req.proxy else "neighctl show --state all"
    return f"see `{show} --dev {req.dev}`"
