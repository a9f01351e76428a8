"""Start-up order: PostgreSQL, then one migrate run, then web."""

from datetime import datetime

from tests.containers import docker


def timestamp(value: str) -> datetime:
    # Docker reports nanoseconds; datetime takes microseconds.
    return datetime.fromisoformat(value[:26].rstrip("Z") + "+00:00")


def test_migrations_run_once_before_web_starts_and_the_site_serves(stack):
    migrate = stack.state("migrate")
    web = stack.state("web")
    migrate_log = docker("logs", stack.container("migrate")).stdout

    assert (migrate["Status"], migrate["ExitCode"]) == ("exited", 0)
    assert migrate_log.count("Operations to perform:") == 1, "migrate ran more than once"
    assert "Applying home.0002_create_homepage... OK" in migrate_log
    assert timestamp(web["StartedAt"]) > timestamp(migrate["FinishedAt"])
    # Nothing is left for web to apply.
    stack.exec_web("python", "manage.py", "migrate", "--check")
    home = stack.get("/")
    assert home.status_code == 200
    assert "<html" in home.text
