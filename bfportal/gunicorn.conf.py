"""gunicorn settings, read from the working directory (/app in the image).

https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# WEB_CONCURRENCY is the convention Heroku-style platforms and orchestrators set.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# gthread: a worker accepts connections as they arrive and, on SIGTERM, finishes every one
# it accepted. Sync workers take one request each; the rest of a burst waits in the kernel's
# accept queue, which is reset when they exit, so `docker stop` would drop those requests.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
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
