"""`neighctl probe`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from neighctl.cli.common import (
    AddrArg,
    DevReq,
    NetnsOpt,
    handle_errors,
    need_device,
    seconds,
    write,
)


class ProbeOutput(str, Enum):
    text = "text"
    json = "json"


@handle_errors
def run(
    addr: AddrArg,
    dev: DevReq = None,
    timeout: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--timeout",
            callback=seconds,
            metavar="SECONDS",
            help="Give up after SECONDS (default: the kernel's own worst case for the "
            "entry's path, from the device's timers, plus 2 s).",
        ),
    ] = None,
    output: Annotated[
        ProbeOutput, typer.Option("-o", "--output", help="Output format (-j is -o json).")
    ] = ProbeOutput.text,
    netns: NetnsOpt = None,
) -> None:
    """Ask the kernel to resolve a neighbour now (as `ip neigh replace ... use`) and follow it.

    Waits until the entry is REACHABLE (exit 0) or FAILED (exit 11; likely causes
    printed), or --timeout passes (exit 12).
    """
    from neighctl.kernel.handle import Kernel
    from neighctl.kernel.probe import probe
    from neighctl.render.probe import render_probe_json, render_probe_text
    from neighctl.validate import lookup_request

    need_device("probe", addr, dev)
    req = lookup_request(addr, dev)
    with Kernel(netns) as k:
        result = probe(k, req, timeout)
    write(render_probe_json(result) if output is ProbeOutput.json else render_probe_text(result))
    if result.exit_code:
        raise typer.Exit(result.exit_code)
