"""The docs keep up with the code: every command, option, choice and exit code is documented.

In the manner of sqlite-utils' tests/test_docs.py: the command objects typer
builds are the source of truth, and docs/ must name everything they accept.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from neighctl.cli import COMMANDS, build_app
from neighctl.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"

QUICK_START_SHOW = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/neighctl show"
QUICK_START_TEST = "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/pytest"


def _commands() -> dict[str, Any]:
    group: Any = typer.main.get_command(build_app())
    return dict(group.commands)


COMMAND_OBJECTS = _commands()


def _options(name: str) -> list[Any]:
    """The visible options of a command (hidden ones are for tests; --help is click's)."""
    return [
        p
        for p in COMMAND_OBJECTS[name].params
        if p.param_type_name == "option" and not getattr(p, "hidden", False)
    ]


def _mentions(text: str, word: str) -> bool:
    """``word`` appears as a whole token: `--dev` is not found inside `--dev-name`."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def _page(name: str) -> str:
    return (DOCS / "commands" / f"{name}.md").read_text(encoding="utf-8")


def test_the_walk_finds_the_commands() -> None:
    """Guards the tests below against passing on an empty walk."""
    assert set(COMMAND_OBJECTS) == set(COMMANDS)
    assert "show" in COMMAND_OBJECTS
    assert any(_options(name) for name in COMMAND_OBJECTS)


def test_mentions_is_whole_token() -> None:
    assert _mentions("use `--dev DEV`", "--dev")
    assert not _mentions("use `--device`", "--dev")
    assert not _mentions("`--dry-run`", "--dry")
    assert _mentions("| `-4` | IPv4 |", "-4")
    assert not _mentions("`-46`", "-4")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_page(name: str) -> None:
    path = DOCS / "commands" / f"{name}.md"
    assert path.is_file(), f"docs/commands/{name}.md is missing"
    text = _page(name)
    assert text.startswith(f"# neighctl {name}"), f"{path} must start with '# neighctl {name}'"
    assert re.search(r"^## Exit codes", text, re.MULTILINE), f"{path} has no '## Exit codes'"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_is_documented(name: str) -> None:
    text = _page(name)
    missing = [
        opt
        for param in _options(name)
        for opt in (*param.opts, *param.secondary_opts)
        if not _mentions(text, opt)
    ]
    assert not missing, f"docs/commands/{name}.md does not mention {missing}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_choice_is_documented(name: str) -> None:
    text = _page(name)
    missing = [
        f"{param.opts[0]} {choice}"
        for param in _options(name)
        for choice in getattr(param.type, "choices", None) or ()
        if not _mentions(text, str(choice))
    ]
    assert not missing, f"docs/commands/{name}.md does not mention the values {missing}"


def test_every_global_option_is_documented() -> None:
    group: Any = typer.main.get_command(build_app())
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    opts = [opt for p in group.params if not getattr(p, "hidden", False) for opt in p.opts]
    assert "--version" in opts
    missing = [opt for opt in opts if not _mentions(text, opt)]
    assert not missing, f"docs/cli.md does not mention {missing}"


def test_every_exit_code_is_documented() -> None:
    text = (DOCS / "exit-codes.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\|\s*`?(\d+)`?\s*\|", text, re.MULTILINE))
    missing = [f"{code.value} ({code.name})" for code in ExitCode if str(code.value) not in rows]
    assert not missing, f"docs/exit-codes.md has no table row for {missing}"


def test_readme_is_a_front_door() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 160
    assert QUICK_START_SHOW in text
    assert QUICK_START_TEST in text


def test_ci_runs_what_the_readme_says() -> None:
    """.ci/run installs the test extra (maybe with others) and ends with pytest, as the README."""
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines[-1] == "pytest"
    assert any(re.search(r"pip install .*'\.\[(\w+,)*test[],]", line) for line in lines)


def _relative_links(path: Path) -> list[tuple[str, Path, str]]:
    """(target, file, anchor) of every link to this repository's files."""
    text = path.read_text(encoding="utf-8")
    links = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        links.append((target, (path.parent / file).resolve() if file else path, anchor))
    return links


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    headings = re.findall(r"^#{1,6} +(.+?) *$", text, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_anchors_follow_github() -> None:
    assert "reading-saved-outputs---from" in _anchors(DOCS / "commands" / "show.md")
    assert "exit-codes" in _anchors(DOCS / "commands" / "show.md")


DOC_FILES = [README, *sorted(DOCS.rglob("*.md")), ROOT / "fixtures" / "README.md"]


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path: Path) -> None:
    broken = [
        target
        for target, resolved, anchor in _relative_links(path)
        if not resolved.exists()
        or (anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved))
    ]
    assert not broken, f"{path.relative_to(ROOT)} links to missing files or headings: {broken}"


def test_every_fixture_is_described() -> None:
    """fixtures/README.md names every file in fixtures/ (which command made it, or why)."""
    folder = ROOT / "fixtures"
    text = (folder / "README.md").read_text(encoding="utf-8")
    files = [
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "README.md" and "__pycache__" not in p.parts
    ]
    assert "ip-neigh.txt" in files
    missing = [name for name in files if f"`{name}`" not in text]
    assert not missing, f"fixtures/README.md does not describe {missing}"
