"""The Calico and flannel examples of docs/commands/add.md and flush.md, run in a lab.

The devices get the names they have on a real node (cali69de609d5af, eth0 in
the pod, flannel.1), in test namespaces; the entries are the source material's.
"""

from __future__ import annotations

from typer.testing import CliRunner

from neighctl import cli
from tests.lab import Lab

runner = CliRunner()

FLANNEL = [
    ("172.30.6.0", "ca:82:f5:77:60:38"),
    ("172.30.91.0", "c2:75:cd:6c:e8:6a"),
    ("172.30.54.0", "76:c5:14:6a:e5:8c"),
    ("172.30.96.0", "56:6b:51:72:d9:56"),
]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli.app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_calico_host_entry(lab: Lab) -> None:
    # The host side of a workload veth; its peer plays the pod's eth0.
    lab.ip(
        "link", "add", "cali69de609d5af", "type", "veth", "peer", "name", "eth0", "netns", lab.peer
    )
    lab.ip("link", "set", "cali69de609d5af", "up")
    code, out, _ = run(
        "add", "192.168.8.42", "b2:21:5b:82:e1:27", "--dev", "cali69de609d5af", "--netns", lab.ns
    )
    assert code == 0
    assert out == (
        "ADDRESS       DEVICE           LLADDR             STATE      FLAGS\n"
        "192.168.8.42  cali69de609d5af  b2:21:5b:82:e1:27  PERMANENT  -\n"
    )
    assert lab.ip("neigh", "show", "dev", "cali69de609d5af") == (
        "192.168.8.42 lladdr b2:21:5b:82:e1:27 PERMANENT \n"
    )
    code, out, err = run(
        "add", "192.168.8.42", "B2-21-5B-82-E1-27", "--dev", "cali69de609d5af", "--netns", lab.ns
    )
    assert code == 6
    assert err == (
        "neighctl: error: 192.168.8.42 dev cali69de609d5af already exists: 192.168.8.42 dev "
        "cali69de609d5af lladdr b2:21:5b:82:e1:27 PERMANENT (use --replace to change it)\n"
    )


def test_calico_pod_gateway_entry(lab: Lab) -> None:
    # In the "pod" (lab.peer): eth0, whose gateway 169.254.1.1 has ee:ee:ee:ee:ee:ee.
    lab.ip("link", "add", "cali1", "type", "veth", "peer", "name", "eth0", "netns", lab.peer)
    pod = ["--dev", "eth0", "--netns", lab.peer]
    code, out, _ = run("add", "169.254.1.1", "ee:ee:ee:ee:ee:ee", *pod, "--dry-run")
    assert code == 0
    assert out == (
        f"ip -n {lab.peer} neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud permanent\n"
    )
    code, out, _ = run("add", "169.254.1.1", "ee:ee:ee:ee:ee:ee", *pod, "--replace")
    assert code == 0
    assert out == (
        "ADDRESS      DEVICE  LLADDR             STATE      FLAGS\n"
        "169.254.1.1  eth0    ee:ee:ee:ee:ee:ee  PERMANENT  -\n"
    )
    code, _, _ = run("del", "169.254.1.1", *pod)
    assert code == 0
    assert "169.254.1.1" not in lab_peer_neigh(lab)


def lab_peer_neigh(lab: Lab) -> str:
    from tests.lab import run as sh

    return sh("ip", "-n", lab.peer, "neigh", "show", "nud", "all").stdout


def test_flannel_vtep_entries(lab: Lab) -> None:
    lab.ip_batch(
        "link add flannel.1 type vxlan id 1 dstport 8472 local 10.0.0.1 dev veth0 nolearning\n"
        "link set flannel.1 up\n"
        "addr add 172.30.5.0/32 dev flannel.1\n"
    )
    for vtep, mac in FLANNEL:
        code, _, _ = run("add", vtep, mac, "--dev", "flannel.1", "--netns", lab.ns)
        assert code == 0
    lines = lab.ip("neigh", "show", "nud", "all", "dev", "flannel.1").splitlines()
    assert sorted(line for line in lines if not line.startswith(("ff", "224."))) == sorted(
        f"{vtep} lladdr {mac} PERMANENT " for vtep, mac in FLANNEL
    )
    # Flushing flannel.1 leaves the PERMANENT VTEP entries alone...
    code, out, err = run("flush", "--dev", "flannel.1", "--dry-run", "--netns", lab.ns)
    assert (code, out) == (0, "")
    assert "nothing to flush" in err
    code, _, _ = run("flush", "--all", "--yes", "--netns", lab.ns)
    assert code == 0
    # ...unless asked for by state.
    code, out, _ = run(
        "flush", "--dev", "flannel.1", "--state", "permanent", "--dry-run", "--netns", lab.ns
    )
    assert code == 0
    assert sorted(out.splitlines()) == sorted(
        f"ip -n {lab.ns} neigh del {vtep} dev flannel.1" for vtep, _ in FLANNEL
    )
    after = lab.ip("neigh", "show", "dev", "flannel.1")
    for vtep, mac in FLANNEL:
        assert f"{vtep} lladdr {mac} PERMANENT" in after
