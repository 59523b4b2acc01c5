"""NTF_EXT_EXT_VALIDATED (kernel 6.17+, `extern_valid` in iproute2 6.17+): an entry
made with it in a test namespace reads back with the flag, in every view."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from neighctl.cli import app
from tests.lab import Lab, run

NTF_EXT_LEARNED = 0x10
NTF_EXT_EXT_VALIDATED = 1 << 2  # include/uapi/linux/neighbour.h, in NDA_FLAGS_EXT
NUD_STALE = 0x04


def add_extern_valid(lab: Lab, dst: str) -> None:
    """iproute2 6.1 cannot set the flag: pyroute2 sends NDA_FLAGS_EXT inside the namespace."""
    code = (
        "from pyroute2 import IPRoute\n"
        "ip = IPRoute()\n"
        "idx = ip.link_lookup(ifname='veth0')[0]\n"
        f"ip.neigh('add', dst={dst!r}, lladdr='02:00:00:00:00:77', ifindex=idx,"
        f" state={NUD_STALE}, flags={NTF_EXT_LEARNED}, NDA_FLAGS_EXT={NTF_EXT_EXT_VALIDATED})\n"
    )
    import sys

    done = run("ip", "netns", "exec", lab.ns, sys.executable, "-c", code, check=False)
    if done.returncode != 0:
        pytest.skip(f"this kernel refuses extern_valid: {done.stderr.strip()[-200:]}")


def test_extern_valid_comes_back_from_the_kernel(lab: Lab) -> None:
    add_extern_valid(lab, "10.0.0.77")
    result = CliRunner().invoke(
        app, ["show", "10.0.0.77", "--netns", lab.ns, "-o", "json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    (entry,) = json.loads(result.stdout)
    assert entry["flags"] == ["extern_learn", "extern_valid"]
    ip_text = CliRunner().invoke(app, ["show", "10.0.0.77", "--netns", lab.ns, "-o", "ip"])
    assert "extern_learn extern_valid STALE" in ip_text.stdout
