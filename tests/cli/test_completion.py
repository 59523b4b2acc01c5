"""Shell completion: the script, and completions of commands and options."""

from __future__ import annotations

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neighctl", *args],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_show_completion_prints_a_bash_script() -> None:
    # typer's own switch: the shell is named instead of detected from the parent
    # processes (a test runner may have no shell among them).
    done = run(
        "--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    )
    assert done.returncode == 0, done.stderr
    assert "_NEIGHCTL_COMPLETE=complete_bash" in done.stdout


def completions(words: str) -> list[str]:
    env = {
        "_NEIGHCTL_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    done = run(env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_commands_and_options_complete() -> None:
    assert completions("neighctl sh") == ["show"]
    assert {"--state", "--stats"} <= set(completions("neighctl show --st"))
    assert "--dev" in completions("neighctl del 10.0.0.1 --d")
