"""gunicorn settings, read from the working directory (/app in the image).

https://docs.gunicorn.org/en/stable/settings.html
"""

import os
import sys

from gunicorn.workers import gthread

from bfportal import metrics
from bfportal.capacity import CapacityError, usable_cpus, worker_count
from bfportal.logs import GunicornLogger
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
    timeout = env_int("GUNICORN_TIMEOUT", 30)
    # On SIGTERM, requests in flight get this long to finish before workers are killed.
    graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 20)
    # Prometheus metrics on a port of their own (bfportal/metrics.py); 0: none.
    metrics_port = env_int("METRICS_PORT", 9100)
except (SettingsError, CapacityError) as error:
    sys.exit(f"bfportal: {error}")
# gthread: a worker accepts connections as they arrive and, on SIGTERM, finishes every one
# it accepted. Sync workers take one request each; the rest of a burst waits in the kernel's
# accept queue, which is reset when they exit, so `docker stop` would drop those requests.
worker_class = "gthread"
# A thread that takes a new connection waits for its request up to this long (gunicorn's
# default: 5 s) before handing the connection back to the poller. Proxies open connections
# they send nothing on: Go's HTTP client, so Caddy, dials a spare one when a request finds no
# idle connection and keeps it when another frees up first. Under load a burst of them held
# every thread of a worker for 5 s while the requests on its other connections waited.
# (gunicorn also bounds the drain of a request body the app left unread by this value.)
gthread.DEFAULT_WORKER_DATA_TIMEOUT = 0.1
# Worker heartbeats go to RAM: a container's overlay or read-only root makes /tmp slow or absent.
worker_tmp_dir = "/dev/shm"  # noqa: S108
accesslog = "-"
# With LOG_FORMAT=json, gunicorn's lines are JSON objects too (bfportal/logs.py).
logger_class = GunicornLogger
# gunicorn's default line, plus how long the app took: the figure that tells a slow app from
# a slow proxy or client.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
# gunicorn 25.1+ opens a control socket under $HOME by default; the image's user has no
# writable home (and the root filesystem may be read-only), so it stays off.
control_socket_disable = True
# Import the app once in the master: a bad setting fails fast, before any worker starts.
preload_app = True

if metrics_port:
    metrics.prepare()


def when_ready(server):
    if metrics_port:
        metrics.serve(metrics_port)


def post_worker_init(worker):
    if metrics_port:
        metrics.worker_started(threads)


def pre_request(worker, req):
    metrics.request_started()


def post_request(worker, req, environ, resp):
    metrics.request_ended()


def child_exit(server, worker):
    if metrics_port:
        metrics.worker_exited(worker.pid)
