"""The stack's logs: one JSON object per line from Caddy, gunicorn and the app, and every line of
a request carrying the id Caddy made for it; an id a client sends never reaches web."""

import json
import uuid

from tests.containers import django_shell, docker, eventually


def json_lines(container: str, needle: str) -> list[dict]:
    """The container's log lines (both streams) that hold `needle`, each parsed as JSON."""
    result = docker("logs", container)
    return [
        json.loads(line) for line in (result.stdout + result.stderr).splitlines() if needle in line
    ]


def test_one_request_logs_a_json_line_in_caddy_gunicorn_and_the_app_joined_by_its_id(stack):
    path = f"/no-such-page-{uuid.uuid4().hex}/"

    response = stack.get(path)

    assert response.status_code == 404
    request_id = response.headers["X-Request-ID"]
    uuid.UUID(request_id)
    web, caddy = stack.container("web"), stack.container("caddy")

    def logged() -> bool:
        return bool(json_lines(caddy, request_id)) and len(json_lines(web, request_id)) >= 2

    eventually(logged, 10, f"log lines with {request_id}", details=stack.logs)
    [proxy] = json_lines(caddy, request_id)
    assert proxy["request_id"] == request_id
    assert proxy["request"]["uri"] == path
    by_logger = {line["logger"]: line for line in json_lines(web, request_id)}
    access, app = by_logger["gunicorn.access"], by_logger["django.request"]
    assert access["request_id"] == app["request_id"] == request_id
    assert (access["method"], access["path"], access["status"]) == ("GET", path, 404)
    assert access["duration_ms"] >= 0
    assert access["user_id"] is None
    assert {"time", "level", "message"} <= access.keys()
    assert app["level"] == "WARNING"
    assert path in app["message"]


def test_a_request_id_sent_by_a_client_never_reaches_web(stack):
    forged = f"forged-{uuid.uuid4().hex}"

    response = stack.get("/", headers={"X-Request-ID": forged})

    assert response.status_code == 200
    assert response.headers["X-Request-ID"] != forged
    made = response.headers["X-Request-ID"]
    web = stack.container("web")
    eventually(lambda: json_lines(web, made), 10, f"web's log line with {made}")
    assert json_lines(web, forged) == []


def test_a_logged_in_editors_requests_are_logged_with_their_user_id(stack, admin, admin_user):
    user_id = int(
        django_shell(
            stack.container("web"),
            f"from django.contrib.auth.models import User; "
            f"print(User.objects.get(username={admin_user[0]!r}).pk)",
        )
    )

    response = admin.get("/admin/")

    request_id = response.headers["X-Request-ID"]
    web = stack.container("web")
    eventually(lambda: json_lines(web, request_id), 10, f"web's log line with {request_id}")
    [access] = [line for line in json_lines(web, request_id) if line["logger"] == "gunicorn.access"]
    assert access["user_id"] == user_id
