"""Everything that speaks netlink. Only this package imports pyroute2."""
