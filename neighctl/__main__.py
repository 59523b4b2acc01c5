"""`python -m neighctl`."""

from neighctl.cli import main

main()
