"""What every command shares: the error boundary, option types, messages on stderr."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Optional, TypeVar

import typer

from neighctl import __version__
from neighctl.errors import ExitCode, NeighctlError

APP_SETTINGS: dict[str, Any] = {
    "name": "neighctl",
    "help": "Read, explain, diagnose and edit the Linux neighbour table (ARP and NDP).\n\n"
    "Shell completion: neighctl --install-completion (or --show-completion).",
    "add_completion": True,  # --install-completion / --show-completion
    "no_args_is_help": True,
    "rich_markup_mode": None,  # plain click help: no rich import on --help
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}

F = TypeVar("F", bound=Callable[..., Any])
_debug = os.environ.get("NEIGHCTL_DEBUG") == "1"


def fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"neighctl: error: {message}\n")
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


def write(text: str) -> None:
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        # A device or namespace name that is not UTF-8 reaches us surrogate-escaped
        # (PEP 383); a strict stdout (most UTF-8 locales) refuses it. Write its
        # bytes back as they were, as `ip` does. Nothing was written before the error.
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode(encoding, "surrogateescape"))
    sys.stdout.flush()


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
    typer.Argument(metavar="[ADDR|PREFIX]", help="Only entries inside this address or prefix."),
]
AddrArg = Annotated[str, typer.Argument(metavar="ADDR", help="The neighbour's IP address.")]
DevOpt = Annotated[Optional[str], typer.Option("--dev", help="Only entries on this device.")]  # noqa: UP045


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
    str, typer.Option("--dev", help="The device the entry is on.", callback=_device_name)
]
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
    Output, typer.Option("-o", "--output", help="Format of the resulting entry.")
]
ColorOpt = Annotated[Color, typer.Option("--color", help="Colour the table.")]
