"""gunicorn settings, read from the working directory (/app in the image).

https://docs.gunicorn.org/en/stable/settings.html
"""

import os
import sys

from bfportal.capacity import CapacityError, usable_cpus, worker_count
from bfportal.settings.env import SettingsError, env_int

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
try:
    threads = env_int("GUNICORN_THREADS", 4)
    # WEB_CONCURRENCY is the convention Heroku-style platforms and orchestrators set; without
    # it, the CPUs the container may use decide, within the database connection budget.
    workers = worker_count(
        usable_cpus(),
        threads,
        budget=env_int("DATABASE_CONNECTION_BUDGET", 20),
        requested=env_int("WEB_CONCURRENCY", 0),
    )
except (SettingsError, CapacityError) as error:
    sys.exit(f"bfportal: {error}")
# gthread: a worker accepts connections as they arrive and, on SIGTERM, finishes every one
# it accepted. Sync workers take one request each; the rest of a burst waits in the kernel's
# accept queue, which is reset when they exit, so `docker stop` would drop those requests.
worker_class = "gthread"
# Worker heartbeats go to RAM: a container's overlay or read-only root makes /tmp slow or absent.
worker_tmp_dir = "/dev/shm"  # noqa: S108
accesslog = "-"
errorlog = "-"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
# On SIGTERM, requests in flight get this long to finish before workers are killed.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 20)
# gunicorn 25.1+ opens a control socket under $HOME by default; the image's user has no
# writable home (and the root filesystem may be read-only), so it stays off.
control_socket_disable = True
# Import the app once in the master: a bad setting fails fast, before any worker starts.
preload_app = True
