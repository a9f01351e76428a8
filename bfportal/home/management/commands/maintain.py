"""Delete what has expired: sessions past their expiry, django-axes' login attempts older than
the cool-off and its login logs older than LOGIN_LOG_KEEP_DAYS, and revisions older than
REVISIONS_KEEP_DAYS that Wagtail does not need (it keeps each object's latest, scheduled and
in-moderation revisions). With --schedule, for ever (the stacks' jobs service): that daily at
MAINTENANCE_SCHEDULE (HH:MM, UTC), and every minute Wagtail's scheduled publishing
(publish_scheduled: pages and snippets whose go-live or expiry time has come)."""

import time
from datetime import UTC, datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from wagtail.management.commands.purge_revisions import purge_revisions


def next_run(at: str, now: datetime) -> datetime:
    """The first moment after `now` whose time of day is `at`."""
    hour, minute = map(int, at.split(":"))
    run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return run if run > now else run + timedelta(days=1)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="daily, for ever")

    def handle(self, *args, schedule: bool, **options):
        if not schedule:
            self.maintain()
            return
        run = next_run(settings.MAINTENANCE_SCHEDULE, datetime.now(UTC))
        self.stdout.write(
            f"maintain: scheduled publishing every minute; next run at {run:%Y-%m-%d %H:%M} UTC"
        )
        while True:
            time.sleep(60 - datetime.now(UTC).second)
            call_command("publish_scheduled")
            if datetime.now(UTC) >= run:
                self.maintain()
                run = next_run(settings.MAINTENANCE_SCHEDULE, datetime.now(UTC))
                self.stdout.write(f"maintain: next run at {run:%Y-%m-%d %H:%M} UTC")

    def maintain(self) -> None:
        now = timezone.now()
        logs_before = now - timedelta(days=settings.LOGIN_LOG_KEEP_DAYS)
        sessions = Session.objects.filter(expire_date__lt=now).count()
        call_command("clearsessions")
        attempts, _ = AccessAttempt.objects.filter(
            attempt_time__lt=now - settings.AXES_COOLOFF_TIME
        ).delete()
        logs, _ = AccessLog.objects.filter(attempt_time__lt=logs_before).delete()
        failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=logs_before).delete()
        revisions, _ = purge_revisions(days=settings.REVISIONS_KEEP_DAYS)
        self.stdout.write(
            f"maintain: deleted {sessions} expired sessions, {attempts} login attempts, "
            f"{logs + failures} login log entries, {revisions} revisions"
        )
