"""Changing the table: add, replace and delete one entry; flush the entries a filter selects.

Every function validates against the device and reads the entry before it
sends a change, and reads it back afterwards, so that callers get what the
kernel really holds. Requests go over the plain RouteSocket: a change is one
message, and `import pyroute2` would cost more than the rest of the command.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from neighctl.errors import (
    EntryExistsError,
    ExitCode,
    KernelError,
    NeighctlError,
    NotFoundError,
    PermissionDeniedError,
    UsageError,
)
from neighctl.filters import ALL_STATES, NONE_BIT, NeighFilter, build_filter
from neighctl.kernel.decode import NDA_DST, NDA_LLADDR, NDMSG, LinkInfo, decode_neigh_batch
from neighctl.kernel.device import device_info
from neighctl.kernel.dump import dump_neighbors, read_neighbors
from neighctl.kernel.netlink import RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH, RouteSocket, attr
from neighctl.model import Neighbor, NeighFlag, NudState, state_words
from neighctl.validate import NeighRequest, check_device, request_for

NLM_F_REPLACE = 0x100
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400

# Like `ip neigh flush`: every state but PERMANENT and NOARP unless --state names them.
FLUSH_DEFAULT_STATES = ALL_STATES & ~int(NudState.PERMANENT | NudState.NOARP)


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
    because they vanished or changed state after they were listed."""

    deleted: list[Neighbor] = field(default_factory=list)
    failed: list[tuple[Neighbor, NeighctlError]] = field(default_factory=list)
    skipped: list[tuple[Neighbor, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        """OK unless a deletion failed: the failures' own code if nothing was deleted
        and they agree, else FAILURE (a partial flush)."""
        if not self.failed:
            return ExitCode.OK
        codes = {exc.exit_code for _, exc in self.failed}
        return codes.pop() if len(codes) == 1 and not self.deleted else ExitCode.FAILURE


def _key(req: NeighRequest, ifindex: int, state: int = 0) -> bytes:
    flags = int(NeighFlag.PROXY) if req.proxy else 0
    packed = socket.inet_pton(req.family, req.dst)
    return NDMSG.pack(req.family, ifindex, state, flags, 0) + attr(NDA_DST, packed)


def _new_message(req: NeighRequest, ifindex: int) -> bytes:
    packed = socket.inet_pton(req.family, req.dst)
    flags = int(req.flags) & 0xFF  # PROXY, ROUTER, EXT_LEARNED: all in ndm_flags
    payload = NDMSG.pack(req.family, ifindex, int(req.state), flags, 0) + attr(NDA_DST, packed)
    if req.lladdr is not None:
        payload += attr(NDA_LLADDR, bytes.fromhex(req.lladdr.replace(":", "")))
    return payload


def lookup(sock: RouteSocket, req: NeighRequest, ifindex: int, links: LinkInfo) -> Neighbor | None:
    """The entry (or proxy entry) for req.dst on ifindex as the kernel has it, or None."""
    try:
        replies = sock.request(RTM_GETNEIGH, 0, _key(req, ifindex), f"reading {req.what}")
    except NotFoundError:
        return None
    except KernelError as exc:
        # Kernels before 5.0 have no RTM_GETNEIGH for one entry: dump the device.
        if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL):
            raise
        return _lookup_by_dump(sock, req, ifindex, links)
    out: list[Neighbor] = []
    for msg in replies:
        decode_neigh_batch(memoryview(msg), links, out)
    return out[0] if out else None


def _lookup_by_dump(
    sock: RouteSocket, req: NeighRequest, ifindex: int, links: LinkInfo
) -> Neighbor | None:
    filt = NeighFilter(
        family=req.family,
        dev=req.dev,
        prefix=ipaddress.ip_network(req.dst),
        states=ALL_STATES,
        proxy=req.proxy,
    )
    for n in dump_neighbors(sock, filt, ifindex=ifindex, links=links):
        if n.dst == req.dst:
            return n
    return None


def _links(index: int, name: str, link_type: int | None = None) -> LinkInfo:
    links = LinkInfo()
    links.names[index] = name
    if link_type is not None:
        links.types[index] = link_type
    return links


def add_neighbor(
    req: NeighRequest,
    *,
    replace: bool = False,
    netns: str | None = None,
    dry_run: bool = False,
) -> Change:
    """Create the entry (RTM_NEWNEIGH, CREATE|EXCL), or with ``replace`` create or replace it.

    Raises NoSuchDeviceError / UsageError if the device cannot take it and
    EntryExistsError if it exists and ``replace`` is false, before anything changes.
    """
    with RouteSocket(netns) as sock:
        dev = device_info(sock, req.dev)
        check_device(req, dev)
        links = _links(dev.index, dev.name, dev.link_type)
        before = lookup(sock, req, dev.index, links)
        if before is not None and not replace:
            raise EntryExistsError(f"{req.what} already exists", entry=before)
        if dry_run:
            return Change(req, before, None, False)
        flags = NLM_F_CREATE | (NLM_F_REPLACE if replace else NLM_F_EXCL)
        verb = "replacing" if before is not None else "adding"
        try:
            sock.request(RTM_NEWNEIGH, flags, _new_message(req, dev.index), f"{verb} {req.what}")
        except NeighctlError:
            if before is None:
                _remove_leftover(sock, req, dev.index, links)
            raise
        return Change(req, before, lookup(sock, req, dev.index, links), True)


def _remove_leftover(sock: RouteSocket, req: NeighRequest, ifindex: int, links: LinkInfo) -> None:
    """A refused RTM_NEWNEIGH can leave a new entry in state NONE behind: remove it."""
    with contextlib.suppress(NeighctlError):
        now = lookup(sock, req, ifindex, links)
        if now is not None and not now.is_proxy and now.state == NudState.NONE:
            sock.request(RTM_DELNEIGH, 0, _key(req, ifindex), f"undoing {req.what}")


def delete_neighbor(
    req: NeighRequest, *, netns: str | None = None, dry_run: bool = False
) -> Change:
    """Delete the entry (RTM_DELNEIGH); NotFoundError if there is none.

    ``after`` is the entry if traffic re-created it at once, else None.
    """
    with RouteSocket(netns) as sock:
        dev = device_info(sock, req.dev)
        links = _links(dev.index, dev.name, dev.link_type)
        before = lookup(sock, req, dev.index, links)
        if before is None:
            show = "neighctl show --proxy" if req.proxy else "neighctl show --state all"
            raise NotFoundError(f"no entry for {req.what}", f"see `{show} --dev {req.dev}`")
        if dry_run:
            return Change(req, before, None, False)
        sock.request(RTM_DELNEIGH, 0, _key(req, dev.index), f"deleting {req.what}")
        return Change(req, before, lookup(sock, req, dev.index, links), True)


def flush_filter(
    target: str | None = None,
    dev: str | None = None,
    states: Sequence[str] | None = None,
    ipv4: bool = False,
    ipv6: bool = False,
    *,
    all_entries: bool = False,
) -> NeighFilter:
    """The filter `flush` uses: `show`'s, but PERMANENT and NOARP stay unless named.

    Like iproute2, a flush needs some filter (an address, a device or a state);
    ``all_entries`` stands for "every entry" instead. -4/-6 alone are not a filter.
    """
    if not (target or dev or states or all_entries):
        raise UsageError(
            "flush needs a filter (ADDR|PREFIX, --dev or --state)",
            "or --all to flush every entry but PERMANENT and NOARP ones",
        )
    filt = build_filter(target, dev, states, ipv4, ipv6)
    return filt if states else replace(filt, states=FLUSH_DEFAULT_STATES)


def flush_matches(filt: NeighFilter, n: Neighbor) -> bool:
    """The filter, with the state mask applied to every entry.

    `ip neigh flush` lets extern_learn entries bypass the state filter, so it
    deletes a control plane's PERMANENT entries; flush here never does unless
    the state filter names their state.
    """
    if not filt.matches(n):
        return False
    state = int(n.state)
    return bool(filt.states & (state or NONE_BIT))


def select_for_flush(filt: NeighFilter, *, netns: str | None = None) -> list[Neighbor]:
    """The entries a flush with ``filt`` would delete (its ``states`` as given)."""
    return [n for n in read_neighbors(filt, netns=netns) if flush_matches(filt, n)]


def delete_entries(
    entries: Sequence[Neighbor],
    *,
    filt: NeighFilter | None = None,
    netns: str | None = None,
) -> FlushResult:
    """Delete each entry; with ``filt``, first re-read it and leave it if it no longer matches.

    The re-check matters when a person took time to confirm: an entry listed
    as STALE may have become a PERMANENT one written by a control plane.
    Raises PermissionDeniedError if the first deletion is not permitted.
    """
    result = FlushResult()
    with RouteSocket(netns) as sock:
        for i, n in enumerate(entries):
            req = request_for(n)
            ifindex = n.ifindex or 0
            if filt is not None:
                now = lookup(sock, req, ifindex, _links(ifindex, n.dev))
                if now is None:
                    result.skipped.append((n, "it was gone"))
                    continue
                if not flush_matches(filt, now):
                    state = "|".join(state_words(now.state)) or "NONE"
                    result.skipped.append((n, f"it is {state} now"))
                    continue
            try:
                sock.request(RTM_DELNEIGH, 0, _key(req, ifindex), f"deleting {req.what}")
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
    return result


def flush_neighbors(filt: NeighFilter, *, netns: str | None = None) -> FlushResult:
    """Delete every entry ``filt`` selects (see flush_matches); for Python callers."""
    return delete_entries(select_for_flush(filt, netns=netns), filt=filt, netns=netns)
