"""neighctl: read, explain and edit the Linux neighbour table."""

__version__ = "0.1.0"
