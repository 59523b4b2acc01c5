"""`neighctl doctor`."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from neighctl.cli.common import Color, ColorOpt, NetnsOpt, handle_errors, write


class DocOutput(str, Enum):
    text = "text"
    json = "json"


@handle_errors
def run(
    netns: NetnsOpt = None,
    all_namespaces: Annotated[
        bool,
        typer.Option(
            "--all-namespaces",
            help="Every network namespace on the node, named or not (found via /proc).",
        ),
    ] = False,
    source: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--from",
            metavar="PATH",
            help="Diagnose saved outputs (a sosreport) instead of the kernel.",
        ),
    ] = None,
    check: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--check",
            metavar="NAME",
            help="Run only this check (repeatable): namespaces, capacity, failed-pile, proxy, "
            "router-flag, duplicate, calico, vxlan.",
        ),
    ] = None,
    interval: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--interval",
            metavar="SECONDS",
            help="Read the tables' counters twice, SECONDS apart, to see overflows happen now.",
        ),
    ] = None,
    output: Annotated[
        DocOutput, typer.Option("-o", "--output", help="Output format.")
    ] = DocOutput.text,
    verbose: Annotated[
        bool,
        typer.Option("-v", "--verbose", help="Show the evidence of info findings too, all of it."),
    ] = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Check the node's neighbour tables and say what is wrong and what to do.

    Exit codes: 0 nothing worse than info, 8 a warning, 9 a critical finding.
    """
    from neighctl.doctor import run_doctor
    from neighctl.render.color import use_color
    from neighctl.render.doctor import render_doctor_json, render_doctor_text

    report, snapshot = run_doctor(
        netns=netns,
        all_namespaces=all_namespaces,
        source=source,
        checks=check,
        interval=interval,
    )
    if output is DocOutput.json:
        write(render_doctor_json(report, snapshot))
    else:
        write(
            render_doctor_text(
                report, snapshot, color=use_color(color.value, sys.stdout), verbose=verbose
            )
        )
    raise typer.Exit(int(report.exit_code))
