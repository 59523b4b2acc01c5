"""`neighctl probe` against a live peer, a dead address, a moved MAC and a proxy (NDP),
all inside test namespaces; `ip` is the witness of the entry's state afterwards."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from neighctl import cli
from neighctl.errors import ExitCode, UsageError
from neighctl.kernel.handle import Kernel
from neighctl.kernel.probe import probe
from neighctl.model import NudState
from neighctl.probe import Outcome
from neighctl.validate import lookup_request
from tests.lab import Lab
from tests.witness import entry, snapshot

runner = CliRunner()


def run(lab: Lab, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli.app, [*args, "--netns", lab.ns])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def ipv6_ready(lab: Lab) -> None:
    """Wait for duplicate address detection to finish on both ends (link-local addresses
    are tentative for about a second after a link comes up; solicitations meanwhile go
    unanswered)."""
    from tests.lab import run as sh

    def settled() -> bool:
        mine = lab.ip("-6", "addr", "show", "dev", "veth0")
        theirs = sh("ip", "-n", lab.peer, "-6", "addr", "show", "dev", "veth1").stdout
        return "tentative" not in mine + theirs

    lab.wait_for(settled, timeout=15, what="IPv6 duplicate address detection")


def probe_in(lab: Lab, address: str, timeout: float | None = None, dev: str = "veth0"):  # type: ignore[no-untyped-def]
    with Kernel(lab.ns) as k:
        return probe(k, lookup_request(address, dev), timeout)


@pytest.mark.parametrize("address", ["10.0.0.2", "fd00::2"])
def test_a_live_peer_resolves(lab: Lab, address: str) -> None:
    ipv6_ready(lab)
    assert entry(lab, address) is None
    result = probe_in(lab, address)
    assert result.outcome is Outcome.REACHABLE
    assert result.exit_code == ExitCode.OK
    assert result.steps[0].entry is None
    assert result.after is not None
    assert result.after.lladdr == "02:00:00:00:01:02"
    assert result.causes() == []
    seen = entry(lab, address)
    assert seen is not None
    assert (seen["lladdr"], seen["state"]) == ("02:00:00:00:01:02", ["REACHABLE"])
    # Probing a REACHABLE entry asks nothing: it is already confirmed.
    again = probe_in(lab, address)
    assert again.outcome is Outcome.REACHABLE
    assert not again.sent
    assert again.timers() == []


def test_a_dead_address_fails_with_its_timers_and_causes(lab: Lab) -> None:
    code, out, err = run(lab, "probe", "10.0.0.99", "--dev", "veth0", "-o", "json")
    assert code == ExitCode.UNREACHABLE == 11, err
    doc = json.loads(out)
    assert doc["outcome"] == "failed"
    assert doc["exit_code"] == 11
    assert doc["steps"][0]["state"] is None
    assert doc["steps"][-1]["state"] == ["FAILED"]
    assert ["INCOMPLETE"] in [s["state"] for s in doc["steps"]]
    timers = {t["name"]: t["value"] for t in doc["timers"]}
    assert timers == {"mcast_solicit": 3, "retrans_time": 100}  # the lab's retrans_time
    codes = [c["code"] for c in doc["causes"]]
    assert codes[0] == "no_answer"
    assert "proxy" in codes
    assert "nobody answered 3 solicitations on veth0" in doc["causes"][0]["text"]
    # The kernel's own timers: 3 solicitations 100 ms apart.
    assert 0.25 <= doc["elapsed"] < 2.0
    assert entry(lab, "10.0.0.99")["state"] == ["FAILED"]  # type: ignore[index]


def test_text_view(lab: Lab) -> None:
    code, out, _ = run(lab, "probe", "10.0.0.99", "--dev", "veth0")
    assert code == ExitCode.UNREACHABLE
    lines = out.splitlines()
    assert lines[0].startswith("10.0.0.99 dev veth0: FAILED after ")
    assert "Transitions:" in lines
    assert "Timers (IPv4, veth0):" in lines
    assert "Likely causes:" in lines
    code, out, _ = run(lab, "probe", "10.0.0.2", "dev", "veth0")
    assert code == 0
    assert out.startswith("10.0.0.2 dev veth0: REACHABLE after ")


def test_a_stale_entry_goes_delay_probe_reachable(lab: Lab) -> None:
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 1)
    lab.ip("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:01:02", "dev", "veth0",
           "nud", "stale")  # fmt: skip
    result = probe_in(lab, "10.0.0.2")
    assert result.outcome is Outcome.REACHABLE
    states = [s.state for s in result.steps]
    assert states[0] == NudState.STALE
    assert NudState.DELAY in states
    assert states[-1] == NudState.REACHABLE
    names = [t.name for t in result.timers()]
    assert names == ["delay_first_probe_time", "ucast_solicit", "retrans_time"]
    # DELAY waited delay_first_probe_time (1 s) before the unicast probe.
    assert result.elapsed >= 0.9


def test_a_moved_mac_fails_unicast_and_says_so(lab: Lab) -> None:
    lab.sysctl("net.ipv4.neigh.veth0.delay_first_probe_time", 1)
    lab.ip("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:09:09", "dev", "veth0",
           "nud", "stale")  # fmt: skip
    result = probe_in(lab, "10.0.0.2")
    assert result.outcome is Outcome.FAILED
    assert NudState.PROBE in [s.state for s in result.steps]
    codes = [c.code for c in result.causes()]
    assert "moved" in codes
    assert "unicast probes" in result.causes()[0].text


@pytest.mark.parametrize("enabled", [True, False], ids=["proxy_ndp", "no-proxy_ndp"])
def test_a_proxy_answers_only_when_enabled(lab: Lab, enabled: bool) -> None:
    """The peer holds a proxy entry for fd00::99; it answers only with forwarding=1
    and proxy_ndp=1 (design.md, measured)."""
    peer = Lab(ns=lab.peer, peer=lab.ns)
    peer.ip("neigh", "add", "proxy", "fd00::99", "dev", "veth1")
    peer.sysctl("net.ipv6.conf.all.forwarding", 1)
    peer.sysctl("net.ipv6.conf.veth1.proxy_ndp", 1 if enabled else 0)
    peer.sysctl("net.ipv6.neigh.veth1.proxy_delay", 0)
    ipv6_ready(lab)
    result = probe_in(lab, "fd00::99", timeout=5)
    if enabled:
        assert result.outcome is Outcome.REACHABLE
        assert result.after is not None
        assert result.after.lladdr == "02:00:00:00:01:02"  # the proxy's own MAC
    else:
        assert result.outcome is Outcome.FAILED
        texts = [c.text for c in result.causes() if c.code == "proxy"]
        assert "proxy_ndp=1" in texts[0]


def test_this_hosts_own_proxy_entry_is_named(lab: Lab) -> None:
    lab.ip("neigh", "add", "proxy", "10.0.0.98", "dev", "veth0")
    result = probe_in(lab, "10.0.0.98")
    assert result.outcome is Outcome.FAILED
    assert "own_proxy" in [c.code for c in result.causes()]


def test_off_link_and_down_devices_are_named(lab: Lab) -> None:
    result = probe_in(lab, "192.168.77.1")
    assert result.outcome is Outcome.FAILED
    assert "off_link" in [c.code for c in result.causes()]
    lab.ip("link", "set", "veth0", "down")
    down = probe_in(lab, "10.0.0.97", timeout=1)
    assert down.outcome is not Outcome.REACHABLE
    assert down.causes()[0].code == "device_down"


def test_a_timeout_exits_12(lab: Lab) -> None:
    lab.sysctl("net.ipv4.neigh.veth0.retrans_time_ms", 1000)
    code, out, _ = run(lab, "probe", "10.0.0.96", "--dev", "veth0", "--timeout", "0.2", "-j")
    assert code == ExitCode.UNDECIDED == 12
    doc = json.loads(out)
    assert doc["outcome"] == "timeout"
    assert doc["steps"][-1]["state"] == ["INCOMPLETE"]
    assert "timeout" in [c["code"] for c in doc["causes"]]


def test_static_entries_are_refused_and_left_alone(lab: Lab) -> None:
    """NTF_USE on a PERMANENT entry makes it INCOMPLETE and drops its MAC on this
    kernel (the witness below shows `ip neigh change ... use` doing it), so probe
    refuses before sending anything."""
    lab.ip("neigh", "add", "10.0.0.9", "lladdr", "02:00:00:00:01:09", "dev", "veth0")
    lab.ip("neigh", "add", "10.0.0.8", "lladdr", "02:00:00:00:01:08", "dev", "veth0",
           "nud", "noarp")  # fmt: skip
    before = snapshot(lab)
    for address in ("10.0.0.9", "10.0.0.8"):
        with pytest.raises(UsageError, match="never resolves a static entry"):
            probe_in(lab, address)
        code, _, err = run(lab, "probe", address, "--dev", "veth0")
        assert code == ExitCode.USAGE
        assert err.startswith("neighctl: error: ")
    assert snapshot(lab) == before
    lab.ip("neigh", "change", "10.0.0.9", "dev", "veth0", "use")
    hurt = entry(lab, "10.0.0.9")
    assert hurt is not None
    if hurt["state"] != ["PERMANENT"]:  # the hazard probe avoids, where the kernel has it
        assert "lladdr" not in hurt


def test_zone_and_missing_device(lab: Lab) -> None:
    ipv6_ready(lab)
    code, out, _ = run(lab, "probe", "fd00::2%veth0")
    assert code == 0, out
    code, _, err = run(lab, "probe", "fd00::2%veth9")
    assert code == ExitCode.USAGE
    assert "veth9" in err
