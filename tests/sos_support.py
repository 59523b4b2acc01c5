"""Build a sosreport-like directory from a test namespace, as sos's plugins would save it.

The commands and file names are those of sos's networking and kernel plugins
(sos/report/plugins/networking.py and kernel.py; names by _mangle_command,
mirrored by neighctl.parse.sosreport.mangle). The lab's namespace plays the
host; ``inner`` namespaces play the ones sos visits with `ip netns exec`.
"""

from __future__ import annotations

import os
import subprocess

from neighctl.parse.sosreport import HOST_COMMANDS, NS_COMMANDS, mangle

HOST = [HOST_COMMANDS[field][0] for field in HOST_COMMANDS]


def _run(ns: str, command: str) -> str:
    done = subprocess.run(
        ["ip", "netns", "exec", ns, "sh", "-c", command], capture_output=True, text=True
    )
    return done.stdout


def build(root: str, ns: str, inner: list[str] = (), skip: tuple[str, ...] = ()) -> str:  # type: ignore[assignment]
    """Write sos_commands/ for namespace ``ns`` under ``root``; ``skip`` leaves commands out."""
    net = os.path.join(root, "sos_commands", "networking")
    os.makedirs(net, exist_ok=True)
    os.makedirs(os.path.join(root, "sos_commands", "kernel"), exist_ok=True)
    for command in HOST:
        if command in skip:
            continue
        with open(os.path.join(net, mangle(command)), "w") as f:
            f.write(_run(ns, command))
    if "sysctl -a" not in skip:
        with open(os.path.join(root, "sos_commands", "kernel", "sysctl_-a"), "w") as f:
            f.write(_run(ns, "sysctl -a 2>/dev/null"))
    with open(os.path.join(net, "ip_netns"), "w") as f:
        f.write("".join(f"{name}\n" for name in inner))
    for name in inner:
        folder = os.path.join(net, "namespaces", name)
        os.makedirs(folder, exist_ok=True)
        for field in NS_COMMANDS:
            command = NS_COMMANDS[field][0]
            full = f"ip netns exec {name}  {command}"
            with open(os.path.join(folder, mangle(full)), "w") as f:
                f.write(_run(name, command + (" 2>/dev/null" if "sysctl" in command else "")))
    return root
