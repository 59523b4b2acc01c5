"""Heavy modules stay out of paths that do not use them (checked in a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROBE = """
import json, sys
sys.argv = ["neighctl", *{args!r}]
from neighctl.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("pyroute2", "rich", "pydantic", "prometheus_client"))), file=sys.stderr)
"""


def heavy_modules(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    return list(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["show", "--help"],
        ["--version"],
        ["show", "--state", "bogus"],
        ["metrics", "--help"],
        ["metrics", "--textfile", "x.prom", "--listen", ":9870"],
    ],
    ids=["help", "show-help", "version", "show-error", "metrics-help", "metrics-usage-error"],
)
def test_no_heavy_imports(args: list[str]) -> None:
    assert heavy_modules(*args) == []


def test_show_reads_the_kernel_without_pyroute2() -> None:
    if os.geteuid() != 0:
        pytest.skip("reading another namespace needs root; the host table is read instead")
    # The host's own table, read only: the read path must not import pyroute2.
    assert heavy_modules("show", "-o", "json") == []


def test_metrics_imports_prometheus_client_where_it_is_used() -> None:
    # The probe above can see the module: the metrics command itself loads it.
    assert "prometheus_client" in heavy_modules("metrics", "--listen", "nonsense")
