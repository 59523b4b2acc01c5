"""The command line: typer over the library, one module a command.

``main()`` imports and builds only the command being run: typer turns every
registered command's signature into a click command on each start (~4 ms a
command), and each command module imports what only it needs. The top-level
help gets an index of names and helps, read from the command modules' source
without importing them; shell completion and typos get the whole app.

``entry_point()`` (the console script, ``python -m neighctl``) runs main()
and then leaves at once: stdout and stderr flushed, ``os._exit`` with the
command's status, skipping the interpreter's teardown (freeing every object
and module, ~20 ms that buy a one-shot command nothing).
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import os
import re
import sys
from typing import Any

import typer

from neighctl.cli.common import APP_SETTINGS, root
from neighctl.cli.parsing import NeighctlCommand

# Command name -> module under neighctl.cli; the module's ``run`` is the command.
COMMANDS: dict[str, str] = {
    "show": "show",
    "get": "get",
    "probe": "probe",
    "add": "add",
    "del": "delete",
    "flush": "flush",
    "watch": "watch",
    "explain": "explain",
    "ntable": "ntable",
    "doctor": "doctor",
    "metrics": "metrics",
    "diff": "diff",
}

_FULL: list[typer.Typer] = []


def _new_app() -> typer.Typer:
    app = typer.Typer(**APP_SETTINGS)
    app.callback()(root)
    return app


def _command(name: str) -> Any:
    return importlib.import_module(f"neighctl.cli.{COMMANDS[name]}").run


def build_app(names: list[str] | None = None) -> typer.Typer:
    """The app with the named commands (every command when ``names`` is None)."""
    app = _new_app()
    for name in COMMANDS if names is None else names:
        app.command(name=name, cls=NeighctlCommand)(_command(name))
    return app


def full_app() -> typer.Typer:
    if not _FULL:
        _FULL.append(build_app())
    return _FULL[0]


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole app, built on first use (tests, completion)
        return full_app()
    raise AttributeError(name)


# The docstring of a command module's ``run``: the function header, then the string.
_RUN_DOC = re.compile(r'^def run\(.*?\)(?: -> None)?:\n\s*"""(.*?)"""', re.S | re.M)


def command_help(name: str) -> str:
    """The help of command ``name`` (its ``run`` docstring), without importing its module
    (and all that module imports) when its source can be read."""
    path = os.path.join(os.path.dirname(__file__), COMMANDS[name] + ".py")
    try:
        with open(path, encoding="utf-8") as source:
            found = _RUN_DOC.search(source.read())
    except OSError:
        found = None
    if found is not None:
        return inspect.cleandoc(found.group(1))
    return inspect.getdoc(_command(name)) or ""


def _index() -> typer.Typer:
    """Each command's name and help, none of its options: the top-level help and --version."""
    index = _new_app()
    for name in COMMANDS:
        index.command(name=name, help=command_help(name), cls=NeighctlCommand)(_not_run)
    return index


def _not_run() -> None:  # pragma: no cover - never invoked: a named command gets the real app
    from neighctl.errors import ExitCode

    raise typer.Exit(ExitCode.INTERNAL)


def app_for(argv: list[str]) -> typer.Typer:
    """The app for a command line: only the command it names, when it names one."""
    if "_NEIGHCTL_COMPLETE" in os.environ:
        return full_app()  # completing a command line needs every command
    first = next((a for a in argv if not a.startswith("-")), None)
    if first in COMMANDS:
        return build_app([first])
    if first is None:  # `neighctl`, `neighctl --help`, `--version`
        return _index()
    return full_app()


def main() -> None:
    """Run the command line in ``sys.argv``; raises SystemExit as click does."""
    for stream in (sys.stdout, sys.stderr):
        # A device name that is not UTF-8 arrives as surrogate escapes (PEP 383) and
        # goes out as the same bytes, as iproute2 prints it.
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="surrogateescape")
    app_for(sys.argv[1:])(prog_name="neighctl")


def entry_point() -> None:
    """Console-script entry point: main(), then a quick exit (see the module docstring)."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message"): what the interpreter would do with it
            sys.stderr.write(f"{exc.code}\n")
            code = 1
    leave(code)


def leave(code: int) -> None:
    """Flush stdout and stderr, then end the process with ``code`` (os._exit: no teardown).

    Commands flush what they write; this catches what a library left buffered.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`neighctl show | head`): as handle_errors
        pass
    except (OSError, ValueError) as exc:  # e.g. a full disk; ValueError: stdout closed
        sys.stderr.write(f"neighctl: error: cannot write the output: {exc}\n")
        code = code or 1
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
