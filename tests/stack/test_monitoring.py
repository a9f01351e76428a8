"""The monitoring profile: Prometheus scrapes web, Caddy, the node exporter and itself, counts
what the site served, sees the disk Docker's data root is on, and fires the disk alert when
that fills up.

The suite's Prometheus has deploy/prometheus's targets and rules, scraped and evaluated every
second and each alert firing as soon as its condition holds (tests/stack/conftest.py); its node
exporter finds a small filesystem of its own where the host's /var/lib/docker would be
(tests/stack/monitoring.yml), which a test fills: the host's disk is never touched."""

import concurrent.futures

import requests

from tests.containers import docker, eventually
from tests.stack.conftest import PROJECT, scrape

PROMETHEUS = f"http://{PROJECT}-prometheus-1:9090"
DATA_ROOT = "/var/lib/docker"


def query(expression: str) -> list[dict]:
    response = requests.get(f"{PROMETHEUS}/api/v1/query", params={"query": expression}, timeout=10)
    response.raise_for_status()
    return response.json()["data"]["result"]


def value(expression: str) -> float | None:
    result = query(expression)
    return float(result[0]["value"][1]) if result else None


def disk_alerts(state: str) -> list[dict]:
    alerts = requests.get(f"{PROMETHEUS}/api/v1/alerts", timeout=10).json()["data"]["alerts"]
    return [
        alert
        for alert in alerts
        if alert["labels"]["alertname"] == "DiskSpaceLow"
        and alert["labels"].get("mountpoint") == DATA_ROOT
        and alert["state"] == state
    ]


def test_prometheus_scrapes_web_caddy_the_node_exporter_and_itself(stack):
    def all_up() -> bool:
        return {r["metric"]["job"]: r["value"][1] for r in query("up")} == {
            "prometheus": "1", "web": "1", "caddy": "1", "node": "1",
        }  # fmt: skip

    eventually(all_up, 30, "every target up", details=lambda: str(query("up")))


def test_prometheus_counts_exactly_the_requests_a_bounded_load_sent(stack):
    served = "django_http_responses_total_by_status_total{'status': '200'}"
    before = scrape().get(served, 0)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: stack.get("/").status_code, range(60)))

    assert statuses == [200] * 60
    total = 'sum(django_http_responses_total_by_status_total{job="web", status="200"})'
    eventually(lambda: value(total) == before + 60, 15, f"{total} at {before + 60:.0f}")


def test_the_node_exporter_reports_the_free_disk_of_the_data_root(stack):
    free = f'node_filesystem_avail_bytes{{job="node", mountpoint="{DATA_ROOT}"}}'
    size = f'node_filesystem_size_bytes{{job="node", mountpoint="{DATA_ROOT}"}}'

    eventually(lambda: value(size) == 8 * 2**20, 15, f"{size} scraped")
    assert 0 < value(free) <= value(size)


def test_a_data_root_under_15_percent_free_fires_the_disk_alert(stack):
    exporter = stack.container("node-exporter")
    eventually(lambda: value('up{job="node"}') == 1, 15, "the node exporter scraped")
    assert disk_alerts("firing") == []

    docker(
        "exec", "--user", "0", exporter,
        "sh", "-c", f"head -c 7500000 /dev/zero > /host{DATA_ROOT}/fill",
    )  # fmt: skip
    try:
        eventually(lambda: disk_alerts("firing"), 20, "DiskSpaceLow firing for the data root")
    finally:
        docker("exec", "--user", "0", exporter, "rm", "-f", f"/host{DATA_ROOT}/fill")
    eventually(lambda: not disk_alerts("firing"), 20, "DiskSpaceLow resolved")
