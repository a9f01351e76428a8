"""What the server does before it serves: turn a bad configuration into one line and exit 1.

gunicorn imports the application once in its master (preload_app), so these checks run
once per container start, before any worker is forked.
"""

import os
import sys
import time

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.db.utils import DatabaseError

from bfportal.settings.env import SettingsError, env_int


def fail(message: str):
    sys.exit(f"bfportal: {message}")


def database_location() -> str:
    settings = connections["default"].settings_dict
    if settings["HOST"]:
        return f"{settings['HOST']}:{settings['PORT'] or 'default port'}"
    return str(settings["NAME"])


def wait_for_database(seconds: int) -> None:
    """Retry for a while: in a stack the database may still be starting."""
    deadline = time.monotonic() + seconds
    while True:
        try:
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
    return application
