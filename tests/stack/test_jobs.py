"""The jobs service, in the release web runs: `manage.py maintain` at MAINTENANCE_SCHEDULE, and
Wagtail's scheduled publishing every minute."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from tests.containers import django_shell, docker, eventually, inspect

EXPIRED_SESSION = """
from datetime import timedelta
from django.contrib.sessions.models import Session
from django.utils import timezone
yesterday = timezone.now() - timedelta(days=1)
Session.objects.create(session_key="{key}", session_data="", expire_date=yesterday)
print(1)
"""
# A page under the home page, approved to go live in 5 s.
SCHEDULED_PAGE = """
from datetime import timedelta
from django.utils import timezone
from home.models import StandardPage
from wagtail.models import Site
home = Site.objects.get(is_default_site=True).root_page
page = home.add_child(instance=StandardPage(title="Scheduled", slug="{slug}", live=False))
page.go_live_at = timezone.now() + timedelta(seconds=5)
page.save_revision().publish()
print(1)
"""
SESSION_EXISTS = (
    "from django.contrib.sessions.models import Session; "
    "print(Session.objects.filter(session_key='{key}').exists())"
)


@dataclasses.dataclass
class Arranged:
    jobs: str
    session_key: str
    page_path: str
    page_status_before: int


@pytest.fixture(scope="module")
def jobs_at_the_next_minute(prod_stack):
    """An expired session, and a page approved to go live in 5 s; then jobs started again with
    MAINTENANCE_SCHEDULE a minute or two from now, so that both tests wait on the same minute.
    jobs as before afterwards."""
    prod_stack.ensure_running()
    web = prod_stack.container("web")
    stamp = datetime.now(UTC).strftime("%H%M%S")
    django_shell(web, EXPIRED_SESSION.format(key=f"expired{stamp}"))
    django_shell(web, SCHEDULED_PAGE.format(slug=f"scheduled-{stamp}"))
    before = prod_stack.get(f"/scheduled-{stamp}/").status_code
    now = datetime.now(UTC)
    soon = now + timedelta(minutes=2 if now.second > 45 else 1)
    scheduled = dataclasses.replace(
        prod_stack, env={**prod_stack.env, "MAINTENANCE_SCHEDULE": f"{soon:%H:%M}"}
    )
    scheduled.compose("up", "--detach", "--no-deps", "jobs")
    yield Arranged(scheduled.container("jobs"), f"expired{stamp}", f"/scheduled-{stamp}/", before)
    prod_stack.compose("up", "--detach", "--no-deps", "jobs")


def test_the_jobs_service_deletes_expired_sessions_at_its_scheduled_time(
    stack, jobs_at_the_next_minute
):
    jobs = jobs_at_the_next_minute.jobs

    eventually(
        lambda: "maintain: deleted" in docker("logs", jobs).stdout,
        timeout=150,
        what="the jobs service ran maintain",
        interval=2,
    )

    log = docker("logs", jobs).stdout
    assert "expired sessions" in log and " 0 expired sessions" not in log, log
    session = SESSION_EXISTS.format(key=jobs_at_the_next_minute.session_key)
    assert django_shell(stack.container("web"), session) == "False"
    assert inspect(jobs)["Config"]["Image"] == inspect(stack.container("web"))["Config"]["Image"]


def test_a_page_scheduled_to_go_live_is_published_by_the_jobs_service_within_its_minute(
    stack, jobs_at_the_next_minute
):
    path = jobs_at_the_next_minute.page_path
    assert jobs_at_the_next_minute.page_status_before == 404

    eventually(
        lambda: stack.get(path).status_code == 200,
        timeout=90,
        what="the scheduled page is live",
        interval=2,
    )
