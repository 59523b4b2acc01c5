"""Read the neighbour table from the kernel: the library entry point for `show`."""

from __future__ import annotations

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
from neighctl.model import Neighbor

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


def dump_neighbors(
    sock: RouteSocket,
    filt: NeighFilter | None = None,
    *,
    ifindex: int = 0,
    links: LinkInfo | None = None,
) -> list[Neighbor]:
    """Dump the table over an open socket, filtering in the kernel where it can.

    The family, the proxy table and the device (NDA_IFINDEX) are chosen in the
    request; the rest of the filter is applied while decoding.
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
    # The state mask is applied inside the decoder; only the rest calls matches().
    keep = filt.matches if (filt.dev or filt.prefix is not None) else None
    for _attempt in range(MAX_DUMP_ATTEMPTS):
        out: list[Neighbor] = []
        status = 0
        for batch in sock.start_dump(RTM_GETNEIGH, payload):
            status |= decode_neigh_batch(batch, links, out, keep, filt.states)
            if status & DUMP_DONE:
                break
        if not status & DUMP_INTERRUPTED:
            return out
    raise KernelError("the neighbour table kept changing while it was read; try again")


def read_neighbors(filt: NeighFilter | None = None, *, netns: str | None = None) -> list[Neighbor]:
    """The kernel's neighbour entries that pass ``filt``, in namespace ``netns``."""
    filt = filt or NeighFilter()
    with RouteSocket(netns) as sock:
        ifindex = link_index(sock, filt.dev) if filt.dev is not None else 0
        return dump_neighbors(sock, filt, ifindex=ifindex)


__all__ = ["dump_neighbors", "link_index", "read_links", "read_neighbors"]
