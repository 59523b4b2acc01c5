"""The transition tracker, the event filter and the event renderers (no kernel)."""

from __future__ import annotations

import ipaddress
import json
import struct
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from neighctl.events import (
    CHANGE,
    DEL,
    MISS,
    NEW,
    NOTIFY_DEL,
    NOTIFY_MISS,
    NOTIFY_NEW,
    Event,
    EventFilter,
    Tracker,
    key_of,
)
from neighctl.filters import ALL_STATES, NeighFilter, state_mask
from neighctl.kernel.decode import LinkInfo, decode_neigh_batch, decode_neigh_events
from neighctl.kernel.proto import RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH
from neighctl.model import AF_INET, AF_INET6, NO_FLAGS, Neighbor, NeighFlag, NudState, Row
from neighctl.render.events import (
    event_json,
    event_json_line,
    event_line,
)

S = NudState
MAC1 = "02:00:00:00:00:01"
MAC2 = "02:00:00:00:00:02"


def nb(
    dst: str = "10.0.0.10",
    state: NudState = S.STALE,
    lladdr: str | None = MAC1,
    *,
    dev: str = "veth0",
    ifindex: int = 2,
    flags: NeighFlag = NO_FLAGS,
    updated: float | None = None,
) -> Neighbor:
    family = AF_INET6 if ":" in dst else AF_INET
    return Neighbor(family, dst, dev, state, flags, lladdr, ifindex, updated=updated)


# --- Tracker ----------------------------------------------------------------


def test_new_then_state_change_reports_previous_and_time_in_it() -> None:
    t = Tracker()
    first = t.apply(NOTIFY_NEW, nb(state=S.STALE), now=10.0, wall=1000.0)
    assert first == Event(NEW, nb(state=S.STALE), 1000.0)
    second = t.apply(NOTIFY_NEW, nb(state=S.DELAY), now=12.5, wall=1002.5)
    assert second is not None
    assert second.kind == CHANGE
    assert second.previous == nb(state=S.STALE)
    assert second.seconds == 2.5
    assert second.state_changed
    assert not second.lladdr_changed


def test_mac_change_is_a_change_with_both_addresses() -> None:
    t = Tracker([nb(state=S.REACHABLE, lladdr=MAC1)], now=0.0)
    event = t.apply(NOTIFY_NEW, nb(state=S.REACHABLE, lladdr=MAC2), now=1.0)
    assert event is not None
    assert event.kind == CHANGE
    assert event.lladdr_changed
    assert not event.state_changed
    assert event.previous is not None
    assert event.previous.lladdr == MAC1


def test_time_in_state_survives_a_mac_change() -> None:
    t = Tracker([nb(state=S.REACHABLE, lladdr=MAC1)], now=0.0)
    t.apply(NOTIFY_NEW, nb(state=S.STALE, lladdr=MAC1), now=1.0)
    mac = t.apply(NOTIFY_NEW, nb(state=S.STALE, lladdr=MAC2), now=3.0)
    assert mac is not None
    assert mac.seconds == 2.0
    stale = t.apply(NOTIFY_NEW, nb(state=S.DELAY, lladdr=MAC2), now=4.0)
    assert stale is not None
    assert stale.seconds == 3.0  # STALE since 1.0, across the MAC change


def test_losing_the_address_on_failure_is_not_a_mac_change() -> None:
    t = Tracker([nb(state=S.REACHABLE)], now=0.0)
    event = t.apply(NOTIFY_NEW, nb(state=S.FAILED, lladdr=None), now=1.0)
    assert event is not None
    assert not event.lladdr_changed


def test_a_notification_that_changes_nothing_is_dropped() -> None:
    # Subscribing before the initial read can deliver a change we already read.
    t = Tracker([nb(state=S.STALE)], now=0.0)
    assert t.apply(NOTIFY_NEW, nb(state=S.STALE), now=1.0) is None
    assert t.table() == [nb(state=S.STALE)]


def test_delete_known_and_unknown() -> None:
    t = Tracker([nb()], now=0.0)
    gone = t.apply(NOTIFY_DEL, nb(state=S.FAILED, lladdr=None), now=3.0)
    assert gone is not None
    assert gone.kind == DEL
    assert gone.previous == nb()
    assert t.table() == []
    never_seen = t.apply(NOTIFY_DEL, nb("10.0.0.11"), now=4.0)
    assert never_seen is not None
    assert never_seen.kind == DEL
    assert never_seen.previous is None


def test_miss_is_always_reported_and_records_the_state() -> None:
    t = Tracker()
    incomplete = nb("10.0.0.99", S.INCOMPLETE, None)
    first = t.apply(NOTIFY_MISS, incomplete, now=1.0)
    again = t.apply(NOTIFY_MISS, incomplete, now=1.1)
    assert first is not None
    assert first.kind == MISS
    assert first.previous is None
    assert again is not None
    assert again.kind == MISS
    assert again.previous == incomplete
    failed = t.apply(NOTIFY_NEW, nb("10.0.0.99", S.FAILED, None), now=1.5)
    assert failed is not None
    assert failed.kind == CHANGE
    assert failed.previous == incomplete
    assert failed.seconds == 0.5


def test_initial_entries_use_the_kernels_updated_age() -> None:
    t = Tracker([nb(updated=30.0)], now=100.0)
    event = t.apply(NOTIFY_NEW, nb(state=S.DELAY, updated=0.0), now=105.0)
    assert event is not None
    assert event.seconds == 35.0
    unknown = Tracker([nb(updated=None)], now=100.0)
    event = unknown.apply(NOTIFY_NEW, nb(state=S.DELAY), now=105.0)
    assert event is not None
    assert event.seconds is None


def test_key_separates_family_device_and_proxy() -> None:
    plain = nb()
    keys = {
        key_of(plain),
        key_of(replace(plain, ifindex=3)),
        key_of(replace(plain, flags=NeighFlag.PROXY)),
        key_of(nb("fd00::10")),
    }
    assert len(keys) == 4
    # The device name is not part of the key: a rename is not a new entry.
    assert key_of(replace(plain, dev="eth9")) == key_of(plain)


def test_resync_emits_the_differences_marked() -> None:
    t = Tracker([nb("10.0.0.1"), nb("10.0.0.2"), nb("10.0.0.3")], now=0.0)
    events = t.resync(
        [nb("10.0.0.1"), nb("10.0.0.2", S.REACHABLE), nb("10.0.0.4")], now=1.0, wall=5.0
    )
    by_dst = {e.entry.dst: e for e in events}
    assert set(by_dst) == {"10.0.0.2", "10.0.0.3", "10.0.0.4"}
    assert all(e.resync for e in events)
    assert by_dst["10.0.0.2"].kind == CHANGE
    assert by_dst["10.0.0.2"].previous == nb("10.0.0.2")
    assert by_dst["10.0.0.3"].kind == DEL
    assert by_dst["10.0.0.4"].kind == NEW
    assert sorted(n.dst for n in t.table()) == ["10.0.0.1", "10.0.0.2", "10.0.0.4"]


ENTRY = st.builds(
    nb,
    dst=st.sampled_from(["10.0.0.1", "10.0.0.2", "fd00::1"]),
    state=st.sampled_from([S.INCOMPLETE, S.REACHABLE, S.STALE, S.DELAY, S.FAILED]),
    lladdr=st.sampled_from([None, MAC1, MAC2]),
    ifindex=st.sampled_from([2, 3]),
)
NOTIFY = st.sampled_from([NOTIFY_NEW, NOTIFY_NEW, NOTIFY_DEL, NOTIFY_MISS])


@given(
    st.lists(ENTRY, max_size=6),
    st.lists(st.tuples(NOTIFY, ENTRY), max_size=30),
    st.lists(ENTRY, max_size=6),
)
def test_tracker_follows_the_kernel_and_resync_converges(
    initial: list[Neighbor], notes: list[tuple[str, Neighbor]], final: list[Neighbor]
) -> None:
    t = Tracker(initial, now=0.0)
    model = {key_of(n): n for n in initial}
    for i, (notify, n) in enumerate(notes):
        before = model.get(key_of(n))
        event = t.apply(notify, n, now=float(i))
        if notify == NOTIFY_DEL:
            model.pop(key_of(n), None)
            assert event is not None
            assert event.kind == DEL
        else:
            model[key_of(n)] = n
            if notify == NOTIFY_MISS:
                assert event is not None
                assert event.kind == MISS
            elif before is not None and (before.state, before.lladdr) == (n.state, n.lladdr):
                assert event is None
            else:
                assert event is not None
                assert event.previous == before
        assert {key_of(x): x for x in t.table()} == model
    fresh = {key_of(n): n for n in final}
    events = t.resync(fresh.values(), now=100.0)
    assert {key_of(x): x for x in t.table()} == fresh
    # Replaying the resync events on the old view gives the new one.
    for e in events:
        if e.kind == DEL:
            model.pop(key_of(e.entry), None)
        else:
            model[key_of(e.entry)] = e.entry
    assert {k: (v.state, v.lladdr) for k, v in model.items()} == {
        k: (v.state, v.lladdr) for k, v in fresh.items()
    }


# --- EventFilter -------------------------------------------------------------


def test_state_filter_passes_an_entry_leaving_the_state() -> None:
    passes = EventFilter(NeighFilter(states=state_mask(["reachable"])))
    leaving = Event(CHANGE, nb(state=S.STALE), 0.0, nb(state=S.REACHABLE))
    unrelated = Event(CHANGE, nb(state=S.DELAY), 0.0, nb(state=S.STALE))
    assert passes(leaving)
    assert not passes(unrelated)
    assert not passes(Event(NEW, nb(state=S.STALE), 0.0))


def test_event_filter_lets_proxy_entries_through_and_keeps_other_criteria() -> None:
    filt = NeighFilter(dev="veth0", prefix=ipaddress.ip_network("10.0.0.0/24"), states=ALL_STATES)
    passes = EventFilter(filt)
    assert passes(Event(NEW, nb(flags=NeighFlag.PROXY, state=S.NONE, lladdr=None), 0.0))
    assert not passes(Event(NEW, nb(dev="br0"), 0.0))
    assert not passes(Event(NEW, nb("10.0.1.1"), 0.0))
    assert not passes(Event(NEW, nb("fd00::1"), 0.0))


# --- rendering ---------------------------------------------------------------


def test_event_json_has_show_fields_previous_and_resync() -> None:
    event = Event(
        CHANGE, nb(state=S.REACHABLE, lladdr=MAC2), 0.0, nb(state=S.STALE), seconds=1.23456
    )
    obj = event_json(event)
    assert obj["event"] == "change"
    assert obj["dst"] == "10.0.0.10"
    assert obj["dev"] == "veth0"
    assert obj["lladdr"] == MAC2
    assert obj["state"] == ["REACHABLE"]
    assert obj["family"] == "inet"
    assert obj["flags"] == []
    assert obj["previous"] == {"state": ["STALE"], "lladdr": MAC1, "seconds": 1.235}
    assert obj["resync"] is False
    assert obj["time"].startswith("1970-01-01T") or obj["time"].startswith("1969-12-31T")
    line = event_json_line(Event(NEW, nb(), 0.0, resync=True))
    assert line.endswith("\n")
    assert "\n" not in line[:-1]
    parsed = json.loads(line)
    assert parsed["previous"] is None
    assert parsed["resync"] is True


def test_event_line_shows_transitions() -> None:
    change = event_line(Event(CHANGE, nb(state=S.DELAY), 0.0, nb(state=S.STALE), seconds=75.0))
    assert (
        " change 10.0.0.10 dev veth0 lladdr 02:00:00:00:00:01 STALE → DELAY (STALE for 1m15s)"
        in (change)
    )
    deleted = event_line(Event(DEL, nb(state=S.FAILED, lladdr=None), 0.0, nb()), arrow="->")
    assert deleted.rstrip().endswith("10.0.0.10 dev veth0 FAILED -> deleted")
    new = event_line(Event(NEW, nb(flags=NeighFlag.ROUTER), 0.0, resync=True))
    assert new.rstrip().endswith("router STALE [resync]")
    assert "\x1b[" not in change + deleted + new


def test_mac_change_stands_out_in_colour() -> None:
    event = Event(CHANGE, nb(lladdr=MAC2), 0.0, nb(lladdr=MAC1), seconds=2.0)
    plain = event_line(event)
    assert f"lladdr {MAC1} → {MAC2} STALE (STALE for 2.0s)" in plain
    coloured = event_line(event, color=True)
    assert f"\x1b[1;33mlladdr {MAC1} → {MAC2}\x1b[0m" in coloured
    assert "\x1b[33mSTALE\x1b[0m" in coloured


# --- decoding notifications --------------------------------------------------


def _message(kind: int, dst: str, state: int, lladdr: bytes | None) -> bytes:
    attrs = struct.pack("=HH", 8, 1) + bytes(ipaddress.ip_address(dst).packed)
    if lladdr is not None:
        attrs += struct.pack("=HH", 10, 2) + lladdr + b"\0\0"
    body = struct.pack("=BxxxiHBB", AF_INET, 2, state, 0, 1) + attrs
    return struct.pack("=IHHII", 16 + len(body), kind, 0, 0, 0) + body


def test_decode_events_tags_each_message_type() -> None:
    links = LinkInfo()
    links.names[2] = "veth0"
    mac = bytes.fromhex("020000000001")
    buf = (
        _message(RTM_NEWNEIGH, "10.0.0.1", 0x04, mac)
        + _message(RTM_DELNEIGH, "10.0.0.2", 0x20, None)
        + _message(RTM_GETNEIGH, "10.0.0.3", 0x01, None)
        + _message(99, "10.0.0.4", 0x04, mac)
    )
    out: list[tuple[int, Neighbor]] = []
    decode_neigh_events(buf, links, out)
    assert [(k, n.dst, n.state, n.lladdr, n.dev) for k, n in out] == [
        (RTM_NEWNEIGH, "10.0.0.1", S.STALE, MAC1, "veth0"),
        (RTM_DELNEIGH, "10.0.0.2", S.FAILED, None, "veth0"),
        (RTM_GETNEIGH, "10.0.0.3", S.INCOMPLETE, None, "veth0"),
    ]
    # The dump decoder still reads RTM_NEWNEIGH only (into rows: dst is field 1).
    plain: list[Row] = []
    decode_neigh_batch(memoryview(buf), links, plain)
    assert [row[1] for row in plain] == ["10.0.0.1"]
