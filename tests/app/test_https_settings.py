"""Production's HTTPS settings: Secure cookies and HSTS whatever the redirect says, plain HTTP
only as an explicit opt-in, and the proxy's scheme header trusted only behind a proxy."""

from tests.app.conftest import SITE

HTTPS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
]
REQUEST_HOME = """
import django
django.setup()
from django.test import Client
response = Client().get("/", HTTP_HOST="www.example.com", HTTP_X_FORWARDED_PROTO="https")
print(response.status_code, response.headers.get("Location"))
"""


def test_cookies_are_secure_and_hsts_is_on_by_default(production_settings):
    settings = production_settings(*HTTPS)

    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] > 0


def test_turning_off_the_https_redirect_keeps_secure_cookies_and_hsts(production_settings):
    settings = production_settings(*HTTPS, SECURE_SSL_REDIRECT="false")

    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] > 0


def test_plain_http_is_an_explicit_opt_in_that_turns_off_redirect_secure_cookies_and_hsts(
    production_settings,
):
    settings = production_settings(*HTTPS, PLAIN_HTTP="true")

    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0


def test_the_forwarded_proto_header_is_trusted_only_behind_a_proxy(production_settings):
    assert production_settings(*HTTPS)["SECURE_PROXY_SSL_HEADER"] is None
    assert production_settings(*HTTPS, BEHIND_PROXY="true")["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_a_client_sending_x_forwarded_proto_https_over_plain_http_is_still_redirected(
    run_python,
):
    result = run_python("-c", REQUEST_HOME, env=SITE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["301", "https://www.example.com/"]
