"""Ask the kernel to resolve one neighbour now, and follow the entry until it settles.

The request is what `ip neigh replace ADDR dev DEV use` sends: RTM_NEWNEIGH
with NTF_USE (and NLM_F_CREATE, so a missing entry is made). neigh_add()
then calls neigh_event_send() as if a packet were queued: a missing or
FAILED entry goes INCOMPLETE and solicits by broadcast/multicast; a STALE
one goes DELAY, then PROBE with unicast probes. No packet is crafted here.

The entry is read back (RTM_GETNEIGH) each time a neighbour notification
arrives and every POLL seconds between them, because the kernel announces
neither INCOMPLETE nor DELAY.
"""

from __future__ import annotations

import select
import socket
import time
from typing import TYPE_CHECKING

from neighctl.errors import UsageError
from neighctl.filters import ALL_STATES, NeighFilter
from neighctl.kernel import mutate, rtnl
from neighctl.kernel.dump import dump_neighbors
from neighctl.kernel.monitor import subscribe
from neighctl.kernel.proto import NTF_USE
from neighctl.model import Neighbor, NudState, state_words
from neighctl.probe import Outcome, ProbeResult, Step
from neighctl.timers import DEFAULT_PARMS
from neighctl.validate import NeighRequest

if TYPE_CHECKING:
    from neighctl.kernel.handle import Kernel

POLL = 0.01  # seconds between reads when no notification comes
SETTLED = NudState.REACHABLE | NudState.FAILED
STATIC = NudState.PERMANENT | NudState.NOARP
MARGIN = 2.0  # seconds added to the kernel's own worst case for the default timeout


def probe(k: Kernel, req: NeighRequest, timeout: float | None = None) -> ProbeResult:
    """Resolve req.dst on req.dev now; return what happened (see ProbeResult).

    Raises NoSuchDeviceError for a missing device, UsageError for a static
    (PERMANENT/NOARP) entry, which the kernel never resolves: on Linux 6.18
    NTF_USE would even turn a PERMANENT entry INCOMPLETE and drop its MAC.
    ``timeout`` (seconds) defaults to the kernel's worst case for the path
    plus MARGIN.
    """
    dev = k.device(req.dev)
    parms = next(
        (p for p, _ in k.parms(dev.name) if p.family == req.family), DEFAULT_PARMS[req.family]
    )
    addresses = rtnl.addresses(k.ipr, dev.index)
    before = mutate.lookup(k, req, dev.index)
    if before is not None and before.state & STATIC:
        state = "|".join(state_words(before.state))
        raise UsageError(
            f"{req.what} is {state}: the kernel never resolves a static entry, so there is "
            "nothing to probe",
            f"to test the neighbour itself, delete the entry first: "
            f"neighctl del {req.dst} --dev {req.dev}",
        )
    proxies = _proxies(k, req)

    def result(
        steps: list[Step], outcome: Outcome, elapsed: float, limit: float, sent: bool = True
    ) -> ProbeResult:
        return ProbeResult(
            dst=req.dst,
            dev=dev.name,
            family=req.family,
            before=before,
            steps=steps,
            outcome=outcome,
            elapsed=elapsed,
            timeout=limit,
            parms=parms,
            device_flags=dev.flags,
            addresses=addresses,
            proxies=proxies,
            sent=sent,
        )

    steps = [Step(0.0, before)]
    if before is not None and before.state & NudState.REACHABLE:
        return result(steps, Outcome.REACHABLE, 0.0, timeout or 0.0, sent=False)
    draft = result(steps, Outcome.TIMEOUT, 0.0, 0.0)
    limit = timeout if timeout is not None else draft.expected_seconds() + MARGIN
    sock = subscribe(k.where)  # before the request: no transition is missed
    try:
        start = time.monotonic()
        fields = {"dst": req.dst, "ifindex": dev.index, "family": req.family}
        rtnl.call(
            f"asking the kernel to resolve {req.what}",
            k.ipr.neigh,
            "replace",
            flags=NTF_USE,
            state=int(NudState.NONE),
            **fields,
        )
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        while True:
            now = time.monotonic() - start
            entry = mutate.lookup(k, req, dev.index)
            if _changed(steps[-1].entry, entry):
                steps.append(Step(now, entry))
            if entry is not None and entry.state & SETTLED and len(steps) > 1:
                outcome = Outcome.REACHABLE if entry.state & NudState.REACHABLE else Outcome.FAILED
                return result(steps, outcome, now, limit)
            if entry is None and len(steps) > 1:
                return result(steps, Outcome.FAILED, now, limit)  # removed (GC or a person)
            if now >= limit:
                return result(steps, Outcome.TIMEOUT, now, limit)
            wait = min(POLL, limit - now)
            if poller.poll(max(1, int(wait * 1000))):
                _drain(sock)
    finally:
        sock.close()


def _changed(old: Neighbor | None, new: Neighbor | None) -> bool:
    if (old is None) != (new is None):
        return True
    if old is None or new is None:
        return False
    return (int(old.state), old.lladdr, old.probes) != (int(new.state), new.lladdr, new.probes)


def _drain(sock: socket.socket) -> None:
    """Read every queued notification (their content is re-read by RTM_GETNEIGH)."""
    while True:
        try:
            sock.recv(1 << 16)
        except BlockingIOError:
            return
        except OSError:  # ENOBUFS: nothing lost that the next read misses
            return


def _proxies(k: Kernel, req: NeighRequest) -> list[Neighbor]:
    """The proxy entries for req.dst in this namespace, on any device."""
    import ipaddress

    filt = NeighFilter(
        family=req.family, prefix=ipaddress.ip_network(req.dst), states=ALL_STATES, proxy=True
    )
    return dump_neighbors(k.route, filt)
