import json
import socket

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
# Five page requests in a row, then one more a second later: how long each took, and what it
# answered.
PAGES_IN_A_ROW = """
import django, json, time
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
answers = []
for pause in (0, 0, 0, 0, 0, 1.1):
    time.sleep(pause)
    start = time.monotonic()
    status = client.get("/", HTTP_HOST="www.example.com", secure=True).status_code
    answers.append([status, time.monotonic() - start])
print(json.dumps(answers))
"""


@pytest.fixture
def silent_database() -> str:
    """The URL of a server that accepts connections and never says a word."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield f"postgres://bfportal:pw@127.0.0.1:{server.getsockname()[1]}/bfportal"


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


def test_after_a_failed_connection_the_next_pages_get_their_503_at_once_instead_of_waiting(
    run_python, silent_database
):
    env = {**PRODUCTION, "DATABASE_URL": silent_database, "DATABASE_CONNECT_TIMEOUT": "2"}

    result = run_python("-c", PAGES_IN_A_ROW, env=env)

    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.splitlines()[-1])
    assert [status for status, _ in answers] == [503] * 6
    assert answers[0][1] >= 2, answers  # the connect timeout
    assert max(seconds for _, seconds in answers[1:5]) < 0.2, answers
    assert answers[5][1] >= 2, answers  # a second later, it tries again
