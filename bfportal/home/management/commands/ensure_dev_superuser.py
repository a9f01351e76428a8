"""Create the development superuser if it does not exist yet (used by the dev stack)."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create DEV_SUPERUSER_USERNAME with DEV_SUPERUSER_PASSWORD unless it exists (DEBUG only)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_dev_superuser runs only with DEBUG on: it sets a known password"
            )
        username = os.environ.get("DEV_SUPERUSER_USERNAME") or "admin"
        password = os.environ.get("DEV_SUPERUSER_PASSWORD") or "admin"
        email = os.environ.get("DEV_SUPERUSER_EMAIL") or "admin@example.com"
        users = get_user_model().objects
        if users.filter(username=username).exists():
            self.stdout.write(f"Development superuser {username!r} exists.")
            return
        users.create_superuser(username=username, email=email, password=password)
        self.stdout.write(f"Created development superuser {username!r}.")
