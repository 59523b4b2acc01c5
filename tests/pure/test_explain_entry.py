"""`explain ADDR` logic on hand-made entries: predictions, flags, patterns, text."""

from __future__ import annotations

import pytest

from neighctl.errors import NotFoundError
from neighctl.explain import classify, entries_for, explain_address
from neighctl.explain_entry import entry_json, explain_entry, render_entry
from neighctl.explain_text import WIDTH, width
from neighctl.model import AF_INET, AF_INET6, Neighbor, NeighFlag, NudState
from neighctl.timers import DEFAULT_TABLES, NeighParms, TableParms

V4 = DEFAULT_TABLES[AF_INET]


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
    assert "about 12 s" in step.text
    assert "reachable_time on eth0 is now 20 s" in step.text


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
    assert "1 of 4 probes" in step.text
    inc = n("10.0.0.9", NudState.INCOMPLETE, used=0, confirmed=99, updated=0, probes=4)
    [step] = explain_entry(inc, live(retrans_time=500)).next
    assert (step.to, step.latest) == ("FAILED", 1.0)  # probes count from ucast_solicit


def test_stale_failed_mention_gc_threshold_and_table_size() -> None:
    table = TableParms(family=AF_INET, entries=12)
    stale = n("10.0.0.2", NudState.STALE, used=100, confirmed=100, updated=100)
    steps = explain_entry(stale, (NeighParms(family=AF_INET, dev="eth0"), table)).next
    assert [s.to for s in steps] == ["DELAY", None]
    assert "gc_thresh1 = 128" in steps[1].text
    assert "12 entries" in steps[1].text
    assert "leaves it alone" in steps[1].text
    failed = n("10.0.0.9", NudState.FAILED, used=1, confirmed=99, updated=1)
    busy = TableParms(family=AF_INET, entries=500)
    steps = explain_entry(failed, (NeighParms(family=AF_INET, dev="eth0"), busy)).next
    assert [s.to for s in steps] == ["INCOMPLETE", None]
    assert "GC is active" in steps[1].text


def test_flags_are_explained() -> None:
    e = n(
        "fd00::1",
        NudState.STALE,
        flags=NeighFlag.ROUTER | NeighFlag.EXT_LEARNED | NeighFlag.MANAGED,
        lladdr="02:00:00:00:00:01",
    )
    ex = explain_entry(e)
    assert [w for w, _ in ex.flags] == ["router", "managed", "extern_learn"]
    assert any("garbage collection never" in s.text for s in ex.next)
    assert any(s.text.startswith("managed:") for s in ex.next)


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
        return {k for k, _ in explain_entry(e, others=others or [e]).patterns}

    assert ids(gw) == {"calico_gateway"}
    assert "older Calico" in explain_entry(old).patterns[0][1]
    assert ids(wl) == {"calico_workload"}
    assert ids(vtep) == {"flannel_vtep"}
    assert ids(shared[0], shared) == {"shared_mac"}
    many = explain_entry(fails[0], others=fails).patterns
    assert many[0][0] == "failed"
    assert "20 FAILED entries on docker0" in many[0][1]


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
    text = render_entry(explain_entry(e, lang=lang), lang)
    assert text.splitlines()[0] == "169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee STALE"
    assert max(width(line) for line in text.splitlines()[1:]) <= WIDTH
    data = entry_json(explain_entry(e, lang=lang))
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
    text = explain_address("10.0.0.2", lang="en", output="text", entries=entries)
    assert text.count("10.0.0.2 dev") == 2
    with pytest.raises(NotFoundError) as err:
        explain_address("10.0.0.3", lang="en", output="text", entries=entries)
    assert err.value.exit_code == 3


def test_proxy_entries_have_no_state_machine() -> None:
    e = n("10.0.0.50", NudState.NONE, dev="veth0", flags=NeighFlag.PROXY)
    [step] = explain_entry(e).next
    assert step.to is None
    assert "proxy entry has no state" in step.text
    assert "ip neigh del proxy 10.0.0.50 dev veth0" in step.text
