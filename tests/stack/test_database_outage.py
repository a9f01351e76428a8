"""PostgreSQL going away and coming back, with web left running throughout: visitors get a 503
page meanwhile, and web's health, which is its process's (/livez/), stays healthy."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from tests.containers import docker, eventually, moment


def test_while_postgres_is_away_pages_are_a_503_and_web_stays_healthy_then_recovers(stack):
    web_before = stack.state("web")

    docker("stop", stack.container("postgres"))
    stopped = datetime.now(UTC)
    try:
        stack.wait_for_status("/healthz/", 503, timeout=30)
        health = stack.get("/healthz/").json()
        assert (health["status"], health["database"]) == ("unavailable", "unreachable")
        page = stack.get("/")
        assert (page.status_code, page.headers.get("Retry-After")) == (503, "30")
        assert "Back shortly" in page.text
        # The image's HEALTHCHECK (every 15 s, unhealthy after 3 failures) asks /livez/: three
        # probes after the stop pass, and web stays healthy.
        eventually(lambda: len(probes_since(stack, stopped)) >= 3, 90, "three probes ran")
        assert [p["ExitCode"] for p in probes_since(stack, stopped)][:3] == [0, 0, 0]
        assert stack.health("web") == "healthy"
    finally:
        docker("start", stack.container("postgres"))

    stack.wait_for_health("postgres", "healthy", timeout=60)
    stack.wait_for_status("/healthz/", 200, timeout=30)
    web_after = stack.state("web")
    assert web_after["StartedAt"] == web_before["StartedAt"], "web was restarted"
    assert stack.get("/").status_code == 200


def probes_since(stack, moment_: datetime) -> list[dict]:
    """The image's health probes of web that started after `moment_`."""
    log = stack.state("web")["Health"]["Log"]
    return [probe for probe in log if moment(probe["Start"]) > moment_]


def test_after_postgres_restarts_no_request_fails_on_a_connection_it_left_dead(stack):
    # Each worker thread keeps its database connection between requests (CONN_MAX_AGE):
    # bursts of as many requests as threads, twice over, leave one open in every thread.
    burst = 2 * stack.workers * stack.threads

    def burst_of_requests() -> list[int]:
        with ThreadPoolExecutor(max_workers=burst) as pool:
            return list(pool.map(lambda _: stack.get("/").status_code, range(burst)))

    for _ in range(3):
        assert set(burst_of_requests()) == {200}

    docker("restart", stack.container("postgres"))
    stack.wait_for_health("postgres", "healthy", timeout=60)

    statuses = burst_of_requests()
    assert [status for status in statuses if status >= 500] == [], statuses
