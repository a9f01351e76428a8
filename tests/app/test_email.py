"""E-mail: production sends through the SMTP server the environment names, and the admin's
password-reset mail links to the site's public address."""

import pytest
from django.core import mail

from tests.app.conftest import SITE


def test_production_takes_its_smtp_server_and_sender_from_the_environment(production_settings):
    settings = production_settings(
        "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL",
        EMAIL_HOST="smtp.example.com", EMAIL_PORT="2525", EMAIL_HOST_USER="mailer",
        EMAIL_HOST_PASSWORD="app-password", EMAIL_USE_TLS="false", EMAIL_USE_SSL="true",  # noqa: S106
        DEFAULT_FROM_EMAIL="Site <noreply@example.com>",
    )  # fmt: skip

    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "app-password",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": True,
        "DEFAULT_FROM_EMAIL": "Site <noreply@example.com>",
        "SERVER_EMAIL": "Site <noreply@example.com>",
    }


def test_smtp_with_both_starttls_and_implicit_tls_is_refused_in_one_line(run_python):
    result = run_python(
        "manage.py", "check", env={**SITE, "EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}
    )

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith("EMAIL_USE_TLS and EMAIL_USE_SSL are both true: choose one (587: TLS, 465: SSL)")
    )


@pytest.mark.django_db
def test_the_password_reset_mail_links_to_the_sites_public_address(
    client, django_user_model, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://cms.example.com"
    django_user_model.objects.create_user("alice", "alice@example.com", "alice-pw-1")

    response = client.post("/admin/password_reset/", {"email": "alice@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "https://cms.example.com/admin/password_reset/confirm/" in mail.outbox[0].body
