"""Read the neighbour table from the kernel: the library entry point for `show`.

One dump, one decoder, two ways to take it: ``dump_neighbors`` and
``read_neighbors`` return a list of Neighbor objects; ``neighbor_rows`` and
``read_neighbor_rows`` yield the same entries as rows (model.Row), a batch
per received datagram, for a view that renders each batch and lets it go
(`show` holds no more than one datagram's entries, whatever the table's size).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import starmap

from neighctl.errors import KernelError
from neighctl.filters import NeighFilter
from neighctl.kernel.decode import DUMP_DONE, DUMP_INTERRUPTED, LinkInfo, decode_neigh_batch
from neighctl.kernel.device import link_index
from neighctl.kernel.netlink import DumpInterrupted, RouteSocket
from neighctl.kernel.proto import (
    IFINFOMSG,
    NDA_IFINDEX,
    NDMSG,
    NTF_PROXY,
    RTM_GETLINK,
    RTM_GETNEIGH,
    U32,
    attr,
)
from neighctl.model import Neighbor, Row, fast_neighbor

MAX_DUMP_ATTEMPTS = 10


def read_links(sock: RouteSocket) -> LinkInfo:
    """One RTM_GETLINK dump: every interface's name and type, by index."""
    for _attempt in range(MAX_DUMP_ATTEMPTS):
        links = LinkInfo()
        try:
            for batch in sock.dump_batches(
                RTM_GETLINK, IFINFOMSG.pack(0, 0, 0, 0, 0), "listing devices"
            ):
                links.add_batch(batch)
        except DumpInterrupted:
            continue
        return links
    raise KernelError("the device list kept changing while it was read; try again")


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (restored after).

    A dump allocates an object or a tuple per entry and frees none of them
    until it ends; every 700 allocations the collector would walk the young
    ones, and now and then everything built so far. Rows and Neighbors hold
    no cycles, so that work finds nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def neighbor_rows(
    sock: RouteSocket,
    filt: NeighFilter | None = None,
    *,
    ifindex: int = 0,
    links: LinkInfo | None = None,
) -> Iterator[list[Row]]:
    """One dump of the table over an open socket: a list of rows per datagram received.

    The family, the proxy table and the device (NDA_IFINDEX) are chosen in the
    request; the rest of the filter is applied while decoding. Empty batches
    are not yielded. Raises DumpInterrupted after the last batch if the kernel
    flagged the dump as inconsistent (NLM_F_DUMP_INTR; current kernels never
    do for neighbours: neigh_dump_table has no consistency check), so a caller
    that has not used the rows yet can dump again.
    """
    filt = filt or NeighFilter()
    family = filt.effective_family or 0
    flags = NTF_PROXY if filt.proxy else 0
    payload = NDMSG.pack(family, 0, 0, flags, 0)
    if ifindex:
        payload += attr(NDA_IFINDEX, U32.pack(ifindex))
    if links is None:
        links = LinkInfo()
        if ifindex and filt.dev is not None:
            links.names[ifindex] = filt.dev
        else:
            links = read_links(sock)
    # The state mask is applied inside the decoder; only the rest calls the filter.
    keep = filt.matches_row if (filt.dev or filt.prefix is not None) else None
    states = filt.states
    status = 0
    with gc_paused():
        for batch in sock.start_dump(RTM_GETNEIGH, payload):
            rows: list[Row] = []
            status |= decode_neigh_batch(batch, links, rows, keep, states)
            if rows:
                yield rows
            if status & DUMP_DONE:
                break
    if status & DUMP_INTERRUPTED:
        raise DumpInterrupted("reading the neighbour table")


def dump_neighbors(
    sock: RouteSocket,
    filt: NeighFilter | None = None,
    *,
    ifindex: int = 0,
    links: LinkInfo | None = None,
) -> list[Neighbor]:
    """Dump the table over an open socket, filtering in the kernel where it can.

    A dump the kernel flags as interrupted is done again (up to
    MAX_DUMP_ATTEMPTS times, then KernelError), never returned half-done.
    """
    for _attempt in range(MAX_DUMP_ATTEMPTS):
        out: list[Neighbor] = []
        try:
            with gc_paused():
                for rows in neighbor_rows(sock, filt, ifindex=ifindex, links=links):
                    out += starmap(fast_neighbor, rows)
        except DumpInterrupted:
            continue
        return out
    raise KernelError("the neighbour table kept changing while it was read; try again")


def read_neighbors(filt: NeighFilter | None = None, *, netns: str | None = None) -> list[Neighbor]:
    """The kernel's neighbour entries that pass ``filt``, in namespace ``netns``."""
    filt = filt or NeighFilter()
    with RouteSocket(netns) as sock:
        ifindex = link_index(sock, filt.dev) if filt.dev is not None else 0
        return dump_neighbors(sock, filt, ifindex=ifindex)


def read_neighbor_rows(
    filt: NeighFilter | None = None, *, netns: str | None = None
) -> Iterator[list[Row]]:
    """The entries read_neighbors() returns, as batches of rows while the dump arrives.

    Nothing is read until the first batch is asked for; errors (no such
    namespace or device, permission) are raised then. The socket is closed
    when the iteration ends. Raises KernelError at the end if the kernel
    flagged the dump (see neighbor_rows): the rows already yielded may then
    be inconsistent (`ip` warns "Dump was interrupted" and exits 1).
    """
    filt = filt or NeighFilter()
    with RouteSocket(netns) as sock:
        ifindex = link_index(sock, filt.dev) if filt.dev is not None else 0
        try:
            yield from neighbor_rows(sock, filt, ifindex=ifindex)
        except DumpInterrupted:
            raise KernelError(
                "the neighbour table changed while it was read: the entries printed "
                "may be inconsistent; try again"
            ) from None


__all__ = [
    "dump_neighbors",
    "gc_paused",
    "link_index",
    "neighbor_rows",
    "read_links",
    "read_neighbor_rows",
    "read_neighbors",
]
