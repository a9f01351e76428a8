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


@pytest.fixture
def jobs_at_the_next_minute(stack):
    """jobs, started again with a schedule a minute or two from now; as before afterwards."""
    now = datetime.now(UTC)
    soon = now + timedelta(minutes=2 if now.second > 45 else 1)
    env = {**stack.env, "MAINTENANCE_SCHEDULE": f"{soon:%H:%M}"}
    scheduled = dataclasses.replace(stack, env=env)
    scheduled.compose("up", "--detach", "--no-deps", "jobs")
    yield scheduled
    stack.compose("up", "--detach", "--no-deps", "jobs")


def test_the_jobs_service_deletes_expired_sessions_at_its_scheduled_time(
    stack, jobs_at_the_next_minute
):
    key = "expired" + datetime.now(UTC).strftime("%H%M%S")
    django_shell(stack.container("web"), EXPIRED_SESSION.format(key=key))
    jobs = jobs_at_the_next_minute.container("jobs")

    eventually(
        lambda: "maintain: deleted" in docker("logs", jobs).stdout,
        timeout=150,
        what="the jobs service ran maintain",
        interval=2,
    )

    log = docker("logs", jobs).stdout
    assert "expired sessions" in log and " 0 expired sessions" not in log, log
    assert django_shell(stack.container("web"), SESSION_EXISTS.format(key=key)) == "False"
    assert inspect(jobs)["Config"]["Image"] == inspect(stack.container("web"))["Config"]["Image"]


def test_a_page_scheduled_to_go_live_is_published_by_the_jobs_service_within_its_minute(stack):
    slug = "scheduled-" + datetime.now(UTC).strftime("%H%M%S")
    django_shell(stack.container("web"), SCHEDULED_PAGE.format(slug=slug))
    assert stack.get(f"/{slug}/").status_code == 404

    eventually(
        lambda: stack.get(f"/{slug}/").status_code == 200,
        timeout=90,
        what="the scheduled page is live",
        interval=2,
    )
