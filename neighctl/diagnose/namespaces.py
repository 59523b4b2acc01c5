"""namespaces: namespaces that could not be read (their entries are missing from every count)."""

from __future__ import annotations

from neighctl.diagnose.findings import Finding, Severity
from neighctl.snapshot import Snapshot

CHECK = "namespaces"


def check(snapshot: Snapshot) -> list[Finding]:
    return [
        Finding(
            check=CHECK,
            severity=Severity.WARNING,
            title=f"namespace {ns.label} could not be read: {ns.error}",
            evidence={"inode": ns.inode, "path": ns.path, "error": ns.error},
            action="run as root (CAP_SYS_ADMIN) to enter every namespace"
            if "sudo" in (ns.error or "") or "CAP_SYS_ADMIN" in (ns.error or "")
            else None,
            netns=ns.label,
        )
        for ns in snapshot.namespaces
        if ns.error is not None
    ]
