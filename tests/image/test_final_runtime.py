"""The production image as it runs: health, shutdown, static files, hardening."""

import socket
import time
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest

from tests.containers import (
    HASHED_STYLESHEET_LINK,
    cpu_seconds,
    django_shell,
    docker,
    env_args,
    healthy_container,
    inspect,
)
from tests.factories import PRODUCTION_ENV


def test_healthcheck_reports_healthy_and_the_version_the_image_was_built_as(
    final_image, final_server
):
    version = inspect(final_image)["Config"]["Labels"]["org.opencontainers.image.version"]

    assert final_server.health() == "healthy"
    assert final_server.get("/healthz/").json() == {"status": "ok", "version": version}
    assert version != "dev"


# CPU time of one probe, which runs every few seconds in every container: 0.05 s measured
# here for a request on a socket, 0.135 s for urllib's (ssl and email imported first); a bare
# interpreter's start is 0.026 s.
PROBE_CPU_SECONDS = 0.1
# Ten probes in a row, inside the container: their exit codes, then their mean CPU time.
TEN_PROBES = """
import resource, subprocess, sys
codes = {subprocess.run([sys.executable, "healthcheck.py"]).returncode for _ in range(10)}
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(*codes, (used.ru_utime + used.ru_stime) / 10)
"""


def test_the_healthcheck_probe_costs_under_0_1_cpu_seconds_and_fails_where_nothing_listens(
    final_server,
):
    *codes, cpu = docker("exec", final_server.id, "python", "-c", TEN_PROBES).stdout.split()
    nothing = docker(
        "exec", "--env", "PORT=1", final_server.id, "python", "healthcheck.py", check=False
    )  # fmt: skip

    print(f"\na probe used {float(cpu):.3f} CPU seconds")
    assert codes == ["0"]
    assert float(cpu) < PROBE_CPU_SECONDS
    assert nothing.returncode == 1
    assert "127.0.0.1:1/livez/: [Errno 111] Connection refused" in nothing.stderr


def test_home_page_links_a_hashed_minified_css_file(final_server):
    css = final_server.home_stylesheet()

    assert css.text.count("\n") < 5, "the stylesheet is not minified"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_css_is_served_compressed_with_far_future_caching(final_server, encoding):
    href = HASHED_STYLESHEET_LINK.search(final_server.get("/").text)

    response = final_server.get(href.group(1), headers={"Accept-Encoding": encoding})

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_unknown_static_file_is_a_404(final_server):
    assert final_server.get("/static/css/dist/nope.css").status_code == 404


# CPU time a new container may use until it is healthy. Unlike its wall time, it barely
# depends on what runs beside it: 1.2 to 2.0 s measured here, idle or beside 3 busy loops;
# 3.6 s when no module had bytecode to load.
START_CPU_SECONDS = 2.5


def test_a_new_container_is_healthy_after_less_than_2_5_cpu_seconds(final_image, data_volume):
    with healthy_container(final_image, "--volume", f"{data_volume}:/app/data") as container:
        used = cpu_seconds(container.id)
    print(f"\nhealthy after {used:.2f} CPU seconds")
    assert used < START_CPU_SECONDS


def test_docker_stop_returns_quickly_with_exit_code_zero(final_image, data_volume):
    with healthy_container(final_image, "--volume", f"{data_volume}:/app/data") as container:
        started = time.monotonic()
        docker("stop", container.id)
        elapsed = time.monotonic() - started
        exit_code = inspect(container.id)["State"]["ExitCode"]
        print(f"\ndocker stop took {elapsed:.2f}s")
        assert elapsed < 3
        assert exit_code == 0


# In the running server's container: an editor uploads a 3 MB image (past Django's 2.5 MB in
# memory: it waits in /tmp) and a document; a rendition is made; the document downloads.
EDITOR_WORK = """
import io, os
from django.contrib.auth import get_user_model
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
editor = get_user_model().objects.create_superuser("ro-editor", "ro@example.com", "x" * 16)
client = Client(HTTP_HOST="localhost", secure=True)
client.force_login(editor)
buffer = io.BytesIO()
PILImage.frombytes("RGB", (1024, 1024), os.urandom(1024 * 1024 * 3)).save(buffer, "PNG")
buffer.name = "large.png"
buffer.seek(0)
added = client.post("/admin/images/add/", {"title": "Large", "file": buffer})
image = Image.objects.get(title="Large")
rendition = image.get_rendition("fill-200x100")
document = io.BytesIO(b"minutes")
document.name = "minutes.txt"
client.post("/admin/documents/add/", {"title": "Minutes", "file": document})
download = client.get(Document.objects.get(title="Minutes").url)
body = b"".join(download.streaming_content)
print(added.status_code, rendition.width, download.status_code, body)
"""


def test_serves_uploads_renditions_and_documents_with_a_read_only_root_and_no_capabilities(
    final_image, data_volume
):
    with healthy_container(
        final_image,
        "--read-only",
        "--tmpfs",
        "/tmp",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--volume",
        f"{data_volume}:/app/data",
    ) as container:
        assert container.get("/").status_code == 200
        said = django_shell(container.id, EDITOR_WORK, env={"PLAIN_HTTP": "true"})

    assert said == "302 200 200 b'minutes'"


def test_the_app_user_cannot_write_the_code_or_the_venv(final_image):
    for folder in ("/app", "/app/bfportal", "/venv", "/venv/lib"):
        result = docker(
            "run", "--rm", "--entrypoint", "touch", final_image, f"{folder}/written", check=False
        )  # fmt: skip

        assert result.returncode == 1 and "Permission denied" in result.stderr, folder


def test_deploy_checks_pass_inside_the_image(final_image):
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": "www.example.com"}

    result = docker(
        "run", "--rm", *env_args(env), final_image,
        "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "limit", [["--cpus", "1"], ["--cpuset-cpus", "0"]], ids=["quota", "cpuset"]
)
def test_one_allowed_cpu_gets_three_workers_whatever_the_hosts_count(
    final_image, data_volume, limit
):
    with healthy_container(
        final_image, *limit, "--volume", f"{data_volume}:/app/data", env={"WEB_CONCURRENCY": None}
    ) as container:
        booted = container.logs().count("Booting worker with pid")

    assert booted == 3


def test_requests_are_answered_at_once_while_silent_connections_outnumber_the_threads(
    final_image, data_volume
):
    # A proxy opens connections it may never send a request on: Caddy (Go) dials a spare one
    # when a request finds none idle, and keeps it if another frees up first.
    threads = 4
    with (
        healthy_container(
            final_image, "--volume", f"{data_volume}:/app/data",
            env={"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": str(threads)},
        ) as container,
        ExitStack() as silent,
    ):  # fmt: skip
        address = urlsplit(container.url)
        for _ in range(2 * threads):
            silent.enter_context(socket.create_connection((address.hostname, address.port)))
        time.sleep(0.5)  # the worker accepts them

        timings = []
        for _ in range(3):
            started = time.monotonic()
            assert container.get("/healthz/").status_code == 200
            timings.append(round(time.monotonic() - started, 2))

    assert max(timings) < 1, f"seconds per request: {timings}"


def test_a_worker_count_beyond_the_connection_budget_is_refused_in_one_line(final_image):
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": "www.example.com", "WEB_CONCURRENCY": "8"}

    result = docker("run", "--rm", *env_args(env), final_image, check=False)

    assert result.returncode == 1
    assert (result.stdout + result.stderr).strip().splitlines() == [
        "bfportal: WEB_CONCURRENCY=8 × GUNICORN_THREADS=4 would open 32 database connections, "
        "more than DATABASE_CONNECTION_BUDGET=20: lower one or raise the budget"
    ]
