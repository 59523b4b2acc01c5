"""Hypothesis strategies for neighbour entries, shared by property tests."""

from __future__ import annotations

import socket

from hypothesis import strategies as st

from neighctl.model import AF_INET, AF_INET6, FLAG_WORDS, STATE_ORDER, Neighbor, NeighFlag, NudState

# Spelled as inet_ntop spells them (as the kernel's users, iproute2 included, do;
# Python's ipaddress writes ::0.1.0.0 as ::1:0).
ipv4 = st.integers(0, 2**32 - 1).map(lambda i: socket.inet_ntop(AF_INET, i.to_bytes(4, "big")))
ipv6 = st.integers(0, 2**128 - 1).map(lambda i: socket.inet_ntop(AF_INET6, i.to_bytes(16, "big")))
macs = st.binary(min_size=6, max_size=6).map(lambda b: b.hex(":"))
devices = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=15)
single_states = st.sampled_from([NudState.NONE, *STATE_ORDER])
flags = st.sets(st.sampled_from([f for f, _ in FLAG_WORDS])).map(
    lambda fs: NeighFlag(sum(int(f) for f in fs))
)
ages = st.integers(0, 10**6).map(lambda s: float(s))


@st.composite
def neighbors(draw: st.DrawFn, stats: bool | None = None) -> Neighbor:
    family = draw(st.sampled_from([AF_INET, AF_INET6]))
    dst = draw(ipv4 if family == AF_INET else ipv6)
    state = draw(single_states)
    with_stats = draw(st.booleans()) if stats is None else stats
    return Neighbor(
        family=family,
        dst=dst,
        dev=draw(devices),
        state=state,
        flags=draw(flags),
        # The kernel sends a link-layer address only with a state (NUD_VALID ones).
        lladdr=None if state == NudState.NONE else draw(st.none() | macs),
        ifindex=draw(st.none() | st.integers(1, 2**31 - 1)),
        refcnt=draw(st.integers(0, 1000)) if with_stats else None,
        used=draw(ages) if with_stats else None,
        confirmed=draw(ages) if with_stats else None,
        updated=draw(ages) if with_stats else None,
        probes=draw(st.integers(0, 100)) if with_stats else None,
        protocol=draw(st.none() | st.sampled_from([2, 3, 4, 16, 186])),
    )
