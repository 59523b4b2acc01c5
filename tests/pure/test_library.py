"""The library surface: names, typed construction, cheap import."""

from __future__ import annotations

import json
import subprocess
import sys

import neighctl
from neighctl.model import Neighbor, NeighFlag, NudState, fast_neighbor


def test_every_public_name_resolves() -> None:
    assert sorted(neighctl.__all__) == sorted(["__version__", *neighctl._EXPORTS])
    for name in neighctl.__all__:
        assert getattr(neighctl, name) is not None, name


def test_version_is_single_sourced() -> None:
    from importlib.metadata import version

    assert version("neighctl") == neighctl.__version__


def test_fast_neighbor_puts_each_field_in_its_place() -> None:
    # Distinct values for every field: a swapped pair cannot go unnoticed.
    values = dict(
        family=10,
        dst="fd00::1",
        dev="veth0",
        state=NudState.STALE,
        flags=NeighFlag.ROUTER,
        lladdr="02:00:00:00:00:01",
        ifindex=7,
        refcnt=3,
        used=1.5,
        confirmed=2.5,
        updated=3.5,
        probes=4,
        protocol=186,
    )
    fast = fast_neighbor(*values.values())
    assert type(fast) is Neighbor
    assert fast == Neighbor(**values)  # type: ignore[arg-type]
    for name, value in values.items():
        assert getattr(fast, name) == value, name


def test_fast_neighbor_is_frozen_afterwards() -> None:
    import dataclasses

    import pytest

    n = fast_neighbor(2, "10.0.0.1", "eth0", NudState.REACHABLE, NeighFlag(0), None, 1,
                      None, None, None, None, None, None)  # fmt: skip
    with pytest.raises(dataclasses.FrozenInstanceError):
        n.dst = "10.0.0.2"  # type: ignore[misc]


def test_import_neighctl_is_cheap() -> None:
    probe = (
        "import json, sys, neighctl\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('neighctl', 'pyroute2', 'rich', 'typer'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == ["neighctl"]
