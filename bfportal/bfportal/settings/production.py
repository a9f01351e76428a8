"""Production: what the image's final stage runs. Refuses to start on a missing or unsafe setting.

Deployment checklist: https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    BEHIND_PROXY,
    DATABASE_URL,
    SECRET_KEY,
    SILENCED_SYSTEM_CHECKS,
    STORAGES,
)
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

if env_bool("DEBUG", default=False):
    raise SettingsError(
        "DEBUG=true is for development (make dev): production never shows tracebacks to visitors"
    )
DEBUG = False

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
# HTTPS. Secure cookies and HSTS are on whatever SECURE_SSL_REDIRECT says (a proxy may do
# the redirect itself). PLAIN_HTTP=true, for a laptop or a test run without TLS, is the one
# explicit way to turn the redirect, Secure cookies and HSTS off together.
# https://docs.djangoproject.com/en/5.2/topics/security/#ssl-https
# ---------------------------------------------------------------------------
PLAIN_HTTP = env_bool("PLAIN_HTTP", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not PLAIN_HTTP)
SESSION_COOKIE_SECURE = not PLAIN_HTTP
CSRF_COOKIE_SECURE = not PLAIN_HTTP
SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP else env_int("SECURE_HSTS_SECONDS", 3600)
# BEHIND_PROXY (base.py): only a proxy in front may say the request came over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# HSTS for every subdomain and the browsers' preload list are commitments only the
# site's owner can make; they are opt-in rather than defaults that `check --deploy` wants.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W005", "security.W021"]
