"""`neighctl metrics`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from neighctl.cli.common import NetnsOpt, handle_errors, warn, write
from neighctl.errors import UsageError

DEFAULT_DOCTOR_INTERVAL = 60.0


@handle_errors
def run(
    netns: NetnsOpt = None,
    all_namespaces: Annotated[
        bool,
        typer.Option(
            "--all-namespaces",
            help="Every network namespace on the node, named or not (adds a netns label).",
        ),
    ] = False,
    textfile: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--textfile",
            metavar="PATH",
            help="Write the metrics to PATH atomically (for node_exporter's textfile "
            "collector; name it *.prom) instead of stdout.",
        ),
    ] = None,
    listen: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--listen",
            metavar="HOST:PORT",
            help="Serve /metrics over HTTP, reading the kernel at each scrape, until SIGTERM. "
            "HOST defaults to 127.0.0.1.",
        ),
    ] = None,
    doctor_interval: Annotated[
        float,
        typer.Option(
            "--doctor-interval",
            metavar="SECONDS",
            min=0,
            help="Under --listen, run the doctor's checks at most every SECONDS (default 60; "
            "0: at every scrape); scrapes in between read only the entries.",
        ),
    ] = DEFAULT_DOCTOR_INTERVAL,
    no_doctor: Annotated[
        bool,
        typer.Option("--no-doctor", help="Do not run the doctor's checks (no findings metric)."),
    ] = False,
    per_address: Annotated[
        bool,
        typer.Option(
            "--per-address",
            help="Also one series per entry, labelled with its address and MAC "
            "(neighctl_neighbor_entry_info). Warning: one series per neighbour; "
            "skipped above 1000 entries.",
        ),
    ] = False,
) -> None:
    """Export the neighbour table as Prometheus metrics (stdout, a textfile, or HTTP)."""
    if textfile is not None and listen is not None:
        raise UsageError("--textfile and --listen exclude each other")
    if netns is not None and all_namespaces:
        raise UsageError("--netns and --all-namespaces exclude each other")
    from neighctl.metrics import exporter

    address = exporter.parse_listen(listen) if listen is not None else None
    if no_doctor:
        interval: float | None = None
    else:
        interval = doctor_interval if address is not None else 0.0
    collector, pool = exporter.make_collector(
        netns,
        all_namespaces=all_namespaces,
        per_address=per_address,
        watch=address is not None,
        doctor_interval=interval,
    )
    if per_address:
        warn("--per-address adds one series per neighbour entry; keep it to small tables")
    if address is not None:
        exporter.run_exporter(address, collector, pool)
    elif textfile is not None:
        exporter.write_textfile(textfile, collector)
    else:
        write(exporter.exposition(collector).decode())
