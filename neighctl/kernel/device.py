"""A device's index by name, over our own socket (the `show --dev` path stays off pyroute2).

Device details for changes (address length, families) come from pyroute2:
see kernel/rtnl.py.
"""

from __future__ import annotations

from neighctl.errors import KernelError, NoSuchDeviceError, NotFoundError
from neighctl.kernel.netlink import RouteSocket
from neighctl.kernel.proto import IFINFOMSG, IFLA_IFNAME, NLMSGHDR, RTM_GETLINK, attr


def link_index(sock: RouteSocket, name: str) -> int:
    """The ifindex of device ``name`` in the socket's namespace; NoSuchDeviceError if none."""
    payload = IFINFOMSG.pack(0, 0, 0, 0, 0) + attr(
        IFLA_IFNAME, name.encode("utf-8", "surrogateescape") + b"\0"
    )
    missing = NoSuchDeviceError(f"device {name!r} does not exist", "list devices with `ip link`")
    try:
        replies = sock.request(RTM_GETLINK, 0, payload, f"looking up device {name!r}")
    except (NotFoundError, KernelError):  # ENODEV, or EINVAL/ERANGE for an impossible name
        raise missing from None
    if not replies:
        raise missing
    return int(IFINFOMSG.unpack_from(replies[0], NLMSGHDR.size)[2])
