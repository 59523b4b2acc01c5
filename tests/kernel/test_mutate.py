"""The mutation library against a real kernel, with `ip -j neigh` as the witness."""

from __future__ import annotations

import dataclasses
import ipaddress

import pytest

from neighctl.errors import (
    EntryExistsError,
    ExitCode,
    KernelError,
    NamespaceNotFoundError,
    NoSuchDeviceError,
    NotFoundError,
    UsageError,
)
from neighctl.filters import NeighFilter, state_mask
from neighctl.kernel import handle, mutate
from neighctl.kernel.handle import Kernel
from neighctl.model import AF_INET, NeighFlag, NudState
from neighctl.validate import NeighRequest, add_request, delete_request
from tests.lab import Lab
from tests.witness import entry, flags, snapshot


def test_add_ipv4_permanent(lab: Lab) -> None:
    change = handle.add_neighbor(
        add_request("10.0.0.5", "AA-BB-CC-00-00-05", "veth0"), netns=lab.ns
    )
    seen = entry(lab, "10.0.0.5")
    assert seen is not None
    assert seen["lladdr"] == "aa:bb:cc:00:00:05"
    assert seen["state"] == ["PERMANENT"]
    assert flags(seen) == set()
    assert change.applied
    assert change.before is None
    assert change.after is not None
    assert (change.after.dst, change.after.dev, change.after.lladdr) == (
        "10.0.0.5",
        "veth0",
        "aa:bb:cc:00:00:05",
    )
    assert change.after.state == NudState.PERMANENT


@pytest.mark.parametrize("nud", ["permanent", "noarp", "reachable", "stale"])
@pytest.mark.parametrize("address", ["10.0.0.5", "fd00::5"])
def test_add_each_state(lab: Lab, nud: str, address: str) -> None:
    change = handle.add_neighbor(
        add_request(address, "02:00:00:00:00:05", "veth0", nud=nud), netns=lab.ns
    )
    seen = entry(lab, address)
    assert seen is not None
    assert seen["state"] == [nud.upper()]
    assert seen["lladdr"] == "02:00:00:00:00:05"
    assert change.after is not None
    assert change.after.state == NudState[nud.upper()]


def test_add_ipv6_router_and_extern_learn(lab: Lab) -> None:
    req = add_request("fd00::7", "02:00:00:00:00:07", "veth0", router=True, extern_learn=True)
    change = handle.add_neighbor(req, netns=lab.ns)
    seen = entry(lab, "fd00::7")
    assert seen is not None
    assert flags(seen) == {"router", "extern_learn"}
    assert seen["state"] == ["PERMANENT"]
    assert change.after is not None
    assert change.after.flags == NeighFlag.ROUTER | NeighFlag.EXT_LEARNED


def test_add_existing_entry_is_refused_and_changes_nothing(lab: Lab) -> None:
    lab.ip(
        "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "veth0", "nud", "stale"
    )
    before = snapshot(lab)
    with pytest.raises(EntryExistsError) as info:
        handle.add_neighbor(add_request("10.0.0.5", "02:00:00:00:00:06", "veth0"), netns=lab.ns)
    assert info.value.exit_code == ExitCode.EXISTS
    # The library's error carries the entry; the CLI words it (and adds --replace).
    assert info.value.entry is not None
    assert (info.value.entry.lladdr, info.value.entry.state) == (
        "02:00:00:00:00:05",
        NudState.STALE,
    )
    assert snapshot(lab) == before


@pytest.mark.parametrize(("address", "old"), [("10.0.0.5", "stale"), ("fd00::5", "reachable")])
def test_replace_changes_the_mac(lab: Lab, address: str, old: str) -> None:
    lab.ip("neigh", "add", address, "lladdr", "02:00:00:00:00:05", "dev", "veth0", "nud", old)
    req = add_request(address, "0200.0000.0099", "veth0")
    change = handle.add_neighbor(req, replace=True, netns=lab.ns)
    seen = entry(lab, address)
    assert seen is not None
    assert seen["lladdr"] == "02:00:00:00:00:99"
    assert seen["state"] == ["PERMANENT"]
    assert change.before is not None
    assert change.before.lladdr == "02:00:00:00:00:05"
    assert change.after is not None
    assert change.after.lladdr == "02:00:00:00:00:99"


def test_replace_creates_a_missing_entry(lab: Lab) -> None:
    req = add_request("10.0.0.8", "02:00:00:00:00:08", "veth0", nud="noarp")
    change = handle.add_neighbor(req, replace=True, netns=lab.ns)
    assert change.before is None
    seen = entry(lab, "10.0.0.8")
    assert seen is not None
    assert seen["state"] == ["NOARP"]


@pytest.mark.parametrize(("address", "router"), [("10.0.0.50", False), ("fd00::50", True)])
def test_proxy_add_exists_replace_delete(lab: Lab, address: str, router: bool) -> None:
    req = add_request(address, None, "veth0", proxy=True, router=router)
    change = handle.add_neighbor(req, netns=lab.ns)
    seen = entry(lab, address, proxy=True)
    assert seen is not None
    assert flags(seen) == ({"proxy", "router"} if router else {"proxy"})
    assert entry(lab, address) is None  # not in the neighbour table
    assert change.after is not None
    assert change.after.is_proxy
    # The kernel accepts a second add of a proxy entry silently; we refuse it.
    before = snapshot(lab)
    with pytest.raises(EntryExistsError):
        handle.add_neighbor(req, netns=lab.ns)
    assert snapshot(lab) == before
    handle.add_neighbor(req, replace=True, netns=lab.ns)
    assert snapshot(lab) == before
    gone = handle.delete_neighbor(delete_request(address, "veth0", proxy=True), netns=lab.ns)
    assert gone.before is not None
    assert gone.after is None
    assert entry(lab, address, proxy=True) is None


@pytest.mark.parametrize("address", ["10.0.0.5", "fd00::5"])
def test_delete(lab: Lab, address: str) -> None:
    lab.ip("neigh", "add", address, "lladdr", "02:00:00:00:00:05", "dev", "veth0")
    lab.ip("neigh", "add", "10.0.0.6", "lladdr", "02:00:00:00:00:06", "dev", "veth0")
    change = handle.delete_neighbor(delete_request(address, "veth0"), netns=lab.ns)
    assert entry(lab, address) is None
    assert entry(lab, "10.0.0.6") is not None
    assert change.before is not None
    assert change.before.lladdr == "02:00:00:00:00:05"
    assert change.after is None


def test_delete_missing_entry(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "veth0")
    lab.ip("neigh", "add", "proxy", "10.0.0.9", "dev", "veth0")
    before = snapshot(lab)
    with pytest.raises(NotFoundError) as info:
        handle.delete_neighbor(delete_request("10.0.0.9", "veth0"), netns=lab.ns)
    assert info.value.exit_code == ExitCode.NOT_FOUND
    with pytest.raises(NotFoundError):
        handle.delete_neighbor(delete_request("10.0.0.5", "veth0", proxy=True), netns=lab.ns)
    assert snapshot(lab) == before


def test_dry_runs_change_nothing(lab: Lab) -> None:
    lab.ip("neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "veth0")
    before = snapshot(lab)
    add = handle.add_neighbor(
        add_request("10.0.0.6", "02:00:00:00:00:06", "veth0"), netns=lab.ns, dry_run=True
    )
    assert (add.applied, add.before, add.after) == (False, None, None)
    rep = handle.add_neighbor(
        add_request("10.0.0.5", "02:00:00:00:00:07", "veth0"),
        replace=True,
        netns=lab.ns,
        dry_run=True,
    )
    assert rep.before is not None
    assert rep.before.lladdr == "02:00:00:00:00:05"
    gone = handle.delete_neighbor(delete_request("10.0.0.5", "veth0"), netns=lab.ns, dry_run=True)
    assert gone.before is not None
    assert not gone.applied
    assert snapshot(lab) == before


def test_missing_device_and_namespace(lab: Lab) -> None:
    before = snapshot(lab)
    req = add_request("10.0.0.5", "02:00:00:00:00:05", "veth9")
    with pytest.raises(NoSuchDeviceError) as info:
        handle.add_neighbor(req, netns=lab.ns)
    assert info.value.exit_code == ExitCode.USAGE
    with pytest.raises(NoSuchDeviceError):
        handle.delete_neighbor(delete_request("10.0.0.5", "veth9"), netns=lab.ns)
    with pytest.raises(NamespaceNotFoundError) as ns_info:
        handle.add_neighbor(req, netns=lab.ns + "-missing")
    assert ns_info.value.exit_code == ExitCode.NO_NAMESPACE
    assert snapshot(lab) == before


def test_ipv6_disabled_device_is_refused(lab: Lab) -> None:
    lab.sysctl("net.ipv6.conf.veth0.disable_ipv6", 1)
    before = snapshot(lab)
    with pytest.raises(UsageError, match="IPv6 is disabled on device 'veth0'"):
        handle.add_neighbor(add_request("fd00::5", "02:00:00:00:00:05", "veth0"), netns=lab.ns)
    with pytest.raises(UsageError, match="IPv6 is disabled"):
        handle.add_neighbor(add_request("fd00::5", None, "veth0", proxy=True), netns=lab.ns)
    assert snapshot(lab) == before
    handle.add_neighbor(add_request("10.0.0.5", "02:00:00:00:00:05", "veth0"), netns=lab.ns)


def test_device_without_ipv6_is_refused(lab: Lab) -> None:
    lab.ip("link", "set", "veth0", "mtu", "1200")  # below IPv6's minimum: no inet6 device
    before = snapshot(lab)
    with pytest.raises(UsageError, match="has no IPv6"):
        handle.add_neighbor(add_request("fd00::5", "02:00:00:00:00:05", "veth0"), netns=lab.ns)
    assert snapshot(lab) == before


def test_device_without_link_layer_address_refuses_a_mac(lab: Lab) -> None:
    lab.ip("tuntap", "add", "tun0", "mode", "tun")
    lab.ip("addr", "add", "10.9.0.1/24", "dev", "tun0")
    with Kernel(lab.ns) as k:
        info = k.device("tun0")
    assert info.addr_len == 0
    before = snapshot(lab)
    with pytest.raises(UsageError, match="has no link-layer address"):
        handle.add_neighbor(add_request("10.9.0.5", "02:00:00:00:00:05", "tun0"), netns=lab.ns)
    assert snapshot(lab) == before


def test_device_info(lab: Lab) -> None:
    with Kernel(lab.ns) as k:
        info = k.device("veth0")
    assert (info.name, info.addr_len, info.has_ipv4, info.has_ipv6) == ("veth0", 6, True, True)
    assert not info.ipv6_disabled
    assert info.index == int(lab.ip_json("link", "show", "veth0")[0]["ifindex"])


def test_kernel_refusal_carries_its_message_and_leaves_nothing(lab: Lab) -> None:
    # Unvalidated, as a careless library caller might: no LLADDR for a PERMANENT entry.
    # The kernel creates the entry, refuses the update and leaves it in state NONE.
    before = snapshot(lab)
    req = NeighRequest(AF_INET, "10.0.0.5", "veth0", None, NudState.PERMANENT)
    with pytest.raises(KernelError) as info:
        handle.add_neighbor(req, netns=lab.ns)
    assert info.value.exit_code == ExitCode.KERNEL
    assert "No link layer address given" in str(info.value)
    assert snapshot(lab) == before


def test_lookup_by_dump_agrees_with_lookup(lab: Lab) -> None:
    lab.ip("neigh", "add", "fd00::5", "lladdr", "02:00:00:00:00:05", "dev", "veth0", "router")
    lab.ip("neigh", "add", "proxy", "fd00::6", "dev", "veth0")
    with Kernel(lab.ns) as k:
        dev = k.device("veth0")
        for req in (
            delete_request("fd00::5", "veth0"),
            delete_request("fd00::6", "veth0", proxy=True),
        ):
            by_get = mutate.lookup(k, req, dev.index)
            assert by_get is not None
            by_dump = mutate._lookup_by_dump(k, req, dev.index)
            assert by_dump is not None
            # The get holds a reference while it answers; ages may tick between reads.
            ignore = {"refcnt": None, "used": None, "confirmed": None, "updated": None}
            assert dataclasses.replace(by_dump, **ignore) == dataclasses.replace(by_get, **ignore)
        missing = delete_request("fd00::7", "veth0")
        assert mutate._lookup_by_dump(k, missing, dev.index) is None


# --- flush --------------------------------------------------------------------

# No FAILED entries: the kernel's garbage collector removes unreferenced FAILED
# entries whenever the table (shared by every namespace) holds gc_thresh1 or more.
FLUSH_ENTRIES = """\
link add br0 type bridge
link set br0 up
addr add 192.168.50.1/24 dev br0
neigh add 10.0.0.10 lladdr 02:00:00:00:00:10 dev veth0
neigh add 10.0.0.11 lladdr 02:00:00:00:00:11 dev veth0 nud noarp
neigh add 10.0.0.12 lladdr 02:00:00:00:00:12 dev veth0 nud stale
neigh add 10.0.0.13 lladdr 02:00:00:00:00:13 dev veth0 nud reachable
neigh add 10.0.0.16 lladdr 02:00:00:00:00:16 dev veth0 nud reachable
neigh add 10.0.0.17 lladdr 02:00:00:00:00:17 dev veth0 extern_learn
neigh add fd00::12 lladdr 02:00:00:00:00:32 dev veth0 nud stale
neigh add fd00::13 lladdr 02:00:00:00:00:33 dev veth0
neigh add proxy 10.0.0.50 dev veth0
neigh add 192.168.50.10 lladdr 02:00:00:00:50:10 dev br0 nud stale
neigh add 192.168.50.11 lladdr 02:00:00:00:50:11 dev br0
"""


def _flush_lab(lab: Lab) -> None:
    lab.ip_batch(FLUSH_ENTRIES)


def _filter(**kwargs: object) -> NeighFilter:
    states = kwargs.pop("states", None)
    filt = NeighFilter(**kwargs)  # type: ignore[arg-type]
    mask = mutate.FLUSH_DEFAULT_STATES if states is None else state_mask(states)  # type: ignore[arg-type]
    return dataclasses.replace(filt, states=mask)


def _present(lab: Lab) -> set[str]:
    table = lab.ip_json("neigh", "show", "nud", "all")
    unicast = {e["dst"] for e in table if not ipaddress.ip_address(e["dst"]).is_multicast}
    return unicast | {"proxy " + e["dst"] for e in lab.ip_json("neigh", "show", "proxy")}


def test_flush_by_device_keeps_permanent_noarp_and_other_devices(lab: Lab) -> None:
    _flush_lab(lab)
    result = handle.flush_neighbors(_filter(dev="veth0"), netns=lab.ns)
    assert {n.dst for n in result.deleted} == {"10.0.0.12", "10.0.0.13", "10.0.0.16", "fd00::12"}
    assert not result.failed
    assert _present(lab) == {
        "10.0.0.10",
        "10.0.0.11",
        "10.0.0.17",  # extern_learn PERMANENT: `ip neigh flush` would delete it
        "fd00::13",
        "proxy 10.0.0.50",
        "192.168.50.10",
        "192.168.50.11",
    }


def test_flush_by_state_and_family(lab: Lab) -> None:
    _flush_lab(lab)
    result = handle.flush_neighbors(_filter(states=["stale"]), netns=lab.ns)
    assert {n.dst for n in result.deleted} == {"10.0.0.12", "fd00::12", "192.168.50.10"}
    result = handle.flush_neighbors(
        _filter(states=["permanent"], family=AF_INET, dev="veth0"), netns=lab.ns
    )
    assert {n.dst for n in result.deleted} == {"10.0.0.10", "10.0.0.17"}
    assert "fd00::13" in _present(lab)
    assert "192.168.50.11" in _present(lab)
    assert "10.0.0.11" in _present(lab)


def test_flush_by_prefix(lab: Lab) -> None:
    from neighctl.filters import parse_prefix

    _flush_lab(lab)
    result = handle.flush_neighbors(
        _filter(prefix=parse_prefix("192.168.50.0/24"), states=["all"]), netns=lab.ns
    )
    assert {n.dst for n in result.deleted} == {"192.168.50.10", "192.168.50.11"}
    assert "10.0.0.12" in _present(lab)


def test_flush_rechecks_entries_that_changed_after_listing(lab: Lab) -> None:
    _flush_lab(lab)
    filt = _filter(dev="veth0", family=AF_INET)
    listed = handle.select_for_flush(filt, netns=lab.ns)
    assert {n.dst for n in listed} == {"10.0.0.12", "10.0.0.13", "10.0.0.16"}
    # Meanwhile a control plane pins one entry and another goes away.
    lab.ip("neigh", "replace", "10.0.0.12", "lladdr", "02:00:00:00:00:99", "dev", "veth0")
    lab.ip("neigh", "del", "10.0.0.13", "dev", "veth0")
    result = handle.delete_entries(listed, filt=filt, netns=lab.ns)
    assert [n.dst for n in result.deleted] == ["10.0.0.16"]
    assert {(n.dst, why) for n, why in result.skipped} == {
        ("10.0.0.12", "it is PERMANENT now"),
        ("10.0.0.13", "it was gone"),
    }
    seen = entry(lab, "10.0.0.12")
    assert seen is not None
    assert seen["state"] == ["PERMANENT"]


def test_flush_nothing_selected(lab: Lab) -> None:
    _flush_lab(lab)
    before = snapshot(lab)
    assert handle.select_for_flush(_filter(dev="br0", states=["failed"]), netns=lab.ns) == []
    assert snapshot(lab) == before


def test_replace_keeps_router_and_extern_learn_unless_cleared(lab: Lab) -> None:
    flagged = add_request("fd00::61", "02:00:00:00:00:61", "veth0", router=True, extern_learn=True)
    handle.add_neighbor(flagged, netns=lab.ns)
    plain = add_request("fd00::61", "02:00:00:00:00:62", "veth0")
    change = handle.add_neighbor(plain, replace=True, netns=lab.ns)
    assert change.before is not None
    assert change.before.flags == NeighFlag.ROUTER | NeighFlag.EXT_LEARNED
    assert change.request.flags == NeighFlag.ROUTER | NeighFlag.EXT_LEARNED
    seen = entry(lab, "fd00::61")
    assert seen is not None
    assert (seen["lladdr"], flags(seen)) == ("02:00:00:00:00:62", {"router", "extern_learn"})
    # What `ip neigh replace` would do (and what --no-router/--no-extern-learn ask for).
    cleared = add_request("fd00::61", "02:00:00:00:00:62", "veth0", router=False)
    handle.add_neighbor(cleared, replace=True, netns=lab.ns)
    seen = entry(lab, "fd00::61")
    assert seen is not None
    assert flags(seen) == {"extern_learn"}
    bare = add_request("fd00::61", "02:00:00:00:00:62", "veth0", extern_learn=False)
    handle.add_neighbor(bare, replace=True, netns=lab.ns)
    seen = entry(lab, "fd00::61")
    assert seen is not None
    assert flags(seen) == set()
    proxy = add_request("fd00::60", None, "veth0", proxy=True)
    handle.add_neighbor(proxy, netns=lab.ns)
    routed = add_request("fd00::60", None, "veth0", proxy=True, router=True)
    handle.add_neighbor(routed, replace=True, netns=lab.ns)
    seen = entry(lab, "fd00::60", proxy=True)
    assert seen is not None
    assert flags(seen) == {"proxy", "router"}
