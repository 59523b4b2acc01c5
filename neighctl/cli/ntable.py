"""`neighctl ntable`."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from neighctl.cli.common import (
    Color,
    ColorOpt,
    NetnsOpt,
    V4Opt,
    V6Opt,
    handle_errors,
    write,
)


class NtableOutput(str, Enum):
    text = "text"
    json = "json"


@handle_errors
def run(
    dev: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--dev", help="Only this device's parameters."),
    ] = None,
    ipv4: V4Opt = False,
    ipv6: V6Opt = False,
    stats: Annotated[bool, typer.Option("-s", "--stats", help="Add the tables' counters.")] = False,
    output: Annotated[
        NtableOutput, typer.Option("-o", "--output", help="Output format.")
    ] = NtableOutput.text,
    netns: NetnsOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """Neighbour-table parameters, like `ip ntable`, with entries split gc-eligible/exempt."""
    from neighctl.ntable import read_ntable
    from neighctl.render.color import use_color
    from neighctl.render.ntable import render_ntable_json, render_ntable_text

    report = read_ntable(netns=netns, dev=dev, ipv4=ipv4, ipv6=ipv6, stats=stats)
    if output is NtableOutput.json:
        write(render_ntable_json(report))
    else:
        write(render_ntable_text(report, color=use_color(color.value, sys.stdout)))
