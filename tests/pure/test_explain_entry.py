"""`explain ADDR` logic on hand-made entries: predictions, flags, patterns, text."""

from __future__ import annotations

from typing import Any

import pytest

from neighctl.errors import NotFoundError
from neighctl.explain import classify, entries_for, explain_address
from neighctl.explain import jsonview as jv
from neighctl.explain.entry import EntryExplanation, Pattern, explain_entry
from neighctl.explain.phrases import pattern_text, step_text
from neighctl.explain.predictions import Step
from neighctl.explain.text import WIDTH, render
from neighctl.explain.text import cells as width
from neighctl.explain.words import load
from neighctl.model import AF_INET, AF_INET6, Neighbor, NeighFlag, NudState
from neighctl.timers import DEFAULT_TABLES, NeighParms, TableParms

V4 = DEFAULT_TABLES[AF_INET]
EN = load("en")


# Explanations are data; these phrase them the way the assertions read them.
def text(step: Step) -> str:
    return step_text(step, EN)


def said(pattern: Pattern) -> str:
    return pattern_text(pattern, EN)


def render_entry(e: EntryExplanation, lang: str = "en") -> str:
    return render([e], load(lang))


def entry_json(e: EntryExplanation, lang: str = "en") -> dict[str, Any]:
    return jv.entry_json(e, load(lang))


def n(dst: str, state: NudState, dev: str = "eth0", **kw: object) -> Neighbor:
    fam = AF_INET6 if ":" in dst else AF_INET
    return Neighbor(fam, dst, dev, state, **kw)  # type: ignore[arg-type]


def live(**kw: int) -> tuple[NeighParms, TableParms]:
    return NeighParms(family=AF_INET, dev="eth0", **kw), V4  # type: ignore[arg-type]


def test_reachable_with_live_reachable_time() -> None:
    e = n(
        "10.0.0.2", NudState.REACHABLE, lladdr="02:00:00:00:00:02", used=8, confirmed=8, updated=8
    )
    [step] = explain_entry(e, live(reachable_time=20000)).next
    assert (step.to, step.earliest, step.latest) == ("STALE", 12.0, 12.0)
    assert "about 12 s" in text(step)
    assert "reachable_time on eth0 is now 20 s" in text(step)


def test_reachable_goes_to_delay_when_last_use_is_recent_at_expiry() -> None:
    e = n(
        "10.0.0.2", NudState.REACHABLE, lladdr="02:00:00:00:00:02", used=1, confirmed=1, updated=1
    )
    [step] = explain_entry(e, live(reachable_time=3000, delay_first_probe_time=5000)).next
    assert (step.to, step.latest) == ("DELAY", 2.0)


def test_reachable_with_defaults_gives_a_range() -> None:
    e = n("10.0.0.2", NudState.REACHABLE, used=10, confirmed=10, updated=10)
    ex = explain_entry(e)
    [step] = ex.next
    assert (step.to, step.earliest, step.latest) == ("STALE", 5.0, 35.0)
    assert not ex.live
    assert ex.notes


def test_delay_probe_incomplete_predictions() -> None:
    delay = n("10.0.0.2", NudState.DELAY, used=0, confirmed=40, updated=2)
    [step] = explain_entry(delay, live()).next
    assert (step.to, step.latest) == ("PROBE", 3.0)
    probe = n("10.0.0.2", NudState.PROBE, used=0, confirmed=40, updated=1, probes=1)
    [step] = explain_entry(probe, live(retrans_time=1000, mcast_resolicit=1)).next
    assert (step.to, step.latest) == ("FAILED", 3.0)  # 4 probes, 1 sent
    assert "1 of 4 probes" in text(step)
    inc = n("10.0.0.9", NudState.INCOMPLETE, used=0, confirmed=99, updated=0, probes=4)
    [step] = explain_entry(inc, live(retrans_time=500)).next
    # probes count from ucast_solicit: 1 of 3 sent just now, and each probe is
    # followed by a full retrans_time, so 3 x 0.5 s from the start
    assert (step.to, step.latest) == ("FAILED", 1.5)


def test_stale_failed_mention_gc_threshold_and_table_size() -> None:
    table = TableParms(family=AF_INET, entries=12)
    stale = n("10.0.0.2", NudState.STALE, used=100, confirmed=100, updated=100)
    steps = explain_entry(stale, (NeighParms(family=AF_INET, dev="eth0"), table)).next
    assert [s.to for s in steps] == ["DELAY", None]
    assert "gc_thresh1 = 128" in text(steps[1])
    assert "12 entries" in text(steps[1])
    assert "leaves it alone" in text(steps[1])
    failed = n("10.0.0.9", NudState.FAILED, used=1, confirmed=99, updated=1)
    busy = TableParms(family=AF_INET, entries=500)
    steps = explain_entry(failed, (NeighParms(family=AF_INET, dev="eth0"), busy)).next
    assert [s.to for s in steps] == ["INCOMPLETE", None]
    assert "GC is active" in text(steps[1])


def test_flags_are_explained() -> None:
    e = n(
        "fd00::1",
        NudState.STALE,
        flags=NeighFlag.ROUTER | NeighFlag.EXT_LEARNED | NeighFlag.MANAGED,
        lladdr="02:00:00:00:00:01",
    )
    ex = explain_entry(e)
    assert [w for w, _ in ex.flags] == ["router", "managed", "extern_learn"]
    assert any("garbage collection never" in text(s) for s in ex.next)
    assert any(text(s).startswith("managed:") for s in ex.next)


def test_patterns() -> None:
    gw = n("169.254.1.1", NudState.REACHABLE, lladdr="ee:ee:ee:ee:ee:ee")
    old = n("169.254.1.1", NudState.STALE, lladdr="ea:88:97:5f:06:d9")
    wl = n("192.168.8.42", NudState.PERMANENT, dev="cali69de609d5af", lladdr="b2:21:5b:82:e1:27")
    vtep = n("172.30.6.0", NudState.PERMANENT, dev="flannel.1", lladdr="ca:82:f5:77:60:38")
    shared = [
        n(f"192.168.3.{i}", NudState.REACHABLE, lladdr="ee:ff:ff:ff:ff:ff") for i in range(120, 126)
    ]
    fails = [n(f"172.30.45.{i}", NudState.FAILED, dev="docker0") for i in range(20)]

    def ids(e: Neighbor, others: list[Neighbor] | None = None) -> set[str]:
        return {p.id for p in explain_entry(e, others=others or [e]).patterns}

    assert ids(gw) == {"calico_gateway"}
    assert "older Calico" in said(explain_entry(old).patterns[0])
    assert ids(wl) == {"calico_workload"}
    assert ids(vtep) == {"flannel_vtep"}
    assert ids(shared[0], shared) == {"shared_mac"}
    many = explain_entry(fails[0], others=fails).patterns
    assert many[0].id == "failed"
    assert "20 FAILED entries on docker0" in said(many[0])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rendered_entry_fits(lang: str) -> None:
    e = n(
        "169.254.1.1",
        NudState.STALE,
        lladdr="ee:ee:ee:ee:ee:ee",
        used=12,
        confirmed=40,
        updated=40,
        probes=1,
        refcnt=0,
    )
    out = render_entry(explain_entry(e), lang)
    assert out.splitlines()[0] == "169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee STALE"
    assert max(width(line) for line in out.splitlines()[1:]) <= WIDTH
    data = entry_json(explain_entry(e), lang)
    assert data["entry"]["dst"] == "169.254.1.1"
    assert data["timers_from"] == "defaults"


def test_classify_and_selection() -> None:
    assert classify("stale").state == "STALE"
    assert classify("10.0.0.1").address == "10.0.0.1"
    assert classify("FD00::0001").address == "fd00::1"
    assert classify(None).state is None
    entries = [
        n("fd00::1", NudState.STALE, dev="a"),
        n("fd00::1", NudState.FAILED, dev="b"),
        n("fd00::2", NudState.STALE, dev="a"),
    ]
    assert [e.dev for e in entries_for("fd00:0::1", entries, None)] == ["a", "b"]
    assert [e.dev for e in entries_for("fd00::1", entries, "b")] == ["b"]


def test_address_from_entries_and_missing() -> None:
    entries = [n("10.0.0.2", NudState.STALE, dev="eth0"), n("10.0.0.2", NudState.STALE, dev="br0")]
    out = render(explain_address("10.0.0.2", entries=entries), EN)
    assert out.count("10.0.0.2 dev") == 2
    with pytest.raises(NotFoundError) as err:
        explain_address("10.0.0.3", entries=entries)
    assert err.value.exit_code == 3


def test_proxy_entries_have_no_state_machine() -> None:
    e = n("10.0.0.50", NudState.NONE, dev="veth0", flags=NeighFlag.PROXY)
    [step] = explain_entry(e).next
    assert step.to is None
    assert "proxy entry has no state" in text(step)
    assert "ip neigh del proxy 10.0.0.50 dev veth0" in text(step)


def test_proxy_flag_names_its_device_and_leaves_the_verdict_to_answers() -> None:
    e = n("10.0.0.50", NudState.NONE, dev="veth0", flags=NeighFlag.PROXY)
    for lang in ("en", "zh"):
        flags = entry_json(explain_entry(e), lang)["flags"]
        assert [f["key"] for f in flags] == ["proxy"]
        meaning = flags[0]["meaning"]
        assert "DEV" not in meaning
        assert "veth0" in meaning
    # "we answer" would contradict an Answers line that says no.
    assert "we answer" not in entry_json(explain_entry(e))["flags"][0]["meaning"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_proxy_entry_without_a_device_reads_whole(lang: str) -> None:
    """`ip neigh add proxy 10.0.0.60` (no dev): the kernel answers on any device."""
    e = n("10.0.0.60", NudState.NONE, dev="", flags=NeighFlag.PROXY)
    ex = explain_entry(e)
    assert ex.proxy is not None
    assert ex.proxy.answers is None
    assert [f.key for f in ex.flags] == ["proxy_any"]
    out = render_entry(ex, lang)
    doc = entry_json(ex, lang)
    assert doc["next"][0]["text"].endswith("`ip neigh del proxy 10.0.0.60`")
    for broken in ("dev `", " on ,", " 上 ", "dev  ", "DEV", "{"):
        assert broken not in out
    assert doc["next"][0]["kind"] == "proxy_any"
    assert doc["answers"]["reasons"] == ["answers_any_dev"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_stale_without_ages_quotes_no_unknown_number(lang: str) -> None:
    """A saved `ip neigh` without -s has no ages: no "unused for ? s"."""
    e = n("169.254.1.1", NudState.STALE, lladdr="ee:ee:ee:ee:ee:ee")
    [_, gc] = explain_entry(e).next
    assert gc.kind == "stale_gc_noage"
    said = step_text(gc, load(lang))
    assert "?" not in said
    assert "60" in said


def test_stale_past_gc_stale_time_says_it_is_due() -> None:
    """unused 70 s with gc_stale_time 60 s: eligible now, not "70 s of 60 s"."""
    e = n("10.0.0.2", NudState.STALE, lladdr="02:00:00:00:00:02", used=70, confirmed=90, updated=70)
    [_, gc] = explain_entry(e, live()).next
    assert gc.kind == "stale_gc_due"
    assert "70 s of gc_stale_time" not in text(gc)
    assert "longer than gc_stale_time 60 s" in text(gc)
    e = n("10.0.0.2", NudState.STALE, lladdr="02:00:00:00:00:02", used=20, confirmed=90, updated=20)
    [_, gc] = explain_entry(e, live()).next
    assert gc.kind == "stale_gc"
    assert "unused for 20 s" in text(gc)


def test_gc_counts_a_later_confirmation_as_use() -> None:
    """neigh_periodic_work moves `used` up to `confirmed` before it compares."""
    e = n("10.0.0.2", NudState.STALE, lladdr="02:00:00:00:00:02", used=70, confirmed=30, updated=30)
    [_, gc] = explain_entry(e, live()).next
    assert (gc.kind, gc.facts["used"]) == ("stale_gc", 30)


def test_a_proxy_entrys_json_has_no_state_as_its_text_says() -> None:
    """The text says "no state"; `ip -j neigh show proxy` prints none: JSON agrees."""
    e = n("10.0.0.50", NudState.NONE, dev="veth0", flags=NeighFlag.PROXY)
    doc = entry_json(explain_entry(e))
    assert (doc["state"], doc["states"]) == (None, [])
    assert "state" not in doc["entry"]
    assert doc["summary"].startswith("no state")


DEV_NOT_SHOWN = """\
10.0.0.13  used 5/65/5probes 6 FAILED
10.0.0.14  used 5/65/5probes 0 INCOMPLETE
10.0.0.50 proxy
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_capture_that_shows_no_devices_gets_a_placeholder_not_a_gap(lang: str) -> None:
    """`ip neigh show dev veth0` prints no `dev` words: the device is unknown, and a
    sentence that names it must not read "on ." or "--dev `"."""
    from neighctl.parse import read_text

    entries = read_text(DEV_NOT_SHOWN)
    words = load(lang)
    placeholder = words.MSG["dev_unknown"]
    for addr in ("10.0.0.13", "10.0.0.14"):
        out = render(explain_address(addr, entries=entries), words)
        for broken in (" on .", "： 上", "--dev `", "--dev  ", "，上"):
            assert broken not in out, (addr, out)
    failed = entry_json(explain_address("10.0.0.13", entries=entries)[0], lang)
    assert placeholder in failed["patterns"][0]["text"]
    incomplete = entry_json(explain_address("10.0.0.14", entries=entries)[0], lang)
    assert incomplete["next"][0]["kind"] == "incomplete_set_by_hand"
    assert f"--dev {placeholder}`" in incomplete["next"][-1]["text"]
    # The proxy entry's device is not shown, not absent: no "without a device".
    [proxy] = explain_address("10.0.0.50", entries=entries)
    assert [f.key for f in proxy.flags] == ["proxy"]
    assert proxy.next[0].kind == "proxy"
    said = entry_json(proxy, lang)
    assert placeholder in said["next"][0]["text"]
    assert said["answers"]["answers"] is None


def test_dev_on_a_capture_that_shows_no_devices_says_so() -> None:
    from neighctl.errors import UsageError
    from neighctl.parse import read_text

    with pytest.raises(UsageError, match="shows no devices"):
        explain_address("10.0.0.13", dev="veth0", entries=read_text(DEV_NOT_SHOWN))
