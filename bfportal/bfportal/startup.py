"""What the server does before it serves: turn a bad configuration into one line and exit 1.

gunicorn imports the application once in its master (preload_app), so these checks run
once per container start, before any worker is forked.
"""

import math
import os
import sys
import time
from contextlib import contextmanager

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.db.utils import DatabaseError

from bfportal.settings.env import SettingsError, env_int

# libpq treats a connect_timeout below 2 s as 2 s.
LIBPQ_MIN_TIMEOUT = 2


def fail(message: str):
    sys.exit(f"bfportal: {message}")


def database_location() -> str:
    settings = connections["default"].settings_dict
    if settings["HOST"]:
        return f"{settings['HOST']}:{settings['PORT'] or 'default port'}"
    return str(settings["NAME"])


@contextmanager
def connect_timeout_within(deadline: float):
    """Lower PostgreSQL's connect timeout to the time left, so that the wait ends on time
    even when the server accepts connections and never answers; restored afterwards."""
    options = connections["default"].settings_dict["OPTIONS"]
    configured = options.get("connect_timeout")
    if configured:
        left = math.ceil(deadline - time.monotonic())
        options["connect_timeout"] = max(LIBPQ_MIN_TIMEOUT, min(configured, left))
    try:
        yield
    finally:
        if configured:
            options["connect_timeout"] = configured


def wait_for_database(seconds: int) -> None:
    """Retry for a while: in a stack the database may still be starting."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with connect_timeout_within(deadline):
                connections["default"].ensure_connection()
            return
        except DatabaseError as error:
            if time.monotonic() >= deadline:
                lines = str(error).strip().splitlines()
                reason = lines[0] if lines else "no answer"
                fail(
                    f"DATABASE_URL: cannot reach the database at {database_location()} "
                    f"after {seconds} s ({reason})"
                )
            time.sleep(1)
        finally:
            # Never hand an open connection to the forked workers.
            connections.close_all()


def load_application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bfportal.settings.production")
    try:
        application = get_wsgi_application()
        wait_seconds = env_int("DATABASE_WAIT_SECONDS", 10)
    except SettingsError as error:
        fail(str(error))
    wait_for_database(wait_seconds)
    # The database may have changed while no web ran (a restore stops web): no cached page
    # from before is served. (Django is set up by now, as the module needs.)
    from bfportal import page_cache

    page_cache.purge_now()
    return application
