"""The views fed batch by batch (as `show` streams a dump) print what they print for the
whole list at once, whatever the batches; rows and Neighbors are one shape."""

from __future__ import annotations

import itertools
import json
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighctl.model import (
    AF_INET,
    ROW_FIELDS,
    Neighbor,
    NeighFlag,
    NudState,
    Row,
    as_row,
    fast_neighbor,
)
from neighctl.render import entry_view, render_entries, render_json
from neighctl.render.table import TableView
from tests.strategies import neighbors
from tests.views import VIEW_OPTIONS, streamed, whole


def split(items: list[Neighbor], cuts: list[int]) -> list[list[Row]]:
    rows = [as_row(n) for n in items]
    bounds = sorted({0, len(rows), *(c % (len(rows) + 1) for c in cuts)})
    return [rows[a:b] for a, b in itertools.pairwise(bounds)]


@given(
    st.lists(neighbors(), max_size=30),
    st.lists(st.integers(0, 60), max_size=6),
    st.sampled_from(VIEW_OPTIONS),
)
def test_batches_print_what_the_whole_list_prints(
    entries: list[Neighbor], cuts: list[int], options: dict[str, typing.Any]
) -> None:
    batches = split(entries, cuts)
    assert streamed(entry_view(**options), batches) == whole(entries, options)
    # An empty batch changes nothing (the decoder never yields one; a caller may).
    assert streamed(entry_view(**options), [[], *batches, []]) == whole(entries, options)


@given(st.lists(neighbors(), max_size=30), st.sampled_from(["table", "json", "ip"]))
def test_render_entries_is_the_view_over_rows(entries: list[Neighbor], view: str) -> None:
    rows = [as_row(n) for n in entries]
    assert render_entries(entries, view) == streamed(entry_view(view), [rows])


@given(neighbors())
def test_a_row_is_a_neighbor_taken_apart(n: Neighbor) -> None:
    row = as_row(n)
    assert row == tuple(getattr(n, name) for name in ROW_FIELDS)
    assert fast_neighbor(*row) == n
    assert as_row(fast_neighbor(*row)) == row


def test_row_fields_are_the_neighbor_fields_in_order() -> None:
    import dataclasses

    assert tuple(f.name for f in dataclasses.fields(Neighbor)) == ROW_FIELDS
    assert len(typing.get_args(Row)) == len(ROW_FIELDS)


def n4(dst: str, dev: str = "eth0", **kw: typing.Any) -> Neighbor:
    return Neighbor(AF_INET, dst, dev, kw.pop("state", NudState.REACHABLE), **kw)


def test_a_wider_address_in_a_later_batch_widens_every_row() -> None:
    view = TableView()
    assert view.rows([as_row(n4("10.0.0.1", lladdr="02:00:00:00:00:01"))]) == ""
    assert view.rows([as_row(n4("192.168.100.200", dev="bridge-long"))]) == ""
    lines = "".join(view.close()).splitlines()
    assert lines == [
        "ADDRESS          DEVICE       LLADDR             STATE      FLAGS",
        "10.0.0.1         eth0         02:00:00:00:00:01  REACHABLE  -",
        "192.168.100.200  bridge-long  -                  REACHABLE  -",
    ]


def test_json_view_writes_the_bracket_with_the_first_object() -> None:
    view = entry_view("json")
    assert "".join(view.close()) == "[]\n"
    view = entry_view("json")
    first = view.rows([as_row(n4("10.0.0.1"))])
    assert first.startswith('[{"dst":"10.0.0.1"')
    assert view.rows([as_row(n4("10.0.0.2"))]).startswith(',{"dst":"10.0.0.2"')
    assert "".join(view.close()) == "]\n"


def test_the_table_keeps_compact_columns_not_entries() -> None:
    """What the table holds per batch: joined strings, bytes, shared device names."""
    view = TableView()
    rows = [
        as_row(n4(f"10.0.{i // 256}.{i % 256}", lladdr="02:00:00:00:00:01")) for i in range(500)
    ]
    view.rows(rows)
    (batch,) = view._batches
    assert isinstance(batch.dsts, str)
    assert batch.dsts.count("\n") == 499
    assert isinstance(batch.lladdrs, str)
    assert isinstance(batch.states, bytes)
    assert len(batch.states) == 500
    assert batch.flags is None
    assert batch.stats is None
    assert {id(d) for d in batch.devs} == {id(rows[0][2])}


@pytest.mark.parametrize("flags", [NeighFlag.ROUTER, NeighFlag(0)])
def test_json_device_names_are_escaped_as_json_dumps_does(flags: NeighFlag) -> None:
    for dev in ['we"ird', "back\\slash", "网卡0", "tab\x7f", "ctl\x01", "", "eth0"]:
        n = Neighbor(AF_INET, "10.0.0.1", dev, NudState.STALE, flags, ifindex=3)
        (obj,) = json.loads(render_json([n]))
        assert obj.get("dev", "") == dev
        expected = f',"dev":{json.dumps(dev)}' if dev else ""
        assert ('{"dst":"10.0.0.1"' + expected) in render_json([n])


@given(st.lists(neighbors(), max_size=40), st.sampled_from(["json", "ip"]), st.booleans())
def test_iter_entries_joined_is_render_entries(
    entries: list[Neighbor], view: str, stats: bool
) -> None:
    from neighctl.render import iter_entries, row_batches

    assert "".join(iter_entries(iter(entries), view, stats=stats)) == render_entries(
        entries, view, stats=stats
    )
    batches = list(row_batches(iter(entries), size=7))
    assert [row for rows in batches for row in rows] == [as_row(n) for n in entries]
    assert all(0 < len(rows) <= 7 for rows in batches)
