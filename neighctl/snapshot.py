"""A node's neighbour state at one moment, from the kernel or from saved outputs (stdlib only).

The doctor's checks and the metrics exporter are pure functions of a
``Snapshot``; ``neighctl.kernel.snapshot`` fills one from the live kernel and
``neighctl.parse`` fills one from a sosreport or other saved outputs. Every
field a source could not provide is None (not known), never an empty value
that would read as "there is none".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neighctl.model import Neighbor
from neighctl.timers import NeighParms, TableParms

# IFF_* bits of ifinfomsg.ifi_flags (include/uapi/linux/if.h).
IFF_UP = 0x1
IFF_LOOPBACK = 0x8
IFF_LOWER_UP = 0x10000


@dataclass(frozen=True, slots=True)
class Vxlan:
    """A vxlan device's details (IFLA_VXLAN_*): VNI, local VTEP address, underlay."""

    vni: int | None = None
    local: str | None = None
    group: str | None = None  # multicast group or remote, if set
    port: int | None = None
    underlay: str | None = None  # the device VTEP traffic leaves by, if pinned
    learning: bool | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """One interface: ``kind`` is the rtnl link kind (veth, vxlan, bridge, ...; None for
    physical devices), ``flags`` the IFF_* bits, ``master`` the bridge/VRF it is enslaved to."""

    index: int
    name: str
    kind: str | None = None
    mac: str | None = None
    flags: int = 0
    mtu: int | None = None
    master: str | None = None
    vxlan: Vxlan | None = None

    @property
    def up(self) -> bool:
        return bool(self.flags & IFF_UP)


@dataclass(frozen=True, slots=True)
class Address:
    """An address on an interface (`ip addr`): family, address, prefix length, device."""

    family: int
    address: str
    prefixlen: int
    dev: str
    broadcast: str | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """One route of the main or another table.

    ``dst`` is a prefix in CIDR form, or "default"; ``gateway`` the next hop
    (None for a directly connected route); ``dev`` the output device.
    """

    family: int
    dst: str
    dev: str | None = None
    gateway: str | None = None
    table: int = 254
    protocol: int | None = None
    scope: int | None = None
    type: int = 1  # RTN_UNICAST
    onlink: bool = False


@dataclass(frozen=True, slots=True)
class FdbEntry:
    """One bridge forwarding-database entry (`bridge fdb show`, AF_BRIDGE RTM_GETNEIGH).

    On a vxlan device, ``dst`` is the remote VTEP's IP address the MAC is
    reached through (NDA_DST); ``state`` holds the NUD bits (PERMANENT for
    static entries), ``flags`` the NTF_* bits (SELF, MASTER, EXT_LEARNED, ...).
    """

    mac: str
    dev: str
    dst: str | None = None
    vni: int | None = None
    vlan: int | None = None
    master: str | None = None
    state: int = 0
    flags: int = 0


@dataclass(slots=True)
class NamespaceSnapshot:
    """One network namespace's view.

    ``name`` is the /run/netns name (None for a namespace without one, and for
    the namespace neighctl runs in, where ``current`` is True); ``inode`` its
    nsfs inode (the identity used to visit each namespace once); ``path`` the
    file it was entered through (/run/netns/NAME or /proc/PID/ns/net), so
    advice can say how to get in (``nsenter --net=PATH``). ``error`` says
    why the namespace could not be read (the other fields are then None).
    ``sysctls`` maps dotted names as `sysctl -a` prints them
    (``net.ipv4.conf.eth0.proxy_arp``) to their text values.
    """

    name: str | None = None
    inode: int | None = None
    current: bool = False
    path: str | None = None
    neighbors: list[Neighbor] | None = None
    links: list[Link] | None = None
    addresses: list[Address] | None = None
    routes: list[Route] | None = None
    fdb: list[FdbEntry] | None = None
    parms: list[NeighParms] | None = None
    sysctls: dict[str, str] | None = None
    error: str | None = None
    # Saved outputs: why a field above is None (field name -> "no such file ...").
    unread: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How messages and metrics name it: the netns name, or `inode:N`, or `host`."""
        if self.name:
            return self.name
        if self.current:
            return "host"
        return f"inode:{self.inode}" if self.inode is not None else "unknown"

    def sysctl(self, name: str) -> str | None:
        return None if self.sysctls is None else self.sysctls.get(name)


@dataclass(slots=True)
class Snapshot:
    """Every namespace read, and the per-family tables they share.

    ``tables`` is keyed by family (AF_INET, AF_INET6): thresholds and counters
    of the one table the whole kernel shares (net/core/neighbour.c). ``complete``
    is True when every namespace on the node was read (--all-namespaces), so
    that table-wide counts are exact; ``source`` is "live" or the path read.
    ``tables_before`` is an earlier reading of ``tables`` taken ``interval``
    seconds before (doctor --interval), so checks can see counters grow.
    """

    namespaces: list[NamespaceSnapshot] = field(default_factory=list)
    tables: dict[int, TableParms] | None = None
    complete: bool = False
    source: str = "live"
    taken_at: float | None = None  # seconds since the epoch
    tables_before: dict[int, TableParms] | None = None
    interval: float | None = None  # seconds between tables_before and tables
