"""The stack's cache server (Valkey): reached only from the stack's network, with a password,
bounded, shared by every web process (the abuse limits count across all of them), and not
needed: while it is away the site serves from the database, and uses it again once it is back."""

import concurrent.futures
import threading
import time
from datetime import UTC, datetime

import pytest
import requests

from tests.containers import RUNNER, django_shell, docker, eventually, inspect
from tests.stack.conftest import NETWORK


def valkey(stack, *command: str, password: bool = True) -> str:
    auth = 'REDISCLI_AUTH="$(cat /run/secrets/cache_password)" ' if password else ""
    return docker(
        "exec", stack.container("cache"), "sh", "-c", auth + "valkey-cli " + " ".join(command)
    ).stdout.strip()


@pytest.fixture
def limits_forgotten(stack):
    """The runner's address starts with no search counted (other tests search too), and leaves
    none behind."""
    valkey(stack, "FLUSHALL")
    yield
    valkey(stack, "FLUSHALL")


def test_the_cache_server_needs_a_password_and_has_a_bounded_memory(stack):
    cache = inspect(stack.container("cache"))

    assert cache["HostConfig"]["PortBindings"] in ({}, None)
    assert "NOAUTH" in valkey(stack, "PING", password=False)
    assert valkey(stack, "PING") == "PONG"
    assert valkey(stack, "CONFIG GET maxmemory") == f"maxmemory\n{128 * 2**20}"
    assert valkey(stack, "CONFIG GET maxmemory-policy") == "maxmemory-policy\nallkeys-lru"
    assert valkey(stack, "CONFIG GET save") == "save"  # an empty value: no snapshots


def seconds_left_in_the_search_window(stack, address: str) -> float:
    return float(
        django_shell(
            stack.container("web"),
            "import time; from django_ratelimit.core import _get_window; "
            f"print(_get_window({address!r}, 60) - time.time())",
        )
    )


def test_every_web_process_counts_searches_against_one_limit(stack, limits_forgotten):
    limit = 60  # SEARCH_LIMIT's default
    address = inspect(RUNNER)["NetworkSettings"]["Networks"][NETWORK]["IPAddress"]
    # All of them within one minute's window, which starts again at a moment of its own (61
    # searches take about 2 s).
    left = seconds_left_in_the_search_window(stack, address)
    if left < 10:
        time.sleep(left + 1)

    def search(_) -> int:
        return stack.get("/search/", params={"query": "home"}).status_code

    # 8 at a time: Caddy spreads them over every gunicorn worker.
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(search, range(limit + 1)))

    assert sorted(statuses) == [200] * limit + [429]
    counters = valkey(stack, "--scan", "--pattern", "'*rl:*'").split()
    assert [valkey(stack, "GET", counter) for counter in counters] == [str(limit + 1)]


def test_the_site_serves_without_the_cache_server_under_load_and_uses_it_again_once_back(
    stack, limits_forgotten
):
    cache = stack.container("cache")
    statuses: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def visitor() -> None:
        while not stop.is_set():
            for path in ("/", "/sitemap.xml", "/no-such-page/"):
                try:
                    statuses.append(stack.get(path).status_code)
                except requests.RequestException as error:
                    errors.append(repr(error))

    since = datetime.now(UTC).isoformat()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        visitors = [pool.submit(visitor) for _ in range(4)]
        try:
            time.sleep(3)
            docker("stop", cache)
            served_before = len(statuses)
            time.sleep(10)
            served_while_away = len(statuses) - served_before
        finally:
            docker("start", cache)
        stack.wait_for_health("cache", "healthy", timeout=60)
        eventually(lambda: int(valkey(stack, "DBSIZE")) > 0, 30, "web stores in the cache again")
        stop.set()
        for future in visitors:
            future.result()

    print(f"\n{served_while_away} requests served in the 10 s without the cache server")
    assert errors == []
    assert served_while_away > 0
    assert set(statuses) == {200, 404}, sorted(set(statuses))
    log = docker("logs", "--since", since, stack.container("web"))
    assert "Traceback" not in log.stdout + log.stderr, (log.stdout + log.stderr)[-4000:]
    assert "cache server unreachable" in log.stderr
