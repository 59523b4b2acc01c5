"""The three ways out: exposition text, a textfile for node_exporter, an HTTP exporter.

All three go through prometheus_client: its registry and text writer
(generate_latest, write_to_textfile) and, for --listen, its WSGI app served
by its threading server. The app is wrapped only to answer 404 off /metrics
and to turn a failed read into a one-line log and a 500 (Prometheus then
marks the target down) rather than a traceback.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client import CollectorRegistry, generate_latest, write_to_textfile
from prometheus_client.exposition import ThreadingWSGIServer, make_wsgi_app
from prometheus_client.process_collector import ProcessCollector

from neighctl.errors import PermissionDeniedError, UsageError
from neighctl.metrics.collector import NeighCollector
from neighctl.metrics.watch import WatchPool

METRICS_PATH = "/metrics"


def registry_of(collector: NeighCollector, *, process: bool = False) -> CollectorRegistry:
    """A registry holding only our collector (and, for a long-running exporter, the
    process's own CPU/memory metrics under the same prefix)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    if process:
        ProcessCollector(namespace="neighctl", registry=registry)
    return registry


def exposition(collector: NeighCollector) -> bytes:
    """The Prometheus text format (version 0.0.4) of one collection."""
    return generate_latest(registry_of(collector))


def write_textfile(path: str, collector: NeighCollector) -> None:
    """Write the exposition to ``path`` atomically: a temporary file in the same
    directory, then rename(2), so node_exporter never reads half a file.

    Raises PermissionDeniedError or UsageError (one line) when it cannot be written.
    """
    registry = registry_of(collector)
    try:
        write_to_textfile(path, registry)
    except PermissionError as exc:
        raise PermissionDeniedError(f"cannot write {path}: {exc.strerror}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


@dataclass(frozen=True, slots=True)
class ListenAddress:
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_listen(text: str) -> ListenAddress:
    """HOST:PORT, [IPv6]:PORT, or :PORT or PORT alone (on 127.0.0.1); UsageError otherwise."""
    host, sep, port_text = text.rpartition(":")
    if not sep and text.isdigit():
        host, sep, port_text = "", ":", text
    if not sep or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise UsageError(f"--listen {text!r} is not HOST:PORT", "e.g. 127.0.0.1:9870 or [::1]:9870")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise UsageError(f"--listen {text!r}: write an IPv6 address in brackets, [::1]:PORT")
    return ListenAddress(host or "127.0.0.1", int(port_text))


class _QuietHandler(WSGIRequestHandler):
    """No access log: a scrape every 15 s would fill the journal."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def metrics_app(registry: CollectorRegistry, log: Callable[[str], None]) -> Callable[..., Any]:
    """prometheus_client's WSGI app on /metrics; 404 elsewhere; 500 with one log line on error."""
    app = make_wsgi_app(registry)
    index = (
        b"<html><head><title>neighctl</title></head><body>"
        b'<a href="/metrics">/metrics</a></body></html>\n'
    )

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == METRICS_PATH:
            try:
                return app(environ, start_response)  # type: ignore[no-any-return]
            except Exception as exc:  # a failed read: the target is down, the exporter is not
                log(f"scrape failed: {exc}")
                start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
                return [f"scrape failed: {exc}\n".encode()]
        if path == "/":
            start_response("200 OK", [("Content-Type", "text/html")])
            return [index]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found: metrics are at /metrics\n"]

    return serve


def make_http_server(address: ListenAddress, app: Callable[..., Any]) -> ThreadingWSGIServer:
    """Bind prometheus_client's threading WSGI server; one-line errors on failure."""
    try:
        infos = socket.getaddrinfo(
            address.host, address.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        raise UsageError(f"--listen {address}: {exc.strerror}") from None
    family, _, _, _, sockaddr = infos[0]

    class Server(ThreadingWSGIServer):
        address_family = family

    try:
        return make_server(str(sockaddr[0]), address.port, app, Server, handler_class=_QuietHandler)
    except PermissionError:
        raise PermissionDeniedError(
            f"cannot listen on {address}: permission denied",
            "ports below 1024 need CAP_NET_BIND_SERVICE",
        ) from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"cannot listen on {address}: the address is in use") from None
        raise UsageError(f"cannot listen on {address}: {exc.strerror or exc}") from None


def log_line(message: str) -> None:
    sys.stderr.write(f"neighctl: {message}\n")
    sys.stderr.flush()


def serve(
    address: ListenAddress,
    collector: NeighCollector,
    *,
    ready: Callable[[str], None] = log_line,
    stop: threading.Event | None = None,
) -> None:
    """Serve /metrics until SIGTERM or SIGINT (or ``stop`` is set), then stop cleanly.

    The HTTP server runs in a thread; the calling (main) thread waits for a
    signal, then shuts the server down and returns.
    """
    stop = stop or threading.Event()
    registry = registry_of(collector, process=True)
    server = make_http_server(address, metrics_app(registry, log_line))
    previous: dict[signal.Signals, Any] = {}

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, on_signal)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.2},
        name="neighctl-http",
        daemon=True,
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{host}]" if ":" in host else host
        ready(f"serving metrics on http://{shown}:{port}{METRICS_PATH} (pid {os.getpid()})")
        while not stop.wait(1.0):
            pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5.0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run_exporter(
    address: ListenAddress,
    collector: NeighCollector,
    pool: WatchPool | None = None,
    *,
    ready: Callable[[str], None] = log_line,
    stop: threading.Event | None = None,
) -> None:
    """--listen: one read now (a bad namespace fails before we bind; the read
    starts the watchers through the collector's ``on_snapshot``), then serve
    until a signal; the watchers stop with the server."""
    try:
        collector.collect()
        if pool is not None:
            pool.wait_ready(10.0)
        serve(address, collector, ready=ready, stop=stop)
    finally:
        if pool is not None:
            pool.close()


def make_collector(
    netns: str | None = None,
    *,
    all_namespaces: bool = False,
    per_address: bool = False,
    watch: bool = False,
    doctor_interval: float | None = 0.0,
    rcvbuf: int | None = None,
) -> tuple[NeighCollector, WatchPool | None]:
    """The collector for a scope; with ``watch``, also the watcher pool feeding its counters.

    ``doctor_interval``: seconds between runs of the doctor's checks (0: every
    read, None: never).
    """
    from neighctl.metrics.events import EventCounts
    from neighctl.metrics.source import live_source

    source = live_source(netns, all_namespaces=all_namespaces, doctor_interval=doctor_interval)
    if not watch:
        return NeighCollector(source, netns_label=all_namespaces, per_address=per_address), None
    counts = EventCounts()
    pool = WatchPool(counts, rcvbuf)
    collector = NeighCollector(
        source,
        netns_label=all_namespaces,
        per_address=per_address,
        events=counts,
        on_snapshot=pool.sync,
    )
    return collector, pool
