"""What a device can take: its index, link-layer address length and address families."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from neighctl.errors import KernelError, NoSuchDeviceError, NotFoundError
from neighctl.filters import validate_device_name
from neighctl.kernel.decode import IFINFOMSG, IFLA_IFNAME
from neighctl.kernel.netlink import RTM_GETLINK, RouteSocket, attr
from neighctl.model import AF_INET, AF_INET6
from neighctl.validate import DeviceInfo

NLATTR = struct.Struct("=HH")
IFLA_ADDRESS = 1
IFLA_AF_SPEC = 26
IFLA_INET6_CONF = 2  # inside IFLA_AF_SPEC/AF_INET6: an array of s32, by DEVCONF_*
DEVCONF_DISABLE_IPV6 = 26


def _attrs(buf: bytes, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    pos = start
    while pos + NLATTR.size <= end:
        length, kind = NLATTR.unpack_from(buf, pos)
        if length < NLATTR.size:
            return
        yield kind & 0x3FFF, buf[pos + NLATTR.size : pos + length]
        pos += (length + 3) & ~3


def parse_link(msg: bytes, name: str) -> DeviceInfo:
    """Decode one RTM_NEWLINK message (header included)."""
    _, link_type, index, flags, _ = IFINFOMSG.unpack_from(msg, 16)
    addr_len = 0
    families: set[int] = set()
    ipv6_disabled = False
    for kind, value in _attrs(msg, 16 + IFINFOMSG.size, len(msg)):
        if kind == IFLA_ADDRESS:
            addr_len = len(value)
        elif kind == IFLA_AF_SPEC:
            for family, spec in _attrs(value, 0, len(value)):
                families.add(family)
                if family != AF_INET6:
                    continue
                for sub, conf in _attrs(spec, 0, len(spec)):
                    if sub == IFLA_INET6_CONF and len(conf) >= 4 * (DEVCONF_DISABLE_IPV6 + 1):
                        (disabled,) = struct.unpack_from("=i", conf, 4 * DEVCONF_DISABLE_IPV6)
                        ipv6_disabled = disabled > 0
    return DeviceInfo(
        name=name,
        index=int(index),
        link_type=int(link_type),
        flags=int(flags),
        addr_len=addr_len,
        has_ipv4=AF_INET in families,
        has_ipv6=AF_INET6 in families,
        ipv6_disabled=ipv6_disabled,
    )


def device_info(sock: RouteSocket, name: str) -> DeviceInfo:
    """Look device ``name`` up in the socket's namespace; NoSuchDeviceError if it is not there."""
    validate_device_name(name)
    payload = IFINFOMSG.pack(0, 0, 0, 0, 0) + attr(IFLA_IFNAME, name.encode() + b"\0")
    missing = NoSuchDeviceError(f"device {name!r} does not exist", "list devices with `ip link`")
    try:
        replies = sock.request(RTM_GETLINK, 0, payload, f"looking up device {name!r}")
    except (NotFoundError, KernelError):  # ENODEV, or EINVAL from older kernels
        raise missing from None
    if not replies:
        raise missing
    return parse_link(replies[0], name)
