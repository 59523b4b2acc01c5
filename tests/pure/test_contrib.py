"""contrib/: the alerting rules (promtool), the systemd units, the Kubernetes DaemonSet."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.kernel.metrics_support import REPO, require_tool

CONTRIB = Path(REPO) / "contrib"
RULES = CONTRIB / "prometheus" / "neighctl-alerts.yml"
RULE_TESTS = CONTRIB / "prometheus" / "neighctl-alerts.test.yml"
SERVICE = CONTRIB / "systemd" / "neighctl-metrics.service"
TIMER = CONTRIB / "systemd" / "neighctl-metrics.timer"
DAEMONSET = CONTRIB / "kubernetes" / "neighctl-daemonset.yaml"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = require_tool("promtool")
    return subprocess.run([tool, *args], capture_output=True, text=True, cwd=RULES.parent)


def test_promtool_check_rules() -> None:
    done = promtool("check", "rules", RULES.name)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS: 4 rules found" in done.stdout


def test_promtool_test_rules() -> None:
    done = promtool("test", "rules", RULE_TESTS.name)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_has_a_unit_test_and_uses_only_our_metrics() -> None:
    from neighctl.metrics.catalogue import ALL_METRICS

    rules = yaml.safe_load(RULES.read_text())["groups"][0]["rules"]
    tests = yaml.safe_load(RULE_TESTS.read_text())["tests"]
    tested = {
        case["alertname"] for t in tests for case in t["alert_rule_test"] if case["exp_alerts"]
    }
    assert tested == {r["alert"] for r in rules}
    samples = {spec.sample for spec in ALL_METRICS}
    for rule in rules:
        used = {word for word in _words(rule["expr"]) if word.startswith("neighctl_")}
        assert used, rule["alert"]
        assert used <= samples, rule["alert"]


def _words(expr: str) -> list[str]:
    import re

    return re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr)


def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # verify checks that ExecStart's program exists: point it at this checkout's.
    service = SERVICE.read_text().replace("/usr/local/bin/neighctl", _neighctl_script())
    (tmp_path / SERVICE.name).write_text(service)
    shutil.copy(TIMER, tmp_path / TIMER.name)
    done = subprocess.run(
        [analyze, "verify", f"./{SERVICE.name}", f"./{TIMER.name}"],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def _neighctl_script() -> str:
    import sys

    script = os.path.join(os.path.dirname(sys.executable), "neighctl")
    return script if os.path.exists(script) else shutil.which("neighctl") or "/bin/true"


def exec_start() -> list[str]:
    for line in SERVICE.read_text().splitlines():
        if line.startswith("ExecStart="):
            return line.removeprefix("ExecStart=").split()
    raise AssertionError("no ExecStart")


def test_service_runs_the_textfile_mode_with_options_that_exist() -> None:
    argv = exec_start()
    assert argv[:2] == ["/usr/local/bin/neighctl", "metrics"]
    assert "--textfile" in argv
    assert argv[argv.index("--textfile") + 1].endswith(".prom")
    assert "--all-namespaces" in argv
    assert "ReadWritePaths=" + os.path.dirname(argv[argv.index("--textfile") + 1]) in (
        SERVICE.read_text()
    )
    assert "PrivateNetwork" not in SERVICE.read_text().replace("Never PrivateNetwork=", "")


def _daemonset() -> dict[str, Any]:
    docs = [d for d in yaml.safe_load_all(DAEMONSET.read_text()) if d]
    (ds,) = [d for d in docs if d["kind"] == "DaemonSet"]
    return ds


def test_daemonset_shape() -> None:
    spec = _daemonset()["spec"]["template"]["spec"]
    assert spec["hostNetwork"] is True
    assert spec["hostPID"] is True
    (container,) = spec["containers"]
    security = container["securityContext"]
    assert security["capabilities"]["drop"] == ["ALL"]
    assert sorted(security["capabilities"]["add"]) == ["NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE"]
    assert security["privileged"] is False
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    assert mounts["/run/netns"]["readOnly"] is True
    assert all(m.get("readOnly") for m in mounts.values())
    args = container["args"]
    assert args[:2] == ["metrics", "--all-namespaces"]
    assert args[args.index("--listen") + 1] == "$(HOST_IP):9870"
    port = container["ports"][0]["containerPort"]
    annotations = _daemonset()["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == str(port) == "9870"


def test_contrib_uses_only_options_metrics_has() -> None:
    from typer.testing import CliRunner

    from neighctl.cli import app

    help_text = CliRunner().invoke(app, ["metrics", "--help"]).stdout
    container = _daemonset()["spec"]["template"]["spec"]["containers"][0]
    for argv in (exec_start()[2:], container["args"][1:]):
        for word in argv:
            if word.startswith("--"):
                assert word in help_text, word
