"""Logs: plain lines for a terminal (make dev), or with LOG_FORMAT=json one JSON object per line
(the production stacks), for Django's log and gunicorn's. Every line of a request carries its id.

The id is X-Request-ID as the proxy in front sets it, when BEHIND_PROXY (Caddy makes one per
request, drops any that a client sends, and returns it in the response); otherwise one made here.
"""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.utils.functional import empty
from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter

from .settings.env import env_str

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# Caddy's ids are UUIDs; a proxy's id of another shape is kept if it is this plain.
_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# What gunicorn's access log line takes from the request's environ.
REQUEST_ID_KEY = "bfportal.request_id"
USER_ID_KEY = "bfportal.user_id"


def json_formatter() -> JsonFormatter:
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        timestamp="time",
        rename_fields={"levelname": "level", "name": "logger"},
    )


class RequestIdFilter(logging.Filter):
    """Adds the id of the request being served (None outside one) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def _request_started(sender, environ, **kwargs) -> None:
    given = environ.get("HTTP_X_REQUEST_ID", "") if settings.BEHIND_PROXY else ""
    current = given if _ID.fullmatch(given) else str(uuid.uuid4())
    environ[REQUEST_ID_KEY] = current
    request_id.set(current)


def _request_finished(sender, **kwargs) -> None:
    request_id.set(None)


# From the start of a request to its end, past the middleware: Django logs a response's error
# status after the last middleware has returned.
request_started.connect(_request_started, dispatch_uid="bfportal.logs")
request_finished.connect(_request_finished, dispatch_uid="bfportal.logs")


class UserIdMiddleware:
    """Notes for gunicorn's access line who made the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        request.META[USER_ID_KEY] = _user_id(request)
        return response


def _user_id(request) -> int | None:
    """The logged-in user's id, if the request looked the user up (a cached page does not)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, whose lines are JSON objects with LOG_FORMAT=json: the access line
    with the request's method, path, status, duration, user id and id."""

    def setup(self, cfg):
        super().setup(cfg)
        # gunicorn sets its logger up before it loads the settings, which refuse a bad value.
        self.json = env_str("LOG_FORMAT", "plain").lower() == "json"
        if self.json:
            for log in (self.error_log, self.access_log):
                for handler in log.handlers:
                    handler.setFormatter(json_formatter())

    def access(self, resp, req, environ, request_time):
        if not self.json:
            super().access(resp, req, environ, request_time)
            return
        if not self.access_log_enabled:
            return
        method = environ.get("REQUEST_METHOD")
        path = environ.get("PATH_INFO")
        status = int(str(resp.status).split(None, 1)[0])
        self.access_log.info(
            "%s %s %s",
            method,
            path,
            status,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "bytes": getattr(resp, "sent", None),
                "user_agent": environ.get("HTTP_USER_AGENT"),
                "user_id": environ.get(USER_ID_KEY),
                "request_id": environ.get(REQUEST_ID_KEY),
            },
        )
