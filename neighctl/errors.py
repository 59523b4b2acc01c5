"""Errors a user can see, each with a documented exit code and a hint."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; documented in docs/exit-codes.md (tests/pure/test_docs.py checks)."""

    OK = 0
    FAILURE = 1  # a partial failure, e.g. flush deleted some entries but not all
    USAGE = 2  # bad usage or bad input, including unparseable files (typer's code)
    NOT_FOUND = 3  # no such entry (del, explain ADDR)
    PERMISSION = 4  # not permitted (needs CAP_NET_ADMIN / root)
    KERNEL = 5  # the kernel refused the request for another reason
    EXISTS = 6  # the entry already exists (add without --replace)
    NO_NAMESPACE = 7  # --netns names a namespace that does not exist
    DOCTOR_WARNING = 8  # doctor: the worst finding is a warning
    DOCTOR_CRITICAL = 9  # doctor: at least one critical finding
    DECLINED = 10  # a confirmation was declined (or its input ended): nothing changed
    UNREACHABLE = 11  # probe: nobody answered; the entry ended FAILED
    UNDECIDED = 12  # probe: neither REACHABLE nor FAILED within --timeout
    INTERNAL = 70  # a bug in neighctl (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C


class NeighctlError(Exception):
    """Base of every error the CLI turns into one line and an exit code."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(NeighctlError):
    """Bad input from the user: an address, MAC, state, option combination."""

    exit_code = ExitCode.USAGE


class ParseError(UsageError):
    """A text source that cannot be read; carries where."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line_number: int | None = None,
        line: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = path or "<input>"
        if line_number is not None:
            where = f"{where}:{line_number}"
        text = f"{where}: {message}"
        if line is not None:
            text = f"{text}: {line!r}"
        super().__init__(text, hint)
        self.path = path
        self.line_number = line_number
        self.line = line


class NotFoundError(NeighctlError):
    """No such entry."""

    exit_code = ExitCode.NOT_FOUND


class NoSuchDeviceError(UsageError):
    """A device name that does not exist: bad input, caught before any change."""


class NamespaceNotFoundError(NeighctlError):
    """--netns names a namespace that is not under /run/netns."""

    exit_code = ExitCode.NO_NAMESPACE


class NotANamespaceError(NamespaceNotFoundError):
    """A /run/netns (or /proc) path that setns() refuses as no network namespace,
    e.g. a file left behind after its mount went away."""


class PermissionDeniedError(NeighctlError):
    """The kernel said EPERM/EACCES."""

    exit_code = ExitCode.PERMISSION


class KernelError(NeighctlError):
    """The kernel refused a request (an errno other than the ones above)."""

    exit_code = ExitCode.KERNEL

    def __init__(self, message: str, hint: str | None = None, errno: int | None = None) -> None:
        super().__init__(message, hint)
        self.errno = errno


class EntryExistsError(NeighctlError):
    """The entry already exists; ``entry`` is the entry as the kernel has it."""

    exit_code = ExitCode.EXISTS

    def __init__(self, message: str, hint: str | None = None, *, entry: object = None) -> None:
        super().__init__(message, hint)
        self.entry = entry


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice nearest ``word`` for a "did you mean" hint, or None (difflib's ratio)."""
    import difflib  # only when a word was not understood

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None
