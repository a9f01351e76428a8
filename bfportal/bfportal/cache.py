"""The connection to the cache server (CACHE_URL): one try, no retries, and after a failure
none for RETRY_AFTER seconds.

django-redis turns a failed cache call into a miss (IGNORE_EXCEPTIONS), so the site serves
without the server, from the database. But redis-py retries each connection with a back-off,
and every cache call of every request would try again, waiting out a name lookup of a server
that is gone or a timeout of one that hangs: under load every gunicorn thread would wait on
the cache.
"""

import logging

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bfportal.pause import Pause

RETRY_AFTER = 1.0
FAILURES = (redis.ConnectionError, redis.TimeoutError)
logger = logging.getLogger(__name__)
pause = Pause(RETRY_AFTER)


def _failed(error: Exception) -> None:
    pause.failed()
    logger.warning("cache server unreachable (%s): serving without it for %s s", error, RETRY_AFTER)


def shared_caches(url: str, password: str | None) -> dict:
    """CACHES for the server at `url`: Django's default, Wagtail's renditions and the pages."""
    server = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "PASSWORD": password,
            "CONNECTION_POOL_KWARGS": {"connection_class": Connection},
            # A server on the same network answers in a millisecond: one that takes longer is
            # treated as away.
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.5,
            "IGNORE_EXCEPTIONS": True,
        },
    }
    # The same backend, counting gets, hits and misses for the metrics (django-prometheus's).
    # The default alias keeps django-redis's own, the one django-ratelimit's check knows.
    counted = {**server, "BACKEND": "django_prometheus.cache.backends.redis.RedisCache"}
    return {
        "default": server,
        "renditions": {**counted, "KEY_PREFIX": "renditions"},
        "pages": {**counted, "KEY_PREFIX": "pages"},
    }


class Connection(redis.Connection):
    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "retry": Retry(NoBackoff(), 0)})

    def connect_check_health(self, *args, **kwargs):
        if self._sock:
            return
        waited = pause.since_failure()
        if waited is not None:
            raise redis.ConnectionError(
                f"the cache server failed {waited:.1f} s ago; retrying after {RETRY_AFTER} s"
            )
        try:
            super().connect_check_health(*args, **kwargs)
        except FAILURES as error:
            _failed(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except FAILURES as error:
            _failed(error)
            raise
