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


def test_with_dev_each_familys_timers_are_named_where_they_differ() -> None:
    """--dev reads IPv4 and IPv6 parameters: a way out timed differently in each is
    given for both, named, in the text and in JSON (not IPv4's for both)."""
    from neighctl.explain import SPECS, StateExplanation
    from neighctl.explain.jsonview import state_json
    from neighctl.model import AF_INET, AF_INET6
    from neighctl.timers import DEFAULT_TABLES, NeighParms

    v4 = NeighParms(family=AF_INET, dev="veth0", retrans_time=3000)
    v6 = NeighParms(family=AF_INET6, dev="veth0", locktime=0)
    doc = StateExplanation(
        "PROBE",
        SPECS["PROBE"],
        [(v4, DEFAULT_TABLES[AF_INET]), (v6, DEFAULT_TABLES[AF_INET6])],
        True,
    )
    [leave] = [line for line in render(doc, EN, width=200).splitlines() if "-> FAILED" in line]
    assert "9 s" in leave
    assert "3 s" in leave
    assert "veth0 (IPv4)" in leave
    assert "veth0 (IPv6)" in leave
    when = state_json(doc, EN)["transitions"][1]["when"]
    assert "9 s" in when
    assert "3 s" in when
    zh = state_json(doc, ZH)["transitions"][1]["when"]
    assert "veth0（IPv4）" in zh
    assert "veth0（IPv6）" in zh
    same = StateExplanation(
        "PROBE",
        SPECS["PROBE"],
        [(v4, DEFAULT_TABLES[AF_INET]), (v4._replace(family=AF_INET6), DEFAULT_TABLES[AF_INET6])],
        True,
    )
    assert "IPv6" not in state_json(same, EN)["transitions"][1]["when"]  # one value: said once


def test_with_dev_each_familys_table_is_described() -> None:
    """IPv4 and IPv6 have separate tables (arp_cache, ndisc_cache): periodic GC may
    run in one and not the other, so both are described."""
    from neighctl.explain import SPECS, StateExplanation
    from neighctl.explain.jsonview import state_json
    from neighctl.model import AF_INET, AF_INET6
    from neighctl.timers import DEFAULT_TABLES, NeighParms

    v4 = (NeighParms(family=AF_INET, dev="veth0"), DEFAULT_TABLES[AF_INET]._replace(entries=900))
    v6 = (NeighParms(family=AF_INET6, dev="veth0"), DEFAULT_TABLES[AF_INET6]._replace(entries=40))
    doc = StateExplanation("STALE", SPECS["STALE"], [v4, v6], True)
    out = render(doc, EN)
    assert "Table arp_cache" in out
    assert "Table ndisc_cache" in out
    assert "ndisc_cache" in state_json(doc, EN)["table"]


def test_with_dev_the_chinese_family_heading_ends_in_a_full_width_colon() -> None:
    from neighctl.explain import SPECS, StateExplanation
    from neighctl.model import AF_INET
    from neighctl.timers import DEFAULT_TABLES, NeighParms

    v4 = (NeighParms(family=AF_INET, dev="veth0"), DEFAULT_TABLES[AF_INET])
    lines = render(StateExplanation("STALE", SPECS["STALE"], [v4], True), ZH).splitlines()
    assert "veth0（IPv4）：" in lines
    assert "veth0 (IPv4):" in render(StateExplanation("STALE", SPECS["STALE"], [v4], True), EN)


def test_state_json_carries_every_sentence_of_the_timers_section() -> None:
    """JSON carries the text's sentences: the per-family "Differs from the kernel
    default" line with --dev, the defaults note without it."""
    from neighctl.explain import SPECS, StateExplanation
    from neighctl.explain.jsonview import state_json
    from neighctl.explain.phrases import differences_text
    from neighctl.model import AF_INET
    from neighctl.timers import DEFAULT_TABLES, NeighParms

    v4 = NeighParms(family=AF_INET, dev="veth0", retrans_time=3000)
    doc = StateExplanation("PROBE", SPECS["PROBE"], [(v4, DEFAULT_TABLES[AF_INET])], True)
    differs = differences_text(v4, EN)
    assert differs in " ".join(render(doc, EN).split())
    assert state_json(doc, EN)["timers"][0]["differences"] == differs
    default = explain_state("probe")
    note = EN.MSG["defaults_note"]
    assert note in render(default, EN)
    assert state_json(default, EN)["notes"] == [note]
    assert state_json(doc, EN)["notes"] == []
