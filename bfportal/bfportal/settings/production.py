"""Production: what the image's final stage runs. Refuses to start on a missing or unsafe setting.

Deployment checklist: https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASE_URL, SECRET_KEY, STORAGES
from .env import SettingsError, env_bool, env_int

# ---------------------------------------------------------------------------
# Refuse unsafe configuration, one line each
# ---------------------------------------------------------------------------
_PLACEHOLDERS = ("change-me", "changeme", "django-insecure", "secret-key", "replace-me")
if not SECRET_KEY:
    raise SettingsError(
        "SECRET_KEY is not set: set it to a long random string, e.g. the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if any(marker in SECRET_KEY.lower() for marker in _PLACEHOLDERS) or len(SECRET_KEY) < 50:
    raise SettingsError(
        "SECRET_KEY is a placeholder or shorter than 50 characters: set it to a long random string"
    )
if not ALLOWED_HOSTS:
    raise SettingsError("ALLOWED_HOSTS is empty: set it to the site's host names, comma-separated")
if not DATABASE_URL.startswith(("postgres://", "postgresql://", "sqlite:///")):
    raise SettingsError(
        "DATABASE_URL must start with postgres://, postgresql:// or sqlite:///, "
        f"got {DATABASE_URL.split(':', 1)[0]!r}"
    )

DEBUG = env_bool("DEBUG", default=False)

# ---------------------------------------------------------------------------
# Static files: hashed names, gzip and brotli copies, far-future cache headers.
# https://whitenoise.readthedocs.io/en/stable/django.html#add-compression-and-caching-support
# ---------------------------------------------------------------------------
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The unhashed originals are never referenced once templates use {% static %}.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# ---------------------------------------------------------------------------
# HTTPS. Set SECURE_SSL_REDIRECT=false only to serve plain HTTP on a trusted
# network (a laptop, the test suite): it also drops Secure cookies and HSTS,
# which would otherwise make login impossible over HTTP.
# ---------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 3600) if SECURE_SSL_REDIRECT else 0
# A TLS-terminating proxy in front sets this header; trust it to tell HTTPS from HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS for every subdomain and the browsers' preload list are commitments only the
# site's owner can make; they are opt-in rather than defaults that `check --deploy` wants.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
