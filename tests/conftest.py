"""Shared fixtures: real-kernel test namespaces (see tests/lab.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests import lab as lab_module
from tests.lab import Lab

REQUIRE_NETNS = os.environ.get("NEIGHCTL_REQUIRE_NETNS") == "1"
_reason: list[str | None] = []


def _require_netns() -> None:
    """Skip (or, with NEIGHCTL_REQUIRE_NETNS=1, fail) when namespaces can't be made."""
    if not _reason:
        _reason.append(lab_module.netns_unavailable_reason())
    reason = _reason[0]
    if reason is None:
        return
    if REQUIRE_NETNS:
        pytest.fail(f"NEIGHCTL_REQUIRE_NETNS=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def lab() -> Iterator[Lab]:
    """A fresh namespace pair for a test that changes things."""
    _require_netns()
    with lab_module.lab("t") as the_lab:
        yield the_lab


@pytest.fixture(scope="module")
def populated_lab() -> Iterator[Lab]:
    """A namespace with entries in every state; tests must only read it."""
    _require_netns()
    with lab_module.lab("pop") as the_lab:
        lab_module.populate(the_lab)
        yield the_lab
