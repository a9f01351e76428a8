"""Every response tells browsers what the page may load and do: a Content-Security-Policy that
allows only this site's own files (looser in the admin, which needs inline code), and the
Referrer-Policy, Permissions-Policy and X-Content-Type-Options headers."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_public_pages_may_run_and_load_only_the_sites_own_files(client, home_page):
    policy = directives(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_the_search_page_and_error_pages_carry_the_same_policy(client, home_page):
    assert directives(client.get("/search/", {"query": "x"}))["script-src"] == ["'self'"]
    assert directives(client.get("/no-such-page/"))["script-src"] == ["'self'"]


def test_the_admin_is_allowed_inline_code_but_nothing_from_elsewhere(editor_client):
    policy = directives(editor_client.get("/admin/"))

    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_pages_refuse_powerful_browser_features_and_send_referrers_only_to_the_site(
    client, home_page
):
    response = client.get("/")

    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
