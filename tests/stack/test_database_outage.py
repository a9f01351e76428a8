"""PostgreSQL going away and coming back, with web left running throughout."""

from tests.containers import docker


def test_stopping_postgres_makes_healthz_503_and_web_unhealthy_then_recovers_without_restart(
    stack,
):
    web_before = stack.state("web")

    docker("stop", stack.container("postgres"))
    try:
        stack.wait_for_status("/healthz/", 503, timeout=30)
        assert stack.get("/healthz/").json() == {
            "status": "unavailable",
            "database": "unreachable",
        }
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
