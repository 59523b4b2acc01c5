"""Read the neighbour table from the kernel: the library entry point for `show`."""

from __future__ import annotations

import struct

from neighctl.errors import KernelError
from neighctl.filters import NeighFilter
from neighctl.kernel.decode import (
    DUMP_DONE,
    DUMP_INTERRUPTED,
    IFINFOMSG,
    NDMSG,
    LinkInfo,
    decode_neigh_batch,
)
from neighctl.kernel.device import device_info
from neighctl.kernel.netlink import (
    RTM_GETLINK,
    RTM_GETNEIGH,
    DumpInterrupted,
    RouteSocket,
    attr,
)
from neighctl.model import Neighbor, NeighFlag

NDA_IFINDEX = 8
MAX_DUMP_ATTEMPTS = 10


def link_index(sock: RouteSocket, name: str) -> int:
    """The ifindex of device ``name`` in the socket's namespace; NoSuchDeviceError if none."""
    return device_info(sock, name).index


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
    flags = int(NeighFlag.PROXY) if filt.proxy else 0
    payload = NDMSG.pack(family, 0, 0, flags, 0)
    if ifindex:
        payload += attr(NDA_IFINDEX, struct.pack("=I", ifindex))
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
