"""Django's PostgreSQL backend, counting queries for the metrics (django-prometheus's), but a
process whose connection attempt just failed fails the next ones at once for RETRY_AFTER
seconds, then tries again.

While the database is away, each attempt would otherwise hold a gunicorn thread for up to
DATABASE_CONNECT_TIMEOUT (plus a name lookup of a service with no task): under load every
thread waits, and /livez/ queues behind them until the orchestrator takes the replica for dead.
"""

import psycopg
from django_prometheus.db.backends.postgresql import base

from bfportal.pause import Pause

RETRY_AFTER = 1.0
pause = Pause(RETRY_AFTER)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        waited = pause.since_failure()
        if waited is not None:
            raise psycopg.OperationalError(
                f"the database did not answer {waited:.1f} s ago; retrying after {RETRY_AFTER} s"
            )
        try:
            return super().get_new_connection(conn_params)
        except psycopg.OperationalError:
            pause.failed()
            raise
