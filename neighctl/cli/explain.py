"""`neighctl explain`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from neighctl.cli.common import (
    FromOpt,
    InputFormat,
    InputFormatOpt,
    LenientOpt,
    NetnsOpt,
    handle_errors,
    write,
)
from neighctl.cli.show import read_source
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
    write(text)
