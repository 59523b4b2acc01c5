"""pyroute2 for every request outside the two hot paths: links, one entry, add/replace/del.

pyroute2 is imported here, inside functions, and nowhere else in the read
path: importing it costs 0.25-0.5 s, which `show`, `--help` and `explain
STATE` never pay. Sockets are opened inside ``netns.entered`` (pyroute2's own
``netns=`` argument creates a missing namespace unless given ``flags=0``; we
never hand it a name).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from neighctl.errors import NeighctlError, NoSuchDeviceError
from neighctl.kernel.netlink import error_from_errno
from neighctl.kernel.netns import entered
from neighctl.kernel.proto import KNOWN_EXT_FLAGS, NTF_PROXY, USER_HZ
from neighctl.model import EXT_FLAG_SHIFT, Neighbor, neigh_flags, nud_state
from neighctl.validate import DeviceInfo, NeighRequest

T = TypeVar("T")


def open_iproute(netns: str | int | None = None) -> Any:
    """A pyroute2 IPRoute bound inside ``netns`` (a name, an open fd, or None)."""
    from pyroute2 import IPRoute

    with entered(netns):
        # ext_ack: refusals carry the kernel's own reason ("No link layer address given").
        return IPRoute(ext_ack=True)


@contextmanager
def kernel_errors(what: str) -> Iterator[None]:
    """pyroute2's NetlinkError as our error (errno, with what we were doing)."""
    from pyroute2.netlink.exceptions import NetlinkError

    try:
        yield
    except NetlinkError as exc:
        raise error_from_errno(exc.code, what, _detail(exc)) from None


def _detail(exc: Any) -> str | None:
    """The extended-ack text pyroute2 puts where strerror would be, if any."""
    text = exc.args[1] if len(exc.args) > 1 else None
    if not isinstance(text, str) or text == os.strerror(exc.code):
        return None
    return text.strip().rstrip(".") or None


def call(what: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with kernel_errors(what):
        return func(*args, **kwargs)


def _ifname(name: str) -> str | bytes:
    """``name`` as pyroute2 can send it: bytes when it holds surrogate escapes
    (a name that is not UTF-8, as the shell passed it), which pyroute2 cannot encode."""
    try:
        name.encode()
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape")
    return name


def device_info(ipr: Any, name: str) -> DeviceInfo:
    """What `add` must know of device ``name``; NoSuchDeviceError if there is none."""
    missing = NoSuchDeviceError(f"device {name!r} does not exist", "list devices with `ip link`")
    try:
        links = call(f"looking up device {name!r}", ipr.link, "get", ifname=_ifname(name))
    except NeighctlError:  # ENODEV, or EINVAL for a name the kernel cannot hold
        raise missing from None
    if not links:
        raise missing
    link = links[0]
    address = link.get_attr("IFLA_ADDRESS")
    families: set[str] = set()
    ipv6_disabled = False
    spec = link.get_attr("IFLA_AF_SPEC")
    if spec is not None:
        families = {kind for kind, _ in spec["attrs"]}
        inet6 = spec.get_attr("AF_INET6")
        conf = inet6.get_attr("IFLA_INET6_CONF") if inet6 is not None else None
        if conf:
            ipv6_disabled = int(conf.get("disable_ipv6", 0)) > 0
    return DeviceInfo(
        name=name,
        index=int(link["index"]),
        link_type=int(link["ifi_type"]),
        flags=int(link["flags"]),
        addr_len=len(bytes.fromhex(address.replace(":", ""))) if address else 0,
        has_ipv4="AF_INET" in families,
        has_ipv6="AF_INET6" in families,
        ipv6_disabled=ipv6_disabled,
    )


def addresses(ipr: Any, index: int) -> list[tuple[int, str, int]]:
    """The device's own addresses as (family, address, prefix length) (RTM_GETADDR)."""
    out = []
    for msg in call("listing the device's addresses", ipr.addr, "dump", index=index):
        local = msg.get_attr("IFA_LOCAL") or msg.get_attr("IFA_ADDRESS")
        if local is not None:
            out.append((int(msg["family"]), str(local), int(msg["prefixlen"])))
    return out


def to_neighbor(msg: Any, dev: str) -> Neighbor:
    """A pyroute2 ndmsg as a Neighbor (ages from NDA_CACHEINFO clock ticks to seconds)."""
    ci = msg.get_attr("NDA_CACHEINFO")
    ext = msg.get_attr("NDA_FLAGS_EXT") or 0
    protocol = msg.get_attr("NDA_PROTOCOL")
    return Neighbor(
        family=int(msg["family"]),
        dst=msg.get_attr("NDA_DST"),
        dev=dev,
        state=nud_state(int(msg["state"]) & 0xFF),
        flags=neigh_flags(int(msg["flags"]) | ((ext & KNOWN_EXT_FLAGS) << EXT_FLAG_SHIFT)),
        lladdr=msg.get_attr("NDA_LLADDR"),
        ifindex=int(msg["ifindex"]),
        refcnt=None if ci is None else int(ci["ndm_refcnt"]),
        used=None if ci is None else ci["ndm_used"] / USER_HZ,
        confirmed=None if ci is None else ci["ndm_confirmed"] / USER_HZ,
        updated=None if ci is None else ci["ndm_updated"] / USER_HZ,
        probes=msg.get_attr("NDA_PROBES"),
        protocol=int(protocol) or None if protocol is not None else None,
    )


def _key(req: NeighRequest, ifindex: int) -> dict[str, Any]:
    return {
        "dst": req.dst,
        "ifindex": ifindex,
        "family": req.family,
        "flags": NTF_PROXY if req.proxy else 0,
    }


def get_neighbor(ipr: Any, req: NeighRequest, ifindex: int) -> Neighbor | None:
    """The entry (or proxy entry) for req.dst on ``ifindex`` (RTM_GETNEIGH), or None."""
    from pyroute2.netlink.exceptions import NetlinkError

    try:
        replies = ipr.neigh("get", **_key(req, ifindex))
    except NetlinkError as exc:
        if exc.code in (2, 3):  # ENOENT, ESRCH
            return None
        raise error_from_errno(exc.code, f"reading {req.what}", _detail(exc)) from None
    return to_neighbor(replies[0], req.dev) if replies else None


def set_neighbor(ipr: Any, req: NeighRequest, ifindex: int, *, replace: bool, what: str) -> None:
    """RTM_NEWNEIGH: create (CREATE|EXCL) or, with ``replace``, create or replace."""
    fields = _key(req, ifindex)
    fields["flags"] = int(req.flags) & 0xFF  # PROXY, ROUTER, EXT_LEARNED: all in ndm_flags
    fields["state"] = int(req.state)
    if req.lladdr is not None:
        fields["lladdr"] = req.lladdr
    call(what, ipr.neigh, "replace" if replace else "add", **fields)


def delete_neighbor(ipr: Any, req: NeighRequest, ifindex: int) -> None:
    """RTM_DELNEIGH for the entry (or proxy entry); NotFoundError if there is none."""
    call(f"deleting {req.what}", ipr.neigh, "del", **_key(req, ifindex))


RTN_UNICAST = 1
RTN_LOCAL = 2


def route_to(dst: str) -> tuple[str, int | None]:
    """How the namespace we are in routes ``dst`` (RTM_GETROUTE, as `ip route get`).

    ("unicast", oif) or ("local", oif); ("none", None) when the kernel has no
    usable route (no route, or an unreachable, blackhole or prohibit one);
    ("other", None) for any other route type.
    """
    from pyroute2.netlink.exceptions import NetlinkError

    ipr = open_iproute()
    try:
        found = ipr.route("get", dst=dst)
    except NetlinkError:
        return "none", None
    finally:
        ipr.close()
    if not found:
        return "none", None
    msg = found[0]
    oif = msg.get_attr("RTA_OIF")
    kind = {RTN_UNICAST: "unicast", RTN_LOCAL: "local"}.get(int(msg["type"]), "other")
    return kind, None if oif is None or kind == "other" else int(oif)


def close(ipr: Any) -> None:
    if ipr is not None:
        ipr.close()


__all__ = [
    "addresses",
    "call",
    "close",
    "delete_neighbor",
    "device_info",
    "get_neighbor",
    "kernel_errors",
    "open_iproute",
    "route_to",
    "set_neighbor",
    "to_neighbor",
]
