"""`diff` of a saved output against the kernel now, in a test namespace: `--netns`
names the live side's namespace while the other side is a plain file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from neighctl.cli import app
from tests.lab import Lab


def test_a_saved_file_against_live_in_a_namespace(lab: Lab, tmp_path: Path) -> None:
    lab.ip_batch(
        "neigh add 10.0.0.40 lladdr 02:00:00:00:00:40 dev veth0\n"
        "neigh add 10.0.0.41 lladdr 02:00:00:00:00:41 dev veth0\n"
    )
    saved = tmp_path / "before.txt"
    saved.write_text(lab.ip("neigh", "show", "nud", "permanent"))
    lab.ip_batch(
        "neigh replace 10.0.0.41 lladdr 02:00:00:00:00:aa dev veth0\n"
        "neigh add 10.0.0.42 lladdr 02:00:00:00:00:42 dev veth0\n"
    )
    runner = CliRunner()
    for args in (
        [str(saved), "live", "--netns", lab.ns],
        [str(saved), "-", "--netns", lab.ns],
        ["live", str(saved), "--netns", lab.ns],
    ):
        result = runner.invoke(app, ["diff", *args, "--state", "permanent", "-o", "json"])
        assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["diff", str(saved), "live", "--netns", lab.ns, "--state", "permanent"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("~")
        and "10.0.0.41" in line
        and "02:00:00:00:00:41 → 02:00:00:00:00:aa" in line
        for line in lines
    ), result.stdout
    assert any(line.startswith("+") and "10.0.0.42" in line for line in lines)
    assert lines[-1] == "1 added, 0 removed, 1 changed"
