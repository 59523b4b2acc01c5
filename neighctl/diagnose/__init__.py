"""doctor: checks that are pure functions of a neighctl.snapshot.Snapshot."""
