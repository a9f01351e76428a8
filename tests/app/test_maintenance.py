"""`manage.py maintain`, which the stacks' jobs service runs daily: what has expired goes,
what is still needed stays."""

from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from home.management.commands.maintain import next_run
from home.models import StandardPage

pytestmark = pytest.mark.django_db


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def session(key: str, expires: datetime) -> None:
    Session.objects.create(session_key=key, session_data="", expire_date=expires)


def login_records(username: str, when: datetime) -> None:
    fields = {"username": username, "ip_address": "203.0.113.5", "user_agent": "test"}
    AccessAttempt.objects.create(**fields, failures_since_start=1)
    AccessLog.objects.create(**fields)
    AccessFailureLog.objects.create(**fields)
    for record in (AccessAttempt, AccessLog, AccessFailureLog):
        record.objects.filter(username=username).update(attempt_time=when)


def test_expired_sessions_go_and_current_ones_stay():
    session("expired", days_ago(1))
    session("current", days_ago(-1))

    call_command("maintain")

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]


def test_login_attempts_past_the_cool_off_and_logs_past_the_keep_go(settings):
    settings.LOGIN_LOG_KEEP_DAYS = 30
    login_records("recent", timezone.now())
    login_records("after-the-cool-off", days_ago(1))
    login_records("old", days_ago(31))

    call_command("maintain")

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"recent"}
    for log in (AccessLog, AccessFailureLog):
        kept = set(log.objects.values_list("username", flat=True))
        assert kept == {"recent", "after-the-cool-off"}, log


def test_revisions_past_the_keep_go_but_never_the_latest_and_the_page_stays_as_published(
    settings, home_page
):
    settings.REVISIONS_KEEP_DAYS = 90
    page = home_page.add_child(instance=StandardPage(title="Kept", slug="kept"))
    revisions = []
    for title in ("old draft", "live", "recent draft", "latest draft"):
        page.title = title
        revisions.append(page.save_revision())
    revisions[1].publish()
    Revision.objects.filter(pk__in=[r.pk for r in revisions[:2]]).update(created_at=days_ago(91))

    call_command("maintain")

    kept = Revision.objects.filter(object_id=str(page.pk)).order_by("pk")
    assert [r.content["title"] for r in kept] == ["recent draft", "latest draft"]
    page.refresh_from_db()
    assert (page.live, page.title) == (True, "live")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-12-07 03:59:30", "2026-12-07 04:00"),
        ("2026-12-07 04:00:00", "2026-12-08 04:00"),
        ("2026-12-31 23:00:00", "2027-01-01 04:00"),
    ],
)
def test_the_schedule_runs_next_at_the_time_of_day_today_or_else_tomorrow(now, expected):
    moment = datetime.fromisoformat(now).replace(tzinfo=UTC)

    assert f"{next_run('04:00', moment):%Y-%m-%d %H:%M}" == expected
