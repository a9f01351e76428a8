"""Error reports from the final image: with SENTRY_DSN set, a request that raises arrives at the
DSN's host, a receiver here playing Sentry, with the release and the path, and with no cookie,
Authorization header, password, SECRET_KEY or database URL in its bytes."""

import gzip
import http.server
import json
import secrets
import threading

import brotli
import pytest
import requests

from tests.containers import RUNNER, eventually, healthy_container, inspect
from tests.paths import REPO_ROOT


class Receiver(http.server.ThreadingHTTPServer):
    """Records the bodies of the envelopes posted to it, decompressed."""

    def __init__(self):
        self.envelopes: list[bytes] = []
        super().__init__(("0.0.0.0", 0), Handler)  # noqa: S104


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        body = {"br": brotli.decompress, "gzip": gzip.decompress}.get(encoding, bytes)(body)
        self.server.envelopes.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def events(envelope: bytes) -> list[dict]:
    """The events in an envelope: a header line, then item headers each followed by a payload."""
    lines = envelope.split(b"\n")[1:]
    return [
        json.loads(payload)
        for header, payload in zip(lines[::2], lines[1::2], strict=False)
        if json.loads(header).get("type") == "event"
    ]


def test_a_failing_request_is_reported_with_release_and_path_and_no_secret(
    final_image, data_volume, receiver
):
    secret_key = secrets.token_urlsafe(50)
    session, csrf, token, password = (secrets.token_hex(16) for _ in range(4))
    database_url = "sqlite:////app/data/db.sqlite3"
    env = {
        "SENTRY_DSN": f"http://{secrets.token_hex(16)}@{RUNNER}:{receiver.server_address[1]}/1",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "error_probe.settings",
    }
    probe = REPO_ROOT / "tests" / "image" / "error_probe"
    with healthy_container(
        final_image,
        "--volume", f"{data_volume}:/app/data",
        "--volume", f"{probe}:/app/error_probe:ro",
        env=env,
    ) as web:  # fmt: skip
        response = requests.post(
            web.url + "/probe/",
            data={"password": password},
            headers={"Authorization": f"Bearer {token}"},
            cookies={"sessionid": session, "csrftoken": csrf},
            timeout=10,
        )
        assert response.status_code == 500
        eventually(lambda: receiver.envelopes, 15, "an envelope at the DSN's host")

    version = dict(item.split("=", 1) for item in inspect(final_image)["Config"]["Env"])
    [event] = [event for envelope in receiver.envelopes for event in events(envelope)]
    assert event["release"] == version["APP_VERSION"]
    assert event["environment"] == "production"
    assert event["request"]["url"].endswith("/probe/")
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    sent = b"".join(receiver.envelopes)
    for value in (session, csrf, token, password, secret_key, database_url):
        assert value.encode() not in sent
