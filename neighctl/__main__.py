"""`python -m neighctl`."""

from neighctl.cli import entry_point

entry_point()
