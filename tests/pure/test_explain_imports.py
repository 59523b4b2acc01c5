"""`explain STATE` touches no kernel: no pyroute2, no neighctl.kernel (subprocess).

The text view lays documents out with rich (imported when it renders);
the JSON view, errors and --help import neither rich nor pyroute2.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.pure.test_imports import REPO, heavy_modules


@pytest.mark.parametrize(
    "args",
    [
        ["explain"],
        ["explain", "stale"],
        ["explain", "0x04", "-o", "json"],
        ["explain", "failed", "--lang", "zh"],
        ["explain", "IMCOMPLETE"],
    ],
    ids=["explain", "explain-state", "explain-json", "explain-zh", "explain-typo"],
)
def test_explain_state_imports_no_heavy_module(args: list[str]) -> None:
    text_view = "-o" not in args and args != ["explain", "IMCOMPLETE"]
    heavy = heavy_modules(*args)
    if text_view:  # rich lays the text out; nothing else heavy comes with it
        assert {m.split(".")[0] for m in heavy} == {"rich"}
        heavy = [m for m in heavy if not m.startswith("rich")]
    assert heavy == []


@pytest.mark.parametrize("args", [["explain", "--help"], ["explain", "stale", "-o", "json"]])
def test_explain_help_and_json_import_no_rich(args: list[str]) -> None:
    assert heavy_modules(*args) == []


def test_explain_state_does_not_load_the_kernel_package() -> None:
    probe = (
        "import sys\nsys.argv = ['neighctl', 'explain', 'stale']\n"
        "from neighctl.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('neighctl.kernel')), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert done.stderr.strip().splitlines()[-1] == "[]"
