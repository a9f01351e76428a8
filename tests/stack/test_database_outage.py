"""PostgreSQL going away and coming back, with web left running throughout."""

from concurrent.futures import ThreadPoolExecutor

from tests.containers import docker


def test_stopping_postgres_makes_healthz_503_and_web_unhealthy_then_recovers_without_restart(
    stack,
):
    web_before = stack.state("web")

    docker("stop", stack.container("postgres"))
    try:
        stack.wait_for_status("/healthz/", 503, timeout=30)
        health = stack.get("/healthz/").json()
        assert (health["status"], health["database"]) == ("unavailable", "unreachable")
        # The image's HEALTHCHECK: 3 failures 15 s apart.
        stack.wait_for_health("web", "unhealthy", timeout=90)
    finally:
        docker("start", stack.container("postgres"))

    stack.wait_for_health("postgres", "healthy", timeout=60)
    stack.wait_for_status("/healthz/", 200, timeout=30)
    stack.wait_for_health("web", "healthy", timeout=60)
    web_after = stack.state("web")
    assert web_after["StartedAt"] == web_before["StartedAt"], "web was restarted"
    assert stack.get("/").status_code == 200


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
