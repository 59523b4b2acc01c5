"""`neighctl explain`: the library call behind the command (state word or address)."""

from __future__ import annotations

import ipaddress
from typing import NamedTuple

from neighctl.errors import NotFoundError, UsageError
from neighctl.model import Neighbor
from neighctl.states import lookup
from neighctl.timers import NeighParms, TableParms

ParmsPair = tuple[NeighParms, TableParms]


class Target(NamedTuple):
    """What the argument of `explain` names: a state, an address, or nothing."""

    state: str | None = None
    address: str | None = None


def classify(word: str | None) -> Target:
    """A state name or value, else an IP address; a UsageError with a suggestion otherwise."""
    if word is None:
        return Target()
    try:
        return Target(state=lookup(word))
    except UsageError as not_a_state:
        try:
            return Target(address=str(ipaddress.ip_address(word.strip())))
        except ValueError:
            raise not_a_state from None


def read_dev_parms(dev: str, netns: str | None) -> list[ParmsPair]:
    """The interface's live parameters (imports the kernel package only when called)."""
    from neighctl.kernel.ntable import read_parms

    pairs = read_parms(dev, netns=netns)
    if not pairs:
        raise NotFoundError(f"the kernel reports no neighbour parameters for {dev!r}")
    return pairs


def explain_state(
    state: str, *, lang: str, output: str, dev: str | None = None, netns: str | None = None
) -> str:
    parms = read_dev_parms(dev, netns) if dev is not None else None
    if output == "json":
        import json

        from neighctl import explain_json

        return (
            json.dumps(explain_json.state_json(state, lang, parms), ensure_ascii=False, indent=2)
            + "\n"
        )
    from neighctl import explain_text

    return explain_text.render_state(state, lang, parms)


def explain_overview(*, lang: str, output: str) -> str:
    if output == "json":
        import json

        from neighctl import explain_json

        return json.dumps(explain_json.catalogue_json(lang), ensure_ascii=False, indent=2) + "\n"
    from neighctl import explain_text

    return explain_text.render_overview(lang)


def entries_for(address: str, entries: list[Neighbor], dev: str | None) -> list[Neighbor]:
    """The entries for one address (one per device), compared as addresses."""
    want = ipaddress.ip_address(address)
    out = []
    for n in entries:
        try:
            same = ipaddress.ip_address(n.dst) == want
        except ValueError:
            continue
        if same and (dev is None or n.dev == dev):
            out.append(n)
    return out


def read_live(address: str, dev: str | None, netns: str | None) -> list[Neighbor]:
    """Every live entry (all states, and proxy entries) for the address's family."""
    from neighctl.filters import ALL_STATES, NeighFilter
    from neighctl.kernel.dump import read_neighbors
    from neighctl.model import AF_INET, AF_INET6

    family = AF_INET6 if ipaddress.ip_address(address).version == 6 else AF_INET
    out: list[Neighbor] = []
    for proxy in (False, True):
        filt = NeighFilter(family=family, dev=dev, states=ALL_STATES, proxy=proxy)
        out += read_neighbors(filt, netns=netns)
    return out


def explain_address(
    address: str,
    *,
    lang: str,
    output: str,
    dev: str | None = None,
    netns: str | None = None,
    entries: list[Neighbor] | None = None,
) -> str:
    """Explain each entry for ``address``: live unless ``entries`` (from a file) are given."""
    from neighctl.explain_entry import entry_json, explain_entry, render_entry

    live = entries is None
    table = read_live(address, dev, netns) if entries is None else entries
    found = entries_for(address, table, dev)
    if not found:
        where = f" on {dev}" if dev else ""
        raise NotFoundError(
            f"no neighbour entry for {address}{where}",
            "an entry appears once something sends to the address; "
            "`neighctl show --state all` lists every entry",
        )
    parms_by_dev: dict[str, list[ParmsPair]] = {}
    explained = []
    for n in found:
        parms: ParmsPair | None = None
        if live:
            if n.dev not in parms_by_dev:
                parms_by_dev[n.dev] = read_dev_parms(n.dev, netns)
            parms = next((pair for pair in parms_by_dev[n.dev] if pair[0].family == n.family), None)
        explained.append(explain_entry(n, parms, others=table, lang=lang))
    if output == "json":
        import json

        return json.dumps([entry_json(e) for e in explained], ensure_ascii=False, indent=2) + "\n"
    return "\n".join(render_entry(e, lang) for e in explained)
