"""`ip -j neigh` as the witness of what a command changed in a lab."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from tests.lab import Lab


def _unicast(entry: dict[str, Any]) -> bool:
    # The kernel adds NOARP entries for multicast groups (ff02::2, ff02::16, ...)
    # on its own while a lab's links come up; they are no command's doing.
    return not ipaddress.ip_address(entry["dst"]).is_multicast


def snapshot(lab: Lab) -> str:
    """The whole table (every state) and the proxy table, as comparable text."""
    table = [e for e in lab.ip_json("neigh", "show", "nud", "all") if _unicast(e)]
    proxy = lab.ip_json("neigh", "show", "proxy")
    key = lambda e: (e["dev"], e["dst"])  # noqa: E731
    return json.dumps(
        {"neigh": sorted(table, key=key), "proxy": sorted(proxy, key=key)}, sort_keys=True
    )


def entry(lab: Lab, dst: str, dev: str = "veth0", *, proxy: bool = False) -> dict[str, Any] | None:
    """The entry for dst on dev as `ip -j neigh` shows it, or None."""
    args = ("neigh", "show", "proxy") if proxy else ("neigh", "show", "nud", "all")
    for e in lab.ip_json(*args, "dev", dev):
        if e["dst"] == dst:
            e.setdefault("dev", dev)
            return e
    return None


def flags(e: dict[str, Any]) -> set[str]:
    """iproute2's JSON puts each flag as a key with a null value."""
    words = {"router", "proxy", "extern_learn", "managed", "offload", "extern_valid"}
    return {k for k in e if k in words}
