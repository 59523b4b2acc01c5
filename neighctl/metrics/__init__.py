"""`neighctl metrics`: the neighbour table as Prometheus metrics.

catalogue (every metric's name, type, help, labels; stdlib only), families (a
Snapshot as metric families, pure), events (counters fed by the watcher),
collector (prometheus_client's custom-collector protocol, one read at a time),
source (where a scrape's snapshot comes from), watch (watcher threads), exporter
(stdout, textfile, HTTP). Only the metrics command imports this package's modules
that need prometheus_client, so nothing here is imported eagerly.
"""
