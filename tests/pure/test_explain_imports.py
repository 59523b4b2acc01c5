"""`explain STATE` touches no kernel: no pyroute2, no neighctl.kernel (subprocess).

The text view measures cells with rich and, for colour, styles with it; the
JSON view, errors and --help import neither rich nor pyroute2.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    # Plain text needs rich's cell measure only (for non-ASCII text); nothing else heavy.
    heavy = heavy_modules(*args)
    assert [m for m in heavy if not m.startswith("rich")] == []
    assert "rich.console" not in heavy
    assert "rich.text" not in heavy


def test_explain_text_measures_with_rich_and_colours_with_it() -> None:
    assert "rich.cells" in heavy_modules("explain", "failed", "--lang", "zh")
    coloured = heavy_modules("explain", "failed", "--color", "always")
    assert "rich.style" in coloured  # rich writes the colour codes
    assert "rich.console" not in coloured  # the lines are laid out already
    assert [m for m in coloured if not m.startswith("rich")] == []


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


def loaded_words(*args: str) -> list[str]:
    probe = (
        "import json, sys\n"
        f"sys.argv = ['neighctl', *{list(args)!r}]\n"
        "from neighctl.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules"
        " if m.startswith('neighctl.explain.words_'))), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    return list(json.loads(done.stderr.strip().splitlines()[-1]))


def test_one_language_is_loaded(tmp_path: Path) -> None:
    saved = tmp_path / "neigh.txt"
    saved.write_text("10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 ref 1 used 1/1/1probes 0 STALE\n")
    english = ["neighctl.explain.words_en"]
    assert loaded_words("explain", "10.0.0.2", "--from", str(saved)) == english
    assert loaded_words("explain", "stale") == english
    assert loaded_words("explain", "stale", "-o", "json") == english
    assert loaded_words("explain", "--lang", "zh") == ["neighctl.explain.words_zh"]
