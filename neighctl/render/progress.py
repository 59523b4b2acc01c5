"""A progress bar of bytes read, for a capture that takes more than a moment (rich, stderr).

Shown only when standard error is a terminal, and only once the read has
taken longer than ``delay`` seconds: a small file reads with no flicker.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class ByteProgress:
    """Call with the number of bytes read so far; ``close()`` when done."""

    def __init__(
        self,
        total: int | None,
        label: str,
        *,
        delay: float = 0.5,
        stream: TextIO | None = None,
    ) -> None:
        self.total = total
        self.label = label
        self.delay = delay
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.monotonic()
        self.enabled = self.stream.isatty()
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.start < self.delay:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        self._bar.update(self._task, completed=done)

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
