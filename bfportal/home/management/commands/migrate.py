"""Django's migrate, once the database answers (within DATABASE_WAIT_SECONDS, as the server
waits at start): a stack's migrate job may start before PostgreSQL does, and a job retried on
every failure could not tell that from a migration that fails."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from bfportal.settings.env import env_int
from bfportal.startup import wait_for_database


class Command(DjangoMigrate):
    # Before execute() runs the system checks: the database's connect to it.
    def execute(self, *args, **options):
        wait_for_database(env_int("DATABASE_WAIT_SECONDS", 10))
        return super().execute(*args, **options)
