"""The app's log lines: each one written while a request is served carries the request's id,
the proxy's when the site is behind one, and with LOG_FORMAT=json is one JSON object."""

import io
import json
import logging
import uuid

import pytest

from bfportal.logs import RequestIdFilter, json_formatter


@pytest.fixture
def console(monkeypatch) -> io.StringIO:
    """What the settings' console handler writes, formatted as with LOG_FORMAT=json."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(item, RequestIdFilter) for item in handler.filters)
    ]
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    monkeypatch.setattr(handler, "formatter", json_formatter())
    return stream


def lines(console: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in console.getvalue().splitlines()]


@pytest.mark.django_db
def test_behind_a_proxy_a_requests_log_lines_carry_the_proxys_request_id(client, settings, console):
    settings.BEHIND_PROXY = True

    client.get("/no-such-page/", HTTP_X_REQUEST_ID="f81d4fae-7dec-11d0-a765-00a0c91e6bf6")

    [line] = [line for line in lines(console) if line["logger"] == "django.request"]
    assert line["request_id"] == "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page/"
    assert "time" in line


@pytest.mark.django_db
def test_without_a_proxy_a_clients_request_id_is_ignored_and_one_is_made(client, settings, console):
    settings.BEHIND_PROXY = False

    client.get("/no-such-page/", HTTP_X_REQUEST_ID="chosen-by-the-client")

    [line] = [line for line in lines(console) if line["logger"] == "django.request"]
    uuid.UUID(line["request_id"])


def test_a_line_outside_any_request_has_no_request_id(console):
    logging.getLogger("bfportal").warning("between requests")

    [line] = lines(console)
    assert line["request_id"] is None
    assert (line["logger"], line["message"]) == ("bfportal", "between requests")
