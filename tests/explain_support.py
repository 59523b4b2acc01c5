"""The library returns data and the views phrase it: these render as the CLI does,
so that tests can ask for text or JSON in one call."""

from __future__ import annotations

from typing import Any

from neighctl import explain as ex
from neighctl.explain import jsonview, text
from neighctl.explain.words import load


def rendered(doc: ex.Document, lang: str, output: str) -> str:
    words = load(lang)
    return jsonview.render(doc, words) if output == "json" else text.render(doc, words)


def explain_state(state: str, *, lang: str, output: str, **kw: Any) -> str:
    return rendered(ex.explain_state(state, **kw), lang, output)


def explain_address(address: str, *, lang: str, output: str, **kw: Any) -> str:
    return rendered(ex.explain_address(address, **kw), lang, output)
