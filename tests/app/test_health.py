import json

import pytest

from tests.factories import PRODUCTION_SETTINGS

PRODUCTION = {**PRODUCTION_SETTINGS, "ALLOWED_HOSTS": "www.example.com"}
PROBE = """
import django, json
django.setup()
from django.test import Client
response = Client().get("{path}", HTTP_HOST="127.0.0.1")
print(json.dumps({{"status": response.status_code, "body": response.json()}}))
"""
# A page, as a visitor asks for it, with production's error handling.
PAGE = """
import django
django.setup()
from django.test import Client
response = Client(raise_request_exception=False).get("/", HTTP_HOST="www.example.com", secure=True)
print(response.status_code, response.headers.get("Retry-After"), "Back shortly" in response.text)
"""


@pytest.mark.django_db
def test_healthz_answers_200_with_a_small_json_body(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "dev"}


def test_healthz_answers_a_plain_http_probe_on_127_0_0_1_under_production_settings(
    run_python, tmp_path
):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}

    result = run_python("-c", PROBE.format(path="/healthz/"), env=env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"status": 200, "body": {"status": "ok", "version": "dev"}}


def test_healthz_answers_503_when_the_database_is_unreachable(run_python, tmp_path):
    unreachable = f"sqlite:///{tmp_path}/missing-dir/db.sqlite3"
    env = {**PRODUCTION, "DATABASE_URL": unreachable}

    result = run_python("-c", PROBE.format(path="/healthz/"), env=env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "status": 503,
        "body": {"status": "unavailable", "database": "unreachable", "version": "dev"},
    }


def test_livez_answers_200_while_the_database_is_unreachable(run_python, tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/db.sqlite3"}

    result = run_python("-c", PROBE.format(path="/livez/"), env=env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"status": 200, "body": {"status": "ok", "version": "dev"}}


def test_a_page_is_a_503_asking_to_come_back_while_the_database_is_unreachable(
    run_python, tmp_path
):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/db.sqlite3"}

    result = run_python("-c", PAGE, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["503", "30", "True"]
