"""The command line: typer over the library, one module a command.

``main()`` imports and builds only the command being run: typer turns every
registered command's signature into a click command on each start (~4 ms a
command), and each command module imports what only it needs. The top-level
help gets an index of names and one-line helps; shell completion and typos
get the whole app.
"""

from __future__ import annotations

import importlib
import inspect
import io
import os
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


def _index() -> typer.Typer:
    """Each command's name and help, none of its options: the top-level help and --version."""
    index = _new_app()
    for name in COMMANDS:
        index.command(name=name, help=inspect.getdoc(_command(name)) or "", cls=NeighctlCommand)(
            _not_run
        )
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
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        # A device name that is not UTF-8 arrives as surrogate escapes (PEP 383) and
        # goes out as the same bytes, as iproute2 prints it.
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="surrogateescape")
    app_for(sys.argv[1:])(prog_name="neighctl")
