"""The text view's layout: widths in display cells, CJK line breaking, the same text in colour."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from neighctl.explain import explain_state
from neighctl.explain.text import _NO_BREAK_AFTER, _NO_BREAK_BEFORE, Layout, cells, render
from neighctl.explain.words import load

EN, ZH = load("en"), load("zh")
WORD = st.text(alphabet="abcdefghij0123456789-.–", min_size=1, max_size=12)
CJK = st.sampled_from(list("中文断行测试邻居状态") + list(_NO_BREAK_BEFORE) + list(_NO_BREAK_AFTER))
PIECE = st.one_of(WORD.map(lambda w: f" {w} "), CJK)


def tokens(line: str) -> list[str]:
    return re.findall(r"[^\s\u3000-\u9fff\uff00-\uff60]+|[\u3000-\u9fff\uff00-\uff60]", line)


def laid_out(body: str, width: int, indent: int = 0, first: str = "") -> list[str]:
    layout = Layout(ZH, width)
    layout.para(body, indent, first)
    return layout.plain().splitlines()


@given(st.lists(PIECE, max_size=60).map("".join), st.integers(20, 130), st.integers(0, 12))
def test_paragraphs_fit_and_keep_every_character(body: str, width: int, indent: int) -> None:
    lines = laid_out(body, width, indent, "Label")
    for line in lines:
        longest = max((cells(t) for t in line.split()), default=0)
        assert cells(line) <= max(width, indent + longest + 2)  # a too-long word may overflow
    assert "".join("".join(lines).split()).replace("Label", "", 1) == "".join(body.split())
    for before, line in itertools.pairwise(lines):
        alone = len(tokens(before.replace("Label", "", 1))) == 1  # nothing to carry over
        assert line[indent:][:1] not in _NO_BREAK_BEFORE or alone, (before, line)
        # ... and an opening mark goes with what follows it, where the two fit together
        together = cells(before.split()[-1]) + 1 + cells(tokens(line)[0]) if line.strip() else 0
        cannot = indent + together > width
        assert not before.endswith(tuple(_NO_BREAK_AFTER)) or alone or cannot, (before, line)


def test_latin_words_stay_whole_and_cjk_breaks_anywhere() -> None:
    lines = laid_out("abc " * 30 + "中" * 60, 40)
    assert all(len(w) == 3 for line in lines for w in line.split() if w.isascii())
    assert max(cells(line) for line in lines) <= 40
    assert sum(line.count("中") for line in lines) == 60
    assert any(cells(line) >= 37 for line in lines if "中" in line)  # CJK lines are full


def test_colour_changes_no_layout() -> None:
    doc = explain_state("PROBE")
    for words in (EN, ZH):
        plain = render(doc, words, width=60)
        coloured = render(doc, words, width=60, color=True)
        assert "\x1b[" in coloured
        assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
