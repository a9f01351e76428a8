"""Local development: DEBUG on, local hosts, browser auto-reload. Never used by the final image."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, TEMPLATES
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", default=True)
# A development-only key: production.py refuses anything that looks like it.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-development-only-key-do-not-deploy"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,0.0.0.0,[::1]")
# Mail is printed in the web container's log (`docker compose logs web`), never sent.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# django-browser-reload (dev dependency group): reloads the page when templates,
# static files (the Tailwind watcher's output) or Python code change.
INSTALLED_APPS = [*INSTALLED_APPS, "django_browser_reload"]
MIDDLEWARE = [*MIDDLEWARE, "django_browser_reload.middleware.BrowserReloadMiddleware"]

# The stylesheet's URL changes exactly when the watcher rewrites it (base.html passes this to
# {% tailwind_css %}), so a reloaded page never shows a stale cached copy.
TEMPLATES[0]["OPTIONS"]["context_processors"].append("theme.context_processors.stylesheet_version")
