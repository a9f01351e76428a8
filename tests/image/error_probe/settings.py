"""Settings for tests/image/test_error_reports.py: production's, plus /probe/ (urls.py).
Mounted into the final image at /app/error_probe/."""

from bfportal.settings.production import *  # noqa: F403

ROOT_URLCONF = "error_probe.urls"
