"""2,000 generated bad requests (tests/bad_input.py) through Caddy to final on PostgreSQL: no
answer is a 5xx, web never restarts, and web's log holds no traceback."""

import secrets
from datetime import UTC, datetime

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bad_input import (
    LOGIN_FIELDS,
    PUBLIC_PATHS,
    bad_request,
    form_body,
    http_headers,
    query_string,
)
from tests.containers import docker

REQUESTS = 2000


@pytest.fixture
def public_urls(stack, admin, home_page_id) -> dict[str, tuple[str, ...]]:
    """Each public URL, the admin's login, and the fields their views read."""
    name = f"fuzzed-{secrets.token_hex(4)}"
    page = admin.publish_page(home_page_id, "Fuzzed", name, "Generated input.")
    return {**PUBLIC_PATHS, page: (), "/admin/login/": LOGIN_FIELDS}


@pytest.fixture
def watched_web(stack):
    """web's container, start time and restart count before the test; its log since then
    is checked after."""
    stack.ensure_running()
    container = stack.container("web")
    before = stack.state("web")
    since = datetime.now(UTC).isoformat()
    yield
    after = stack.state("web")
    assert stack.container("web") == container, "web was replaced"
    assert (after["StartedAt"], after.get("RestartCount", 0)) == (
        before["StartedAt"],
        before.get("RestartCount", 0),
    ), "web restarted"
    log = docker("logs", "--since", since, container)
    assert "Traceback" not in log.stdout + log.stderr, (log.stdout + log.stderr)[-4000:]


@pytest.fixture
def http_session():
    with requests.Session() as session:
        yield session


@settings(
    max_examples=REQUESTS,
    # One session and one stack for every example; no example changes what another finds but
    # for django-axes' count of failed logins and the search limit's count, which may answer
    # later ones with 429 (tests/app's examples reach every view).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_2000_generated_bad_requests_through_caddy_get_no_5xx(
    stack, public_urls, watched_web, http_session, failed_logins_forgotten, data
):
    path = data.draw(st.sampled_from(sorted(public_urls)), label="path")
    fields, headers = data.draw(bad_request(public_urls[path]))
    method = "POST" if path == "/admin/login/" else "GET"
    url = stack.url + path
    body = None
    if method == "POST":
        body = form_body(fields)
        headers["HTTP_CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    elif fields:
        url += "?" + query_string(fields)

    response = http_session.request(
        method, url, data=body, headers=http_headers(headers), timeout=30, verify=str(stack.ca)
    )

    assert response.status_code < 500, (response.status_code, response.text[:500])
