"""End to end: a real Prometheus scrapes `neighctl metrics --listen` and node_exporter's
textfile collector reading `neighctl metrics --textfile`; its HTTP API must report the
entry counts `ip -j` shows in the namespace.

Every server listens on 127.0.0.1 with a temporary config and data directory, and is
stopped when the test ends, whether it passed or not.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from neighctl.metrics.collector import DEFAULT_MAX_AGE
from tests.kernel.metrics_support import (
    REPO,
    EntryKey,
    compare_with_ip,
    exporter,
    free_port,
    neighctl,
    parse,
    prometheus_query,
    require_tool,
    server_process,
    wait_until,
)
from tests.lab import Lab

RULES = os.path.join(REPO, "contrib", "prometheus", "neighctl-alerts.yml")


def counts_from(base: str, job: str) -> tuple[Counter[EntryKey], Counter[tuple[str, str]]]:
    entries: Counter[EntryKey] = Counter()
    for row in prometheus_query(base, f'neighctl_neighbor_entries{{job="{job}"}}'):
        m = row["metric"]
        entries[(m["family"], m["dev"], m["state"])] += int(float(row["value"][1]))
    proxies: Counter[tuple[str, str]] = Counter()
    for row in prometheus_query(base, f'neighctl_proxy_entries{{job="{job}"}}'):
        m = row["metric"]
        proxies[(m["family"], m["dev"])] += int(float(row["value"][1]))
    return entries, proxies


def test_prometheus_sees_what_ip_sees(populated_lab: Lab, tmp_path: Path) -> None:
    prometheus = require_tool("prometheus")
    node_exporter = require_tool("prometheus-node-exporter")
    textfiles = tmp_path / "textfile"
    textfiles.mkdir()
    done = neighctl("metrics", "--netns", populated_lab.ns, "--textfile",
                    str(textfiles / "neighctl.prom"))  # fmt: skip
    assert done.returncode == 0, done.stderr

    node_port = free_port()
    node_args = [
        node_exporter,
        f"--web.listen-address=127.0.0.1:{node_port}",
        "--collector.disable-defaults",
        "--collector.textfile",
        f"--collector.textfile.directory={textfiles}",
    ]
    node_url = f"http://127.0.0.1:{node_port}/metrics"
    with (
        server_process(node_args, node_url, str(tmp_path)),
        exporter("--netns", populated_lab.ns) as (_proc, url),
    ):
        target = url.split("/")[2]
        prom_port = free_port()
        config = tmp_path / "prometheus.yml"
        config.write_text(
            "global:\n"
            "  scrape_interval: 1s\n"
            "  evaluation_interval: 1s\n"
            f"rule_files: ['{RULES}']\n"
            "scrape_configs:\n"
            "  - job_name: neighctl\n"
            f"    static_configs: [{{targets: ['{target}']}}]\n"
            "  - job_name: node\n"
            f"    static_configs: [{{targets: ['127.0.0.1:{node_port}']}}]\n"
        )
        base = f"http://127.0.0.1:{prom_port}"
        prom_args = [
            prometheus,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{prom_port}",
        ]
        with server_process(prom_args, base + "/-/ready", str(tmp_path)):
            for job in ("neighctl", "node"):
                wait_until(
                    lambda job=job: prometheus_query(base, f'neighctl_neighbor_entries{{job="{job}"}}'),
                    60,
                    f"Prometheus to scrape job {job}",
                )  # fmt: skip
                up = prometheus_query(base, f'up{{job="{job}"}}')
                assert [row["value"][1] for row in up] == ["1"]
            errors = prometheus_query(base, "node_textfile_scrape_error")
            assert [row["value"][1] for row in errors] == ["0"]

            def through_exporter() -> tuple[Counter[EntryKey], Counter[tuple[str, str]]]:
                """Counts from a scrape that started after this call (plus the exporter's
                one-second cache), so from a read between compare_with_ip's two ip reads."""
                after = time.time() + DEFAULT_MAX_AGE
                query = 'timestamp(neighctl_collect_duration_seconds{job="neighctl"})'
                wait_until(
                    lambda: float(prometheus_query(base, query)[0]["value"][1]) > after,
                    30,
                    "a fresh scrape",
                )
                return counts_from(base, "neighctl")

            compare_with_ip(populated_lab, through_exporter)

            def through_node_exporter() -> tuple[Counter[EntryKey], Counter[tuple[str, str]]]:
                """Write the textfile now and wait until Prometheus has scraped that very file
                (its neighctl_collect_duration_seconds identifies the run)."""
                path = textfiles / "neighctl.prom"
                done = neighctl("metrics", "--netns", populated_lab.ns, "--textfile", str(path))
                assert done.returncode == 0, done.stderr
                written = parse(path.read_text())[("neighctl_collect_duration_seconds", ())]
                query = 'neighctl_collect_duration_seconds{job="node"}'
                wait_until(
                    lambda: float(prometheus_query(base, query)[0]["value"][1]) == written,
                    30,
                    "Prometheus to scrape the new textfile",
                )
                return counts_from(base, "node")

            compare_with_ip(populated_lab, through_node_exporter)

            # The contrib alerting rules load and evaluate on the real series.
            def rules_evaluated() -> list[dict[str, object]]:
                groups = prometheus_query_rules(base)
                rules = [r for g in groups for r in g["rules"]]
                ok = rules and all(r.get("health") == "ok" for r in rules)
                return rules if ok else []

            rules = wait_until(rules_evaluated, 30, "the alerting rules to evaluate")
            assert {r["name"] for r in rules} >= {
                "NeighbourTableNearGcThresh3",
                "NeighbourTableOverflow",
                "NeighbourFailedEntriesGrowing",
                "NeighbourMacFlapping",
            }


def prometheus_query_rules(base: str) -> list[dict[str, object]]:
    import json

    from tests.kernel.metrics_support import http_get

    status, body = http_get(base + "/api/v1/rules")
    assert status == 200, body
    return list(json.loads(body)["data"]["groups"])
