"""Which words explain prints: one module per language, looked up once per call.

Each language is a module (words_en, words_zh) holding every word explain
prints, under the same names: TEXT (the catalogue of states), PARAMS (what
each parameter does), FLAGS, LABELS (field labels), MSG (sentences with
``{fact}`` fields filled from predictions), PATTERNS and DIAGRAM. Views take
the module; nothing else asks which language it is.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol, TypedDict, cast

from neighctl.errors import UsageError

LANGS: tuple[str, ...] = ("en", "zh")


class StateWords(TypedDict):
    """One state of the catalogue in words; ``transitions`` is keyed like the spec's."""

    summary: str
    meaning: str
    entry: str
    transitions: dict[str, str]
    traffic: str
    gc: str
    advice: list[str]


TEXT_FIELDS = ("summary", "meaning", "entry", "traffic", "gc", "advice")


class Words(Protocol):
    """What a words module provides (mypy checks words_en and words_zh against it)."""

    TEXT: dict[str, StateWords]
    PARAMS: dict[str, str]
    FLAGS: dict[str, str]
    LABELS: dict[str, str]
    MSG: dict[str, str]
    PATTERNS: dict[str, str]
    DIAGRAM: str


def load(lang: str) -> Words:
    """The words module of ``lang`` (en, zh); UsageError for another language."""
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}", "use " + " or ".join(LANGS))
    return cast(Words, importlib.import_module(f"neighctl.explain.words_{lang}"))


if TYPE_CHECKING:  # each language module must provide every name a view may ask for
    from neighctl.explain import words_en, words_zh

    _en: Words = words_en
    _zh: Words = words_zh
