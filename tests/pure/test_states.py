"""The state catalogue: complete in both languages, lookups, suggestions, layout."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighctl import timers
from neighctl.errors import UsageError
from neighctl.explain import explain_overview, explain_state
from neighctl.explain import jsonview as jv
from neighctl.explain.catalogue import SPECS, STATE_NAMES, lookup
from neighctl.explain.text import WIDTH, render
from neighctl.explain.text import cells as width
from neighctl.explain.words import LANGS, TEXT_FIELDS, StateWords, load
from neighctl.explain.words_en import DIAGRAM as DIAGRAM_EN
from neighctl.explain.words_en import PARAMS as PARAMS_EN
from neighctl.explain.words_zh import DIAGRAM as DIAGRAM_ZH
from neighctl.explain.words_zh import PARAMS as PARAMS_ZH
from neighctl.model import NudState

CJK = re.compile(r"[\u4e00-\u9fff]")


# The library returns data and the views take a words module; these adapt the
# calls the assertions below were written against.
def texts(lang: str) -> dict[str, StateWords]:
    return load(lang).TEXT


def catalogue(lang: str = "en") -> list[dict[str, Any]]:
    return jv.catalogue(load(lang))


def catalogue_json(lang: str = "en") -> list[dict[str, Any]]:
    return jv.overview_json(load(lang))


def state_json(state: str, lang: str = "en") -> dict[str, Any]:
    return jv.state_json(explain_state(state), load(lang))


def render_overview(lang: str = "en") -> str:
    return render(explain_overview(), load(lang))


def render_state(state: str, lang: str = "en") -> str:
    return render(explain_state(state), load(lang))


def test_every_state_is_catalogued_with_the_kernels_value() -> None:
    assert set(STATE_NAMES) == {s.name for s in NudState} | {"NONE"}
    for entry in catalogue():
        assert entry["value"] == int(NudState[entry["state"]])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("state", STATE_NAMES)
def test_every_state_has_every_field_in_both_languages(lang: str, state: str) -> None:
    text: Any = texts(lang)[state]
    for name in TEXT_FIELDS:
        assert text[name], (lang, state, name)
    assert set(text["transitions"]) == {t.key for t in SPECS[state].transitions}
    assert all(text["transitions"].values())
    assert isinstance(text["advice"], list)
    assert all(text["advice"])
    if lang == "zh":
        for name in ("summary", "meaning", "entry", "traffic", "gc"):
            assert CJK.search(text[name]), (state, name)
        assert all(CJK.search(v) for v in text["transitions"].values())


@pytest.mark.parametrize("params", [PARAMS_EN, PARAMS_ZH])
def test_every_parameter_is_described(params: dict[str, str]) -> None:
    used = {p for spec in SPECS.values() for p in spec.params}
    used |= {p for spec in SPECS.values() for t in spec.transitions for p in t.params}
    assert used <= set(params)
    assert set(timers.PARAM_NAMES) <= set(params)


def test_catalogue_facts_from_the_kernel() -> None:
    in_timer = {n for n, s in SPECS.items() if s.in_timer}
    assert in_timer == {"INCOMPLETE", "REACHABLE", "DELAY", "PROBE"}  # NUD_IN_TIMER
    valid = {n for n, s in SPECS.items() if s.valid}
    assert valid == {"PERMANENT", "NOARP", "REACHABLE", "PROBE", "STALE", "DELAY"}  # NUD_VALID
    flows = {n for n, s in SPECS.items() if s.traffic_flows}
    assert flows == valid
    removable = {n for n, s in SPECS.items() if s.gc_removable}
    assert removable == {"STALE", "FAILED", "NOARP", "NONE"}
    assert not any(s.gc_removable for s in SPECS.values() if s.in_timer)


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("stale", "STALE"),
        (" Reachable ", "REACHABLE"),
        ("0x04", "STALE"),
        ("4", "STALE"),
        ("0x80", "PERMANENT"),
        ("0", "NONE"),
        ("0x00", "NONE"),
        ("none", "NONE"),
        ("32", "FAILED"),
    ],
)
def test_lookup_accepts_names_and_values(word: str, state: str) -> None:
    assert lookup(word) == state


@pytest.mark.parametrize(
    ("word", "suggestion"),
    [
        ("IMCOMPLETE", "INCOMPLETE"),
        ("reachabel", "REACHABLE"),
        ("stal", "STALE"),
        ("permanant", "PERMANENT"),
        ("FAIL", "FAILED"),
        ("dealy", "DELAY"),
    ],
)
def test_unknown_words_suggest_the_nearest_state(word: str, suggestion: str) -> None:
    with pytest.raises(UsageError) as err:
        lookup(word)
    assert err.value.hint == f"did you mean {suggestion}?"
    assert err.value.exit_code == 2


@pytest.mark.parametrize("word", ["0x03", "xyzzy", "", "0x100"])
def test_nonsense_lists_the_states(word: str) -> None:
    with pytest.raises(UsageError) as err:
        lookup(word)
    assert "INCOMPLETE" in str(err.value)


@given(st.sampled_from(STATE_NAMES), st.data())
def test_any_case_of_a_name_works(name: str, data: st.DataObject) -> None:
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    word = "".join(c.lower() if f else c for c, f in zip(name, flips, strict=True))
    assert lookup(word) == name


@given(st.text(max_size=20))
def test_lookup_never_fails_otherwise(word: str) -> None:
    with contextlib.suppress(UsageError):
        assert lookup(word) in STATE_NAMES


@pytest.mark.parametrize("diagram", [DIAGRAM_EN, DIAGRAM_ZH])
def test_diagram_fits_80_columns(diagram: str) -> None:
    assert max(width(line) for line in diagram.splitlines()) <= WIDTH
    for name in ("INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NONE"):
        assert name in diagram


def test_diagram_lines_are_aligned_in_both_languages() -> None:
    """The zh diagram is the en one relabelled: its box-drawing columns must match."""

    def columns(text: str) -> list[list[int]]:
        out = []
        for line in text.splitlines()[:14]:
            col, cols = 0, []
            for ch in line:
                if ch in "|+^v":
                    cols.append(col)
                col += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            out.append(cols)
        return out

    assert columns(DIAGRAM_ZH) == columns(DIAGRAM_EN)


@pytest.mark.parametrize("lang", LANGS)
def test_overview_one_line_per_state(lang: str) -> None:
    text = render_overview(lang)
    assert max(width(line) for line in text.splitlines()) <= WIDTH
    starts = [line.split()[0] for line in text.splitlines() if line[:1].isupper()]
    for name in STATE_NAMES:
        assert name in starts


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("state", STATE_NAMES)
def test_state_text_fits_and_says_defaults(lang: str, state: str) -> None:
    text = render_state(state, lang)
    assert max(width(line) for line in text.splitlines()) <= WIDTH
    assert text.startswith(f"{state} (0x")
    assert ("kernel default" in text) if lang == "en" else ("内核默认值" in text)


def test_default_timers_in_words() -> None:
    text = " ".join(render_state("REACHABLE").split())
    assert "REACHABLE lasts 15–45 s (base_reachable_time 30 s)" in text
    assert "INCOMPLETE lasts about 3 s (3 solicitations every 1 s)" in " ".join(
        render_state("INCOMPLETE").split()
    )
    assert "DELAY lasts 5 s" in render_state("DELAY")


def test_json_catalogue_is_data() -> None:
    data = catalogue_json("en")
    assert [d["state"] for d in data] == list(STATE_NAMES)
    stale = state_json("STALE")
    assert stale["value"] == 4
    assert stale["traffic_flows"] is True
    assert stale["gc_removable"] is True
    assert {t["to"] for t in stale["transitions"]} == {"DELAY", "REACHABLE", None}
    assert stale["timers"][0]["source"] == "defaults"
    assert stale["parameters"]["gc_stale_time"]["value"] == 60000
    assert stale["parameters"]["gc_thresh1"]["value"] == 128
    reachable = state_json("REACHABLE", "zh")
    assert reachable["timers"][0]["reachable_range_ms"] == [15000, 45000]
    assert CJK.search(reachable["meaning"])


def test_timer_arithmetic() -> None:
    p = timers.defaults(2)
    assert timers.reachable_range(p) == (15000, 45000)
    assert timers.incomplete_duration(p) == 3000
    assert timers.probe_duration(p) == 3000
    assert timers.differences(p) == {}
    assert timers.defaults(10).locktime == 0
    q = timers.NeighParms(family=2, dev="eth0", retrans_time=0, mcast_resolicit=2)
    assert timers.retrans(q) == 10  # the kernel's HZ/100 floor
    assert timers.probe_duration(q) == 50
    assert timers.differences(q) == {"retrans_time": (0, 1000), "mcast_resolicit": (2, 0)}
    assert timers.seconds(100) == "0.1"
    assert timers.seconds(30000) == "30"
    assert timers.from_sysctl_value("locktime", "100") == 1000
    assert timers.from_sysctl_value("gc_stale_time", "60\n") == 60000


@pytest.mark.parametrize("diagram", [DIAGRAM_EN, DIAGRAM_ZH])
def test_diagram_says_which_entries_gc_deletes_at_once(diagram: str) -> None:
    """neigh_periodic_work deletes an unreferenced FAILED entry at once, but NOARP,
    NONE and STALE ones only once unused for gc_stale_time."""
    legend = " ".join(diagram.splitlines()[16:])
    assert "gc_stale_time" in legend
    assert "FAILED, NOARP, NONE" not in legend
    assert "FAILED、NOARP、NONE" not in legend


def test_chinese_ways_out_read_as_one_clause_after_their_colon() -> None:
    """A way out prints as `-> STATE` + full-width colon + trigger: a second full-width colon inside the
    trigger chains clauses the way Chinese does not; no space before full-width
    quotes either."""
    from neighctl.explain.words_zh import TEXT as TEXT_ZH

    for name, words in TEXT_ZH.items():
        for key, trigger in words["transitions"].items():
            assert "：" not in trigger, (name, key, trigger)
        for text in [*words["transitions"].values(), words["meaning"], *words["advice"]]:
            assert " “" not in text, (name, text)


@pytest.mark.parametrize("value", ["0x6", "0xc", "6"])
def test_a_proc_net_arp_flags_value_is_pointed_at_its_reader(value: str) -> None:
    """/proc/net/arp's Flags column (0x2, 0x6, 0xc) holds ATF_* flags, not states:
    a value that is no single state says how to read such a file."""
    with pytest.raises(UsageError) as err:
        lookup(value)
    assert "/proc/net/arp" in (err.value.hint or "")
    assert "0x04 STALE" in (err.value.hint or "")
