"""Changing the table: add, replace and delete one entry; flush the entries a filter selects.

Every function checks the device and reads the entry before it sends a
change, and reads it back afterwards, so that callers get what the kernel
really holds. Requests go through pyroute2 (kernel/rtnl.py); the listing a
flush starts from is our fast dump.
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from neighctl.errors import (
    EntryExistsError,
    ExitCode,
    KernelError,
    NeighctlError,
    NotFoundError,
    PermissionDeniedError,
)
from neighctl.filters import (
    ALL_STATES,
    FLUSH_DEFAULT_STATES,
    NeighFilter,
    flush_filter,
    flush_matches,
)
from neighctl.kernel import rtnl
from neighctl.kernel.dump import dump_neighbors
from neighctl.kernel.netlink import RouteSocket
from neighctl.model import Neighbor, NeighFlag, NudState, state_words
from neighctl.validate import DeviceInfo, NeighRequest, check_device, check_subnets, request_for


class Kernel(Protocol):
    """What these functions need of kernel.handle.Kernel (which imports this module)."""

    @property
    def ipr(self) -> Any: ...

    @property
    def route(self) -> RouteSocket: ...

    def device(self, name: str) -> DeviceInfo: ...


@dataclass(frozen=True, slots=True)
class Change:
    """What one add/replace/delete did: the entry before and after, as the kernel had it.

    ``applied`` is False for a dry run; ``after`` is then None.
    """

    request: NeighRequest
    before: Neighbor | None
    after: Neighbor | None
    applied: bool


@dataclass
class FlushResult:
    """Entries deleted, entries the kernel refused to delete, and entries left alone
    because they vanished or changed state after they were listed.

    After an interrupt (FlushInterrupted), ``not_tried`` holds the entries the
    flush did not get to, the one in flight first (it may or may not be gone).
    """

    deleted: list[Neighbor] = field(default_factory=list)
    failed: list[tuple[Neighbor, NeighctlError]] = field(default_factory=list)
    skipped: list[tuple[Neighbor, str]] = field(default_factory=list)
    not_tried: list[Neighbor] = field(default_factory=list)
    interrupted: bool = False

    @property
    def exit_code(self) -> ExitCode:
        """INTERRUPTED after Ctrl-C; else OK unless a deletion failed: the failures' own
        code if nothing was deleted and they agree, else FAILURE (a partial flush)."""
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if not self.failed:
            return ExitCode.OK
        codes = {exc.exit_code for _, exc in self.failed}
        return codes.pop() if len(codes) == 1 and not self.deleted else ExitCode.FAILURE


class FlushInterrupted(KeyboardInterrupt):
    """Ctrl-C during a flush; ``result`` says what was deleted before it."""

    def __init__(self, result: FlushResult) -> None:
        super().__init__("flush interrupted")
        self.result = result


def lookup(k: Kernel, req: NeighRequest, ifindex: int) -> Neighbor | None:
    """The entry (or proxy entry) for req.dst on ifindex as the kernel has it, or None."""
    try:
        return rtnl.get_neighbor(k.ipr, req, ifindex)
    except KernelError as exc:
        # Kernels before 5.0 have no RTM_GETNEIGH for one entry: dump the device.
        if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL):
            raise
        return _lookup_by_dump(k, req, ifindex)


def _lookup_by_dump(k: Kernel, req: NeighRequest, ifindex: int) -> Neighbor | None:
    filt = NeighFilter(
        family=req.family,
        dev=req.dev,
        prefix=ipaddress.ip_network(req.dst),
        states=ALL_STATES,
        proxy=req.proxy,
    )
    for n in dump_neighbors(k.route, filt, ifindex=ifindex):
        if n.dst == req.dst:
            return n
    return None


def add_neighbor_in(
    k: Kernel, req: NeighRequest, *, replace: bool = False, dry_run: bool = False
) -> Change:
    """Create the entry (RTM_NEWNEIGH, CREATE|EXCL), or with ``replace`` create or replace it.

    Raises NoSuchDeviceError / UsageError if the device cannot take it and
    EntryExistsError (carrying the entry) if it exists and ``replace`` is
    false, before anything changes.
    """
    dev = k.device(req.dev)
    check_device(req, dev)
    if not req.proxy:
        check_subnets(req, dev.name, rtnl.addresses(k.ipr, dev.index))
    before = lookup(k, req, dev.index)
    if before is not None and not replace:
        raise EntryExistsError(f"{req.what} already exists", entry=before)
    if before is not None:
        req = keep_flags(req, before)
    if dry_run:
        return Change(req, before, None, False)
    verb = "replacing" if before is not None else "adding"
    try:
        rtnl.set_neighbor(k.ipr, req, dev.index, replace=replace, what=f"{verb} {req.what}")
    except NeighctlError:
        if before is None:
            _remove_leftover(k, req, dev.index)
        raise
    after = lookup(k, req, dev.index)
    if after is None:
        raise KernelError(f"{req.what} was accepted but is not in the table now")
    return Change(req, before, after, True)


# Flags a replace carries over from the entry it replaces unless the request clears them.
KEPT_FLAGS = NeighFlag.ROUTER | NeighFlag.EXT_LEARNED


def keep_flags(req: NeighRequest, before: Neighbor) -> NeighRequest:
    """``req`` plus the ROUTER/EXT_LEARNED flags ``before`` has and ``req.clear`` does not
    name: RTM_NEWNEIGH with NLM_F_REPLACE sets exactly the flags it is sent
    (neigh_update() clears NTF_ROUTER, and an admin update clears extern_learn)."""
    keep = before.flags & KEPT_FLAGS & ~req.clear
    return dataclasses.replace(req, flags=req.flags | keep) if keep & ~req.flags else req


def _remove_leftover(k: Kernel, req: NeighRequest, ifindex: int) -> None:
    """A refused RTM_NEWNEIGH can leave a new entry in state NONE behind: remove it."""
    try:
        now = lookup(k, req, ifindex)
        if now is not None and not now.is_proxy and now.state == NudState.NONE:
            rtnl.delete_neighbor(k.ipr, req, ifindex)
    except NeighctlError:
        pass


def delete_neighbor_in(k: Kernel, req: NeighRequest, *, dry_run: bool = False) -> Change:
    """Delete the entry (RTM_DELNEIGH); NotFoundError if there is none.

    ``after`` is the entry if traffic re-created it at once, else None.
    """
    dev = k.device(req.dev)
    before = lookup(k, req, dev.index)
    if before is None:
        raise NotFoundError(f"no entry for {req.what}")
    if dry_run:
        return Change(req, before, None, False)
    rtnl.delete_neighbor(k.ipr, req, dev.index)
    return Change(req, before, lookup(k, req, dev.index), True)


def delete_entries_in(
    k: Kernel, entries: Sequence[Neighbor], *, filt: NeighFilter | None = None
) -> FlushResult:
    """Delete each entry; with ``filt``, first re-read it and leave it if it no longer matches.

    The re-check matters when a person took time to confirm: an entry listed
    as STALE may have become a PERMANENT one written by a control plane.
    Raises PermissionDeniedError if the first deletion is not permitted, and
    FlushInterrupted (a KeyboardInterrupt carrying the result so far) on Ctrl-C.
    """
    result = FlushResult()
    try:
        _delete_each(k, entries, filt, result)
    except KeyboardInterrupt:
        result.interrupted = True
        done = len(result.deleted) + len(result.failed) + len(result.skipped)
        result.not_tried = list(entries[done:])
        raise FlushInterrupted(result) from None
    return result


def _delete_each(
    k: Kernel,
    entries: Sequence[Neighbor],
    filt: NeighFilter | None,
    result: FlushResult,
) -> None:
    """The loop of delete_entries_in(): one record in ``result`` per entry, in order."""
    for i, n in enumerate(entries):
        req = request_for(n)
        ifindex = n.ifindex or 0
        if filt is not None:
            now = lookup(k, req, ifindex)
            if now is None:
                result.skipped.append((n, "it was gone"))
                continue
            if not flush_matches(filt, now):
                state = "|".join(state_words(now.state)) or "NONE"
                result.skipped.append((n, f"it is {state} now"))
                continue
        try:
            rtnl.delete_neighbor(k.ipr, req, ifindex)
        except NotFoundError:
            result.skipped.append((n, "it was gone"))
        except PermissionDeniedError as exc:
            if not result.deleted:
                raise
            result.failed.extend((m, exc) for m in entries[i:])
            break
        except NeighctlError as exc:
            result.failed.append((n, exc))
        else:
            result.deleted.append(n)


__all__ = [
    "FLUSH_DEFAULT_STATES",
    "Change",
    "FlushInterrupted",
    "FlushResult",
    "Kernel",
    "add_neighbor_in",
    "delete_entries_in",
    "delete_neighbor_in",
    "flush_filter",
    "flush_matches",
    "keep_flags",
    "lookup",
]
