"""doctor's and ntable's views: JSON shape (documented in docs/commands/), text grouping,
colour policy, and heavy imports kept off their --help."""

from __future__ import annotations

import json

import pytest

from neighctl.diagnose.accounting import count_tables
from neighctl.diagnose.findings import Finding, Report, Severity
from neighctl.diagnose.tables import build_report
from neighctl.model import AF_INET, AF_INET6, Neighbor, NudState
from neighctl.render.doctor import render_doctor_json, render_doctor_text
from neighctl.render.ntable import PARM_KEYS, render_ntable_json, render_ntable_text
from neighctl.snapshot import NamespaceSnapshot, Snapshot
from neighctl.timers import NeighParms, TableParms
from tests.pure.test_imports import heavy_modules

SNAP = Snapshot(
    namespaces=[NamespaceSnapshot(name="blue", inode=4026532001)],
    tables={AF_INET: TableParms(family=AF_INET, entries=3)},
    complete=False,
    taken_at=1700000000.0,
)
REPORT = Report(
    findings=[
        Finding(
            check="capacity", severity=Severity.OK, title="3 gc-eligible entries", family=AF_INET
        ),
        Finding(
            check="proxy",
            severity=Severity.WARNING,
            title="proxy entry fd00::50 on eth0 cannot answer",
            evidence={"entry": {"dst": "fd00::50", "dev": "eth0", "flags": ["proxy"]}},
            action="ip netns exec blue sysctl -w net.ipv6.conf.eth0.forwarding=1",
            netns="blue",
            dev="eth0",
            family=AF_INET6,
        ),
        Finding(
            check="calico",
            severity=Severity.CRITICAL,
            title="the pod's gateway 169.254.1.1 on eth0 is FAILED",
            netns="blue",
            dev="eth0",
            family=AF_INET,
        ),
        Finding(
            check="duplicate", severity=Severity.INFO, title="one MAC, many addresses", netns="blue"
        ),
    ],
    checks=["capacity", "proxy", "calico", "duplicate", "vxlan"],
    skipped={"router-flag": "needs routes and neighbour entries"},
)


def test_doctor_json_document() -> None:
    doc = json.loads(render_doctor_json(REPORT, SNAP))
    assert list(doc) == [
        "schema",
        "source",
        "taken_at",
        "complete",
        "interval",
        "namespaces",
        "checks",
        "skipped",
        "worst",
        "exit_code",
        "counts",
        "findings",
    ]
    assert doc["worst"] == "critical"
    assert doc["exit_code"] == 9
    assert doc["counts"] == {"critical": 1, "warning": 1, "info": 1, "ok": 1}
    assert doc["namespaces"] == [
        {"netns": "blue", "name": "blue", "inode": 4026532001, "error": None, "unread": {}}
    ]
    proxy = doc["findings"][1]
    assert list(proxy) == [
        "check",
        "severity",
        "title",
        "netns",
        "dev",
        "family",
        "evidence",
        "action",
    ]
    assert proxy["family"] == "inet6"
    assert proxy["severity"] == "warning"


def test_doctor_text_groups_by_severity_worst_first() -> None:
    text = render_doctor_text(REPORT, SNAP, width=100)
    order = [text.index(h) for h in ("CRITICAL (1)", "WARNING (1)", "INFO (1)", "OK (1)")]
    assert order == sorted(order)
    assert "[proxy] proxy entry fd00::50 on eth0 cannot answer (netns blue, dev eth0)" in text
    assert "    -> ip netns exec blue sysctl -w net.ipv6.conf.eth0.forwarding=1" in text
    assert 'entry: {"dst": "fd00::50"' in text  # evidence of warnings is shown
    assert "nothing found by: vxlan" in text
    assert "skipped router-flag: needs routes" in text
    assert "\x1b[" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_doctor_text_colour_only_when_asked() -> None:
    assert "\x1b[" in render_doctor_text(REPORT, SNAP, color=True, width=100)


def test_info_evidence_needs_verbose() -> None:
    report = Report(
        findings=[
            Finding(check="duplicate", severity=Severity.INFO, title="t", evidence={"lladdr": "x"})
        ],
        checks=["duplicate"],
    )
    assert "lladdr: x" not in render_doctor_text(report, SNAP, width=100)
    assert "lladdr: x" in render_doctor_text(report, SNAP, width=100, verbose=True)


def _ntable() -> tuple[str, dict[str, object]]:
    entries = [
        Neighbor(family=AF_INET, dst="10.0.0.1", dev="eth0", state=NudState.STALE),
        Neighbor(family=AF_INET, dst="10.0.0.2", dev="eth0", state=NudState.PERMANENT),
    ]
    snap = Snapshot(
        namespaces=[NamespaceSnapshot(name="blue", neighbors=entries)],
        tables={AF_INET: TableParms(family=AF_INET, entries=2, stats={"table_fulls": 4})},
        complete=True,
    )
    parms = [
        NeighParms(family=AF_INET, dev="eth0", queue_len=101, reachable_time=21000),
        NeighParms(family=AF_INET, reachable_time=30000),
        NeighParms(family=AF_INET6, dev="eth0"),
    ]
    report = build_report(parms, snap, netns="blue", stats=True)
    assert count_tables(snap)[AF_INET].eligible == 1
    return render_ntable_text(report, width=100), json.loads(render_ntable_json(report))


def test_ntable_json_document() -> None:
    _text, doc = _ntable()
    assert doc["netns"] == "blue"
    (table,) = doc["tables"]  # type: ignore[misc]
    assert list(table) == [
        "family",
        "name",
        "thresh1",
        "thresh2",
        "thresh3",
        "gc_interval",
        "entries",
        "gc",
        "stats",
        "parms",
    ]
    assert table["gc"]["eligible"] == 1
    assert table["gc"]["exempt"]["permanent"] == 1
    assert table["gc"]["headroom"] == {"thresh1": 126, "thresh2": 511, "thresh3": 1023}
    assert table["stats"] == {"table_fulls": 4}
    assert [p["dev"] for p in table["parms"]] == [None, "eth0"]  # defaults first
    assert list(table["parms"][1]) == ["dev", *(key for key, _, _ in PARM_KEYS)]


def test_ntable_text() -> None:
    text, _doc = _ntable()
    assert "inet arp_cache" in text
    assert "gc-eligible  1" in text
    assert "exempt       1 (permanent 1, extern_learn 0, loopback 0)" in text
    assert "table_fulls 4" in text
    assert "mcast_reprobes" in text


@pytest.mark.parametrize(
    "args", [["doctor", "--help"], ["ntable", "--help"], ["doctor", "--check", "x"]]
)
def test_no_heavy_imports(args: list[str]) -> None:
    assert heavy_modules(*args) == []


def test_actions_are_never_wrapped() -> None:
    """A command broken over two lines would run as two when pasted."""
    action = (
        "on the host (nctest-demo-host, cali7f3a9c01d2e): ip netns exec nctest-demo-host "
        "sysctl -w net.ipv4.conf.cali7f3a9c01d2e.proxy_arp=1; then neighctl del 169.254.1.3 "
        "--dev eth0 --netns nctest-demo-pod"
    )
    report = Report(
        findings=[Finding(check="calico", severity=Severity.CRITICAL, title="t", action=action)],
        checks=["calico"],
    )
    for width in (40, 60, 100):
        lines = render_doctor_text(report, SNAP, width=width).splitlines()
        assert f"    -> {action}" in lines
        lines = render_doctor_text(report, SNAP, width=width, color=True).splitlines()
        assert any(action in line for line in lines)


def test_verbose_shows_all_the_evidence() -> None:
    evidence = {f"key{i}": i for i in range(12)} | {"long": "x" * 300}
    report = Report(
        findings=[
            Finding(check="capacity", severity=Severity.WARNING, title="t", evidence=evidence)
        ],
        checks=["capacity"],
    )
    short = render_doctor_text(report, SNAP, width=1000)
    assert "key7: 7" in short
    assert "key8: 8" not in short
    assert "1 check, 0 critical, 1 warning, 0 info" in short
    full = render_doctor_text(report, SNAP, width=1000, verbose=True)
    assert all(f"key{i}: {i}" in full for i in range(12))
    assert "x" * 300 in full


@pytest.mark.parametrize("width", [60, 80, 120])
def test_ntable_blocks_fit_calico_device_names(width: int) -> None:
    """Calico's veths are named cali + 11 hex digits; no name or parameter is cut."""
    devs = [f"cali{i:011x}" for i in range(5)]
    parms = [NeighParms(family=AF_INET, reachable_time=30000, unres_qlen_bytes=212992)]
    parms += [NeighParms(family=AF_INET, dev=d, unres_qlen_bytes=212992) for d in devs]
    snap = Snapshot(
        namespaces=[NamespaceSnapshot(name="host", neighbors=[])],
        tables={AF_INET: TableParms(family=AF_INET, entries=0)},
        complete=True,
    )
    text = render_ntable_text(build_report(parms, snap, netns="host"), width=width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert "…" not in text
    for dev in devs:
        assert dev in text
    blocks = text.count("interval_probe_time_ms")
    assert blocks == len([line for line in lines if line.startswith("parameter ")])
