"""One entry by exact lookup (`get`), and where else an address has entries.

The lookup is RTM_GETNEIGH for one (address, device) pair, as `ip neigh get`
sends it (net/core/neighbour.c, neigh_get()); kernels before 5.0 lack it and
fall back to a dump of the device (mutate.lookup).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from neighctl.filters import ALL_STATES, NeighFilter
from neighctl.kernel import mutate
from neighctl.kernel.dump import dump_neighbors
from neighctl.model import NO_FLAGS, Neighbor, NeighFlag
from neighctl.validate import NeighRequest

if TYPE_CHECKING:
    from neighctl.kernel.handle import Kernel


def get_entry(k: Kernel, req: NeighRequest) -> Neighbor | None:
    """The entry (or, for a proxy request, the proxy entry) for req.dst on req.dev, or None.

    Raises NoSuchDeviceError if the device does not exist.
    """
    dev = k.device(req.dev)
    return mutate.lookup(k, req, dev.index)


@dataclass(frozen=True, slots=True)
class Whereabouts:
    """Where an address has entries other than the one asked for.

    ``other_table`` is the entry in the other table on the same device (the
    proxy entry when a neighbour entry was asked for, and the other way
    round); ``other_devices`` are the address's entries (of the same kind)
    on other devices, in every state.
    """

    other_table: Neighbor | None
    other_devices: list[Neighbor]


def whereabouts(k: Kernel, req: NeighRequest) -> Whereabouts:
    """Look for req.dst in the other table and on the other devices (one lookup, one dump)."""
    dev = k.device(req.dev)
    flipped = replace(req, flags=NO_FLAGS if req.proxy else NeighFlag.PROXY)
    other = mutate.lookup(k, flipped, dev.index)
    filt = NeighFilter(
        family=req.family,
        prefix=ipaddress.ip_network(req.dst),
        states=ALL_STATES,
        proxy=req.proxy,
    )
    elsewhere = [n for n in dump_neighbors(k.route, filt) if n.ifindex != dev.index]
    return Whereabouts(other, elsewhere)
