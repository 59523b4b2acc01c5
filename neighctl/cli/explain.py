"""`neighctl explain`."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from neighctl.cli.common import (
    Color,
    FromOpt,
    InputFormat,
    InputFormatOpt,
    LenientOpt,
    NetnsOpt,
    handle_errors,
    write,
)
from neighctl.errors import UsageError


class ExplainOutput(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    en = "en"
    zh = "zh"


@handle_errors
def run(
    target: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[STATE|ADDR]",
            help="A state (any case, or a value such as 0x04) or an IP address (IPv6: ADDR%DEV).",
        ),
    ] = None,
    dev: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--dev", help="Use this interface's own timers (STATE), or only its entry (ADDR)."
        ),
    ] = None,
    netns: NetnsOpt = None,
    output: Annotated[
        ExplainOutput, typer.Option("-o", "--output", help="Output format.")
    ] = ExplainOutput.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Language: en or zh.")] = Lang.en,
    color: Annotated[
        Color, typer.Option("--color", help="Colour the text (auto: on a terminal, no NO_COLOR).")
    ] = Color.auto,
    source: FromOpt = None,
    input_format: InputFormatOpt = InputFormat.auto,
    lenient: LenientOpt = False,
) -> None:
    """Explain a state, or an entry, with this machine's timers.

    Exit codes: 0 explained, 2 bad usage (an unknown state, a prefix or a malformed
    address, a zone that contradicts --dev), 3 no such entry, 4 not permitted,
    5 the kernel refused, 7 no such namespace.
    """
    from neighctl import explain as ex
    from neighctl.explain.words import load

    what = ex.classify(target)
    doc: ex.Document
    if source is not None:
        if what.address is None:
            raise UsageError("--from reads entries: give the ADDR to explain")
        from neighctl.cli.show import read_source

        entries = read_source(source, input_format, lenient, netns)
        doc = ex.explain_address(what.address, dev=dev, zone=what.zone, entries=entries)
    elif what.state is not None:
        doc = ex.explain_state(what.state, dev=dev, netns=netns)
    elif what.address is not None:
        doc = ex.explain_address(what.address, dev=dev, zone=what.zone, netns=netns)
    else:
        if dev is not None:
            raise UsageError("--dev needs a STATE or an ADDR to explain")
        doc = ex.explain_overview(netns=netns)
    words = load(lang.value)
    encoding = sys.stdout.encoding
    if output is ExplainOutput.json:
        from neighctl.explain import jsonview

        write(jsonview.render(doc, words, encoding=encoding))
        return
    from neighctl.explain import text
    from neighctl.render.color import use_color
    from neighctl.render.terminal import layout_width

    colored = use_color(color.value, sys.stdout)
    width = layout_width(sys.stdout)
    write(text.render(doc, words, width=width, color=colored, encoding=encoding))
