"""neighctl: read, explain, diagnose and edit the Linux neighbour table (ARP and NDP).

The library surface. Names load on first use (PEP 562), so ``import neighctl``
stays as cheap as the command line needs::

    import neighctl

    with neighctl.Kernel(netns="blue") as k:
        for n in k.neighbors(neighctl.build_filter(dev="eth0", states=["stale"])):
            print(n.dst, n.lladdr, n.state.name)

    entries = neighctl.read_path("ticket-1234.txt")  # a saved `ip neigh` output
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

# Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    # entries and their values
    "Neighbor": "neighctl.model",
    "NudState": "neighctl.model",
    "NeighFlag": "neighctl.model",
    "AF_INET": "neighctl.model",
    "AF_INET6": "neighctl.model",
    "state_words": "neighctl.model",
    "flag_words": "neighctl.model",
    # selecting entries
    "NeighFilter": "neighctl.filters",
    "build_filter": "neighctl.filters",
    # reading the kernel
    "Kernel": "neighctl.kernel.handle",
    "read_neighbors": "neighctl.kernel.dump",
    # reading saved outputs
    "read_path": "neighctl.parse",
    "read_text": "neighctl.parse",
    # changing the table
    "NeighRequest": "neighctl.validate",
    "add_request": "neighctl.validate",
    "delete_request": "neighctl.validate",
    "add_neighbor": "neighctl.kernel.handle",
    "delete_neighbor": "neighctl.kernel.handle",
    "flush_neighbors": "neighctl.kernel.handle",
    "flush_filter": "neighctl.kernel.mutate",
    "Change": "neighctl.kernel.mutate",
    "FlushResult": "neighctl.kernel.mutate",
    # watching
    "Watcher": "neighctl.kernel.monitor",
    "Event": "neighctl.events",
    "Tracker": "neighctl.events",
    # explaining states and entries (views: neighctl.explain.text, .jsonview)
    "explain_state": "neighctl.explain",
    "explain_address": "neighctl.explain",
    "explain_overview": "neighctl.explain",
    # the node as data (doctor, metrics)
    "Snapshot": "neighctl.snapshot",
    "Finding": "neighctl.diagnose.findings",
    "Severity": "neighctl.diagnose.findings",
    "Report": "neighctl.diagnose.findings",
    "take_snapshot": "neighctl.kernel.snapshot",
    "CHECKS": "neighctl.diagnose",
    "run_checks": "neighctl.diagnose",
    "run_doctor": "neighctl.doctor",
    "read_ntable": "neighctl.ntable",
    # parameters and timers
    "NeighParms": "neighctl.timers",
    "TableParms": "neighctl.timers",
    # views
    "render_entries": "neighctl.render",
    # errors
    "ExitCode": "neighctl.errors",
    "NeighctlError": "neighctl.errors",
    "UsageError": "neighctl.errors",
    "ParseError": "neighctl.errors",
    "NotFoundError": "neighctl.errors",
    "NoSuchDeviceError": "neighctl.errors",
    "NamespaceNotFoundError": "neighctl.errors",
    "PermissionDeniedError": "neighctl.errors",
    "KernelError": "neighctl.errors",
    "EntryExistsError": "neighctl.errors",
}

__all__ = [
    "AF_INET",
    "AF_INET6",
    "CHECKS",
    "Change",
    "EntryExistsError",
    "Event",
    "ExitCode",
    "Finding",
    "FlushResult",
    "Kernel",
    "KernelError",
    "NamespaceNotFoundError",
    "NeighFilter",
    "NeighFlag",
    "NeighParms",
    "NeighRequest",
    "Neighbor",
    "NeighctlError",
    "NoSuchDeviceError",
    "NotFoundError",
    "NudState",
    "ParseError",
    "PermissionDeniedError",
    "Report",
    "Severity",
    "Snapshot",
    "TableParms",
    "Tracker",
    "UsageError",
    "Watcher",
    "__version__",
    "add_neighbor",
    "add_request",
    "build_filter",
    "delete_neighbor",
    "delete_request",
    "explain_address",
    "explain_overview",
    "explain_state",
    "flag_words",
    "flush_filter",
    "flush_neighbors",
    "read_neighbors",
    "read_ntable",
    "read_path",
    "read_text",
    "render_entries",
    "run_checks",
    "run_doctor",
    "state_words",
    "take_snapshot",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'neighctl' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from neighctl.diagnose import CHECKS, run_checks
    from neighctl.diagnose.findings import Finding, Report, Severity
    from neighctl.doctor import run_doctor
    from neighctl.errors import (
        EntryExistsError,
        ExitCode,
        KernelError,
        NamespaceNotFoundError,
        NeighctlError,
        NoSuchDeviceError,
        NotFoundError,
        ParseError,
        PermissionDeniedError,
        UsageError,
    )
    from neighctl.events import Event, Tracker
    from neighctl.explain import explain_address, explain_overview, explain_state
    from neighctl.filters import NeighFilter, build_filter
    from neighctl.kernel.dump import read_neighbors
    from neighctl.kernel.handle import Kernel, add_neighbor, delete_neighbor, flush_neighbors
    from neighctl.kernel.monitor import Watcher
    from neighctl.kernel.mutate import (
        Change,
        FlushResult,
        flush_filter,
    )
    from neighctl.kernel.snapshot import take_snapshot
    from neighctl.model import (
        AF_INET,
        AF_INET6,
        Neighbor,
        NeighFlag,
        NudState,
        flag_words,
        state_words,
    )
    from neighctl.ntable import read_ntable
    from neighctl.parse import read_path, read_text
    from neighctl.render import render_entries
    from neighctl.snapshot import Snapshot
    from neighctl.timers import NeighParms, TableParms
    from neighctl.validate import NeighRequest, add_request, delete_request
