"""Dependencies point one way (design.md, Architecture); checked on the source, imports
inside functions included."""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "neighctl"

# What each part may import from neighctl (besides itself); anything else is a layering error.
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "errors": set(),
    "filters": {"errors", "model"},
    "validate": {"errors", "model", "filters"},
    "timers": {"model"},
    "events": {"model", "filters"},
    "snapshot": {"model", "timers"},
    "proxyrule": {"model"},
    "probe": {"errors", "model", "timers"},  # what a probe found: data the kernel returns
    "kernel": {
        "errors",
        "model",
        "filters",
        "validate",
        "events",
        "timers",
        "snapshot",
        "probe",
        "proxyrule",
    },
    "parse": {"errors", "model", "filters", "timers", "snapshot", "validate"},
    "diagnose": {
        "errors",
        "model",
        "filters",
        "timers",
        "snapshot",
        "events",
        "validate",
        "proxyrule",
    },
    "render": {"errors", "model", "filters", "timers", "snapshot", "events", "diagnose", "probe"},
}
# The CLI, the library surface and the feature packages above the kernel are not
# constrained here beyond "nothing below imports them" (ALLOWED lists no cli).


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def neighctl_imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("neighctl."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "neighctl":
                found.update(f"neighctl.{a.name}" for a in node.names)
            elif node.module.startswith("neighctl."):
                found.add(node.module)
    return found


def sources(part: str) -> list[pathlib.Path]:
    if (PACKAGE / part).is_dir():
        return sorted((PACKAGE / part).rglob("*.py"))
    return [PACKAGE / f"{part}.py"]


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_imports_point_down(part: str) -> None:
    bad = []
    for path in sources(part):
        for module in neighctl_imports(path):
            target = part_of(module)
            if target != part and target not in ALLOWED[part]:
                bad.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert not bad, "\n".join(bad)


def test_kernel_never_imports_views_or_features() -> None:
    """The acceptance rule in its own words: kernel/ imports no render, explain,
    diagnose, cli or parse — not even inside a function."""
    for path in sources("kernel"):
        for module in neighctl_imports(path):
            assert part_of(module) not in {"render", "explain", "diagnose", "cli", "parse"}, (
                f"{path.name} imports {module}"
            )


def test_pyroute2_only_in_the_kernel_package() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "kernel" in path.relative_to(PACKAGE).parts:
            continue
        text = path.read_text()
        assert "import pyroute2" not in text, path
        assert "from pyroute2" not in text, path


def test_the_checker_sees_function_level_imports(tmp_path: pathlib.Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text(
        "def f():\n    from neighctl.render import ip_line\n    import neighctl.cli\n"
    )
    assert neighctl_imports(sample) == {"neighctl.render", "neighctl.cli"}
