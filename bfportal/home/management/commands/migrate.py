"""Django's migrate, once the database answers (within DATABASE_WAIT_SECONDS, as the server
waits at start): a stack's migrate job may start before PostgreSQL does, and a job retried on
every failure could not tell that from a migration that fails. Its statements have no time
bound (DATABASE_STATEMENT_TIMEOUT is web's): a migration may rewrite a large table."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connection
from django.db.backends.signals import connection_created

from bfportal.settings.env import env_int
from bfportal.startup import wait_for_database


def unbounded(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


class Command(DjangoMigrate):
    # Before execute() runs the system checks: the database's connect to it.
    def execute(self, *args, **options):
        wait_for_database(env_int("DATABASE_WAIT_SECONDS", 10))
        connection_created.connect(unbounded)
        # The connection the wait may have opened: the next one is made unbounded.
        connection.close()
        return super().execute(*args, **options)
