import pytest
from django.core.management import call_command

from tests.factories import PRODUCTION_SETTINGS

GOOD_PRODUCTION_ENV = {
    **PRODUCTION_SETTINGS,
    "ALLOWED_HOSTS": "www.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://www.example.com",
    "DATABASE_URL": "sqlite:////tmp/bfportal-settings-test.sqlite3",
    "DEBUG": "",
    "MEDIA_STORAGE": "",
    "AWS_STORAGE_BUCKET_NAME": "",
}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY is a placeholder"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY is a placeholder"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS is empty"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mongodb://db/site"}, "DATABASE_URL"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DEBUG": "true"}, "DEBUG=true is for development"),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be filesystem or s3"),
        ({"MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME is not set"),
        ({"LOGIN_ADDRESS_FAILURE_LIMIT": "4"}, "LOGIN_ADDRESS_FAILURE_LIMIT (4) is below"),
        ({"MAINTENANCE_SCHEDULE": "4am"}, "MAINTENANCE_SCHEDULE must be HH:MM"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be plain or json"),
        ({"SENTRY_DSN": "sentry.example.com"}, "SENTRY_DSN is not a DSN"),
        (
            {"SENTRY_DSN": "https://key@sentry.example.com/1", "SENTRY_TRACES_SAMPLE_RATE": "10%"},
            "SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1",
        ),
    ],
    ids=[
        "missing-secret",
        "placeholder-secret",
        "insecure-secret",
        "no-hosts",
        "blank-hosts",
        "malformed-database-url",
        "unsupported-database",
        "debug-maybe",
        "debug-on",
        "unknown-media-storage",
        "s3-without-bucket",
        "address-limit-below-pair-limit",
        "maintenance-schedule-not-a-time",
        "unknown-log-format",
        "malformed-sentry-dsn",
        "sample-rate-not-a-fraction",
    ],
)
def test_production_settings_refuse_a_bad_value_with_one_line_naming_it(
    run_python, overrides, message
):
    result = run_python("manage.py", "check", env={**GOOD_PRODUCTION_ENV, **overrides})

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("bfportal: ")
    assert message in lines[0]


def test_deploy_checks_pass_under_production_settings_with_the_documented_variables(run_python):
    result = run_python(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=GOOD_PRODUCTION_ENV
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_import_nothing_from_the_dev_dependency_group(run_python):
    code = (
        "import sys, django; django.setup();"
        "dev = ('django_browser_reload', 'pytest', 'pytest_django', 'playwright', 'ruff');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in dev))"
    )

    result = run_python("-c", code, env=GOOD_PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_production_static_storage_hashes_and_compresses(run_python):
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.STORAGES['staticfiles']['BACKEND'])"
    )

    result = run_python("-c", code, env=GOOD_PRODUCTION_ENV)

    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
