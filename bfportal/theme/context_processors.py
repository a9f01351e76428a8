"""The built stylesheet's version for development pages (settings/dev.py adds this)."""

import os

from django.contrib.staticfiles import finders
from tailwind import get_config


def stylesheet_version(request):
    """The built stylesheet's modification time in nanoseconds, for the ?v= of its URL: it
    changes exactly when the Tailwind watcher rewrites the file. django-tailwind's default, the
    current second, repeats when a page reloads within the second it was loaded, and the
    browser then reuses the stylesheet it cached before the change."""
    path = finders.find(get_config("TAILWIND_CSS_PATH"))
    return {"stylesheet_version": os.stat(path).st_mtime_ns if path else None}
