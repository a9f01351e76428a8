"""Secrets from files (Docker secrets, Kubernetes secret volumes): NAME_FILE is read when NAME
is unset, as the official images do; and sessions live in the database, shared by replicas."""

import secrets

from tests.app.conftest import SITE
from tests.factories import PRODUCTION_SETTINGS

# Media in S3, so that the settings read the bucket's secret key too.
S3_SITE = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "media"}
SECRETS = ["SECRET_KEY", "DATABASES", "STORAGES", "EMAIL_HOST_PASSWORD"]


def database_password(settings: dict) -> str:
    return settings["DATABASES"]["default"]["PASSWORD"]


def s3_secret_key(settings: dict) -> str:
    return settings["STORAGES"]["default"]["OPTIONS"]["secret_key"]


def secret_file(tmp_path, name: str, value: str):
    path = tmp_path / name
    # Files written by `docker secret create` from `echo` end with a newline.
    path.write_text(value + "\n")
    return str(path)


def test_secrets_are_read_from_the_files_their_file_variables_name(production_settings, tmp_path):
    key, password, s3_key = secrets.token_urlsafe(50), "db-secret", "s3-secret"

    settings = production_settings(
        *SECRETS,
        **S3_SITE,
        SECRET_KEY="",
        SECRET_KEY_FILE=secret_file(tmp_path, "key", key),
        DATABASE_URL="postgres://bfportal@postgres:5432/bfportal",
        POSTGRES_PASSWORD_FILE=secret_file(tmp_path, "db", password),
        AWS_SECRET_ACCESS_KEY_FILE=secret_file(tmp_path, "s3", s3_key),
        EMAIL_HOST_PASSWORD_FILE=secret_file(tmp_path, "smtp", "smtp-secret"),
    )

    assert settings["SECRET_KEY"] == key
    assert database_password(settings) == password
    assert s3_secret_key(settings) == s3_key
    assert settings["EMAIL_HOST_PASSWORD"] == "smtp-secret"  # noqa: S105


def test_a_variable_that_is_set_wins_over_its_file(production_settings, tmp_path):
    settings = production_settings(
        *SECRETS,
        **S3_SITE,
        SECRET_KEY_FILE=secret_file(tmp_path, "key", "k" * 60),
        DATABASE_URL="postgres://bfportal:in-the-url@postgres:5432/bfportal",
        POSTGRES_PASSWORD_FILE=secret_file(tmp_path, "db", "from-the-file"),
    )

    assert settings["SECRET_KEY"] == PRODUCTION_SETTINGS["SECRET_KEY"]
    assert database_password(settings) == "in-the-url"  # noqa: S105


def test_an_unreadable_secret_file_is_refused_with_one_line_naming_it(run_python, tmp_path):
    env = {**SITE, **S3_SITE, "SECRET_KEY": "", "SECRET_KEY_FILE": str(tmp_path / "missing")}

    result = run_python("manage.py", "check", env=env)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY_FILE: cannot read" in lines[0]


def test_sessions_are_stored_in_the_database_that_every_replica_shares(production_settings):
    settings = production_settings("SESSION_ENGINE")

    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
