"""`show` streams a dump batch by batch; library callers get Neighbor objects from the
same decoder. On the same dump (real datagrams from a namespace, replayed to both
paths) every view prints the same bytes either way."""

from __future__ import annotations

import typing
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from neighctl.filters import ALL_STATES, NeighFilter, build_filter
from neighctl.kernel.dump import dump_neighbors, neighbor_rows, read_links, read_neighbors
from neighctl.kernel.netlink import RouteSocket
from neighctl.kernel.proto import NDMSG, NLMSG_DONE, NLMSGHDR, NTF_PROXY, RTM_GETNEIGH, messages
from neighctl.render import render_entries
from tests.lab import Lab
from tests.views import VIEW_OPTIONS, streamed, whole

FILTERS = {
    "default": NeighFilter(),
    "all": NeighFilter(states=ALL_STATES),
    "stale-failed": build_filter(states=["stale", "failed"]),
    "prefix": build_filter("10.0.0.0/28", states=["all"]),
    "v6": build_filter(ipv6=True, states=["all"]),
    "proxy": NeighFilter(proxy=True),
}


class Replay:
    """A socket that answers a dump request with datagrams recorded from a namespace."""

    def __init__(self, batches: list[bytes]) -> None:
        self.batches = batches

    def start_dump(self, msg_type: int, payload: bytes) -> Iterator[memoryview]:
        assert msg_type == RTM_GETNEIGH
        for batch in self.batches:
            yield memoryview(batch)
        raise AssertionError("read past NLMSG_DONE")


def record(sock: RouteSocket, proxy: bool) -> list[bytes]:
    """One dump's datagrams, up to and including the one with NLMSG_DONE."""
    out = []
    for batch in sock.start_dump(RTM_GETNEIGH, NDMSG.pack(0, 0, 0, NTF_PROXY if proxy else 0, 0)):
        out.append(bytes(batch))
        if any(NLMSGHDR.unpack_from(batch, o)[1] == NLMSG_DONE for o in messages(batch)):
            return out
    raise AssertionError("no NLMSG_DONE")


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_stream_and_objects_print_the_same_bytes(populated_lab: Lab, name: str) -> None:
    filt = FILTERS[name]
    with RouteSocket(populated_lab.ns) as sock:
        links = read_links(sock)
        batches = record(sock, filt.proxy)
    objects = dump_neighbors(Replay(batches), filt, links=links)  # type: ignore[arg-type]
    rows = list(neighbor_rows(Replay(batches), filt, links=links))  # type: ignore[arg-type]
    assert objects, "the lab should have entries for every filter"
    assert sum(map(len, rows)) == len(objects)
    for options in VIEW_OPTIONS:
        assert streamed(_view(options), rows) == whole(objects, options), options


def _view(options: dict[str, typing.Any]) -> typing.Any:
    from neighctl.render import entry_view

    return entry_view(**options)


@pytest.mark.parametrize(
    "args",
    [["--color", "never"], ["--color", "always", "-s"], ["-o", "ip"], ["--state", "all"]],
    ids=["table", "color-stats", "ip", "all"],
)
def test_show_prints_what_the_object_path_renders(populated_lab: Lab, args: list[str]) -> None:
    """The CLI's stream against read_neighbors() + render_entries(), read around it.

    Ref counts can go up and back down between reads (a packet in flight), so a
    read that the ones around it agree on may still differ: a mismatch is tried
    again, and only one that never matches fails.
    """
    runner = CliRunner()
    filt = build_filter(states=["all"] if "all" in args else None)
    view = "ip" if "ip" in args else "table"
    stats = "-s" in args
    color = "always" in args
    seen = []
    for _ in range(8):
        before = render_entries(
            read_neighbors(filt, netns=populated_lab.ns), view, stats=stats, color=color
        )
        result = runner.invoke(app, ["show", "--netns", populated_lab.ns, *args])
        after = render_entries(
            read_neighbors(filt, netns=populated_lab.ns), view, stats=stats, color=color
        )
        assert result.exit_code == 0, result.output
        if before == after:
            if result.stdout == before:
                return
            seen.append((before, result.stdout))
    assert seen, "the table kept changing; could not compare"
    assert seen[-1][1] == seen[-1][0]
