"""Production's HTTPS settings: Secure cookies and HSTS whatever the redirect says, plain HTTP
only as an explicit opt-in, and the proxy's scheme header trusted only behind a proxy."""

import json

from tests.factories import PRODUCTION_SETTINGS

READ_SETTINGS = """
import django, json
django.setup()
from django.conf import settings
names = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
         "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""
REQUEST_HOME = """
import django
django.setup()
from django.test import Client
response = Client().get("/", HTTP_HOST="www.example.com", HTTP_X_FORWARDED_PROTO="https")
print(response.status_code, response.headers.get("Location"))
"""
SITE = {**PRODUCTION_SETTINGS, "ALLOWED_HOSTS": "www.example.com"}


def production_settings(run_python, **env: str) -> dict:
    result = run_python("-c", READ_SETTINGS, env={**SITE, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cookies_are_secure_and_hsts_is_on_by_default(run_python):
    settings = production_settings(run_python)

    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] > 0


def test_turning_off_the_https_redirect_keeps_secure_cookies_and_hsts(run_python):
    settings = production_settings(run_python, SECURE_SSL_REDIRECT="false")

    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] > 0


def test_plain_http_is_an_explicit_opt_in_that_turns_off_redirect_secure_cookies_and_hsts(
    run_python,
):
    settings = production_settings(run_python, PLAIN_HTTP="true")

    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0


def test_the_forwarded_proto_header_is_trusted_only_behind_a_proxy(run_python):
    assert production_settings(run_python)["SECURE_PROXY_SSL_HEADER"] is None
    assert production_settings(run_python, BEHIND_PROXY="true")["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_a_client_sending_x_forwarded_proto_https_over_plain_http_is_still_redirected(
    run_python,
):
    result = run_python("-c", REQUEST_HOME, env=SITE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["301", "https://www.example.com/"]
