"""Settings for the pytest suite: fast, isolated and independent of the environment."""

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

DEBUG = False
SECRET_KEY = "test-only-key-that-is-never-used-outside-the-test-suite-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Django's own SQLite backend by its name, which pytest-django looks for to give each of its
# processes a database in memory.
if DATABASES["default"]["ENGINE"] == "django_prometheus.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"

# Tests never hash user passwords for real: a weak algorithm is safe here and much faster.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Plain storage: tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests never run collectstatic: look files up per request instead of scanning an
# empty STATIC_ROOT at start-up (which only warns).
WHITENOISE_AUTOREFRESH = True
