"""Sysctls under /proc/sys, read in the namespace of the reading thread.

/proc/sys/net resolves against the reading task's network namespace
(net/sysctl_net.c, net_ctl_header_lookup), so callers read inside
``netns.entered`` to see another namespace's values.
"""

from __future__ import annotations

import os

from neighctl.model import AF_INET6
from neighctl.proxyrule import Sysctls

# Per-device sysctls the checks read: conf/<dev>/<name> for all, default and each device.
CONF_SYSCTLS: dict[str, tuple[str, ...]] = {
    "ipv4": ("forwarding", "proxy_arp", "proxy_arp_pvlan", "arp_ignore", "rp_filter"),
    "ipv6": ("forwarding", "proxy_ndp", "disable_ipv6", "accept_ra"),
}
GLOBAL_SYSCTLS = ("net/ipv4/ip_forward",)


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="ascii") as f:
            return f.read().strip()
    except OSError:
        return None


def read_sysctls(root: str = "/proc/sys") -> dict[str, str]:
    """The sysctls the checks use, as `sysctl -a` names them, from this thread's namespace.

    /proc/sys/net resolves against the reading task's network namespace,
    so this is called inside the namespace being read. Includes
    net.ipv{4,6}.conf.{all,default,DEV}.* of CONF_SYSCTLS and every file
    under net.ipv{4,6}.neigh.{default,DEV} (default exists only in the
    initial namespace; gc_thresh* live there).
    """
    out: dict[str, str] = {}
    for rel in GLOBAL_SYSCTLS:
        value = _read(f"{root}/{rel}")
        if value is not None:
            out[rel.replace("/", ".")] = value
    for fam, names in CONF_SYSCTLS.items():
        conf = f"{root}/net/{fam}/conf"
        for dev in _listdir(conf):
            for name in names:
                value = _read(f"{conf}/{dev}/{name}")
                if value is not None:
                    out[f"net.{fam}.conf.{dev}.{name}"] = value
        neigh = f"{root}/net/{fam}/neigh"
        for dev in _listdir(neigh):
            for name in _listdir(f"{neigh}/{dev}"):
                value = _read(f"{neigh}/{dev}/{name}")
                if value is not None:
                    out[f"net.{fam}.neigh.{dev}.{name}"] = value
    return out


def _listdir(path: str) -> list[str]:
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def _int(path: str) -> int | None:
    text = _read(path)
    try:
        return int(text.split()[0]) if text else None
    except ValueError:
        return None


def proxy_sysctls(family: int, dev: str, root: str = "/proc/sys") -> Sysctls:
    """What decides whether ``dev``'s proxy entries answer: forwarding (and proxy_ndp of
    the device and ``all`` for IPv6); the route is not read here (None)."""
    if family == AF_INET6:
        conf = f"{root}/net/ipv6/conf"
        return Sysctls(
            forwarding=_int(f"{conf}/{dev}/forwarding"),
            proxy_ndp=_int(f"{conf}/{dev}/proxy_ndp"),
            proxy_ndp_all=_int(f"{conf}/all/proxy_ndp"),
        )
    return Sysctls(forwarding=_int(f"{root}/net/ipv4/conf/{dev}/forwarding"))
