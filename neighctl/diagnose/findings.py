"""What the doctor reports: findings with a severity, and a report that knows its exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from neighctl.errors import ExitCode


class Severity(IntEnum):
    OK = 0
    INFO = 1
    WARNING = 2
    CRITICAL = 3

    @property
    def word(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found.

    ``check`` is the stable check id (``capacity``, ``failed-pile``, ...);
    ``evidence`` holds JSON-ready data (entries, counts, sysctls); ``action``
    says what to do, with a concrete command where there is one.
    """

    check: str
    severity: Severity
    title: str
    evidence: dict[str, Any] = field(default_factory=dict)
    action: str | None = None
    netns: str | None = None
    dev: str | None = None
    family: int | None = None


@dataclass(slots=True)
class Report:
    """Every finding of a doctor run, which checks ran, and which were skipped and why."""

    findings: list[Finding] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def worst(self) -> Severity:
        return max((f.severity for f in self.findings), default=Severity.OK)

    @property
    def exit_code(self) -> ExitCode:
        """0 below warning; DOCTOR_WARNING or DOCTOR_CRITICAL otherwise."""
        worst = self.worst
        if worst >= Severity.CRITICAL:
            return ExitCode.DOCTOR_CRITICAL
        if worst >= Severity.WARNING:
            return ExitCode.DOCTOR_WARNING
        return ExitCode.OK
