"""Prometheus metrics of web, served by gunicorn's master on a port of their own (METRICS_PORT,
default 9100; 0 turns them off) that the proxy does not route, so no visitor can read them.

django-prometheus counts requests, responses by status, latency by view, database queries and
cache gets; the hooks here count gunicorn's threads, and those busy with a request. Each worker
writes its figures to files in DIRECTORY, which the master adds up when scraped
(prometheus_client's multiprocess mode: https://prometheus.github.io/client_python/multiprocess/).
"""

import os
import shutil

# In RAM: the root filesystem may be read-only, and a dead worker's files go with the container.
DIRECTORY = "/dev/shm/bfportal-metrics"  # noqa: S108


def prepare(directory: str = DIRECTORY) -> None:
    """Empties the directory of a previous start. Before anything imports prometheus_client,
    which reads where its figures go when it is imported."""
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory


def serve(port: int) -> None:
    """Answers scrapes on `port` from a thread of the calling process (gunicorn's master)."""
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    start_http_server(port, registry=registry)


# This worker's count of busy threads, once it has started.
_busy = None


def worker_started(threads: int) -> None:
    """In each worker, after the fork (post_worker_init)."""
    global _busy  # noqa: PLW0603
    from prometheus_client import Gauge

    # livesum: the sum over the workers alive now.
    Gauge(
        "bfportal_gunicorn_threads",
        "gunicorn's threads, over every worker",
        multiprocess_mode="livesum",
    ).set(threads)
    _busy = Gauge(
        "bfportal_gunicorn_threads_busy",
        "gunicorn's threads serving a request now, over every worker",
        multiprocess_mode="livesum",
    )


def request_started() -> None:
    if _busy:
        _busy.inc()


def request_ended() -> None:
    if _busy:
        _busy.dec()


def worker_exited(pid: int) -> None:
    """Drops a dead worker's live gauges; its counters stay in the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)
