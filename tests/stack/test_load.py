"""A bounded load through Caddy over HTTPS: 50 clients for 30 s on the home page and a static
file."""

import os
import subprocess

from tests.paths import TOOLS


def test_50_clients_for_30_seconds_on_the_home_page_and_a_static_file_get_no_errors(stack):
    result = subprocess.run(
        [TOOLS / "bench" / "load.sh", stack.url],
        env={**os.environ, "LOAD_CONNECTIONS": "50", "LOAD_DURATION": "30s"},
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    figures = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)

    print(
        f"\nload: {figures.get('requests')} requests, {figures.get('requests_per_second')}/s, "
        f"p50 {figures.get('latency_p50_ms')} ms, p95 {figures.get('latency_p95_ms')} ms, "
        f"errors {figures.get('errors_by_kind')}"
    )
    assert figures.get("errors") == "0", result.stderr[-3000:] + stack.logs(tail=60)
    assert int(figures["requests"]) > 0
    assert result.returncode == 0, result.stderr[-3000:]
