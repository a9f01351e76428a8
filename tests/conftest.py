"""Fixtures shared by every suite (app, image, e2e)."""

import os
import subprocess
import sys

import pytest
from hypothesis import settings

from tests.browser import chromium
from tests.containers import (
    RUNNER,
    build_target,
    healthy_container,
    migrated_volume,
    server_name,
)
from tests.paths import PROJECT_DIR, SCRIPTS

# Generated input (tests/bad_input.py): a bounded number of cases per test, no time limit per
# case (PostgreSQL on a busy machine), and no example database written into the checkout; a
# failure prints the blob that replays it. CI's runs (CI is set) draw the same cases each time.
settings.register_profile("default", max_examples=40, deadline=None, database=None, print_blob=True)
settings.register_profile("ci", settings.get_profile("default"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture
def run_python():
    """Run `python ARGS...` in a fresh interpreter in the Django project dir, with env overrides.

    Settings are read once per process, so tests of environment-driven settings need
    a process of their own. Use run_python("manage.py", "check", env=...) or
    run_python("-c", code, env=...).
    """

    def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            cwd=PROJECT_DIR,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


@pytest.fixture(scope="session")
def docker_engine():
    """The host's Docker engine, reached from the test image that scripts/runner.sh starts."""
    if not RUNNER:
        pytest.fail(
            "The suites that use Docker run in the test image: make test ARGS='...'",
            pytrace=False,
        )
    result = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"The Docker engine does not answer:\n{result.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, for the browser suite and the HTTPS tests."""
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def final_image(docker_engine) -> str:
    build_target("final", "bfportal:final")
    return "bfportal:final"


@pytest.fixture(scope="session")
def dev_image(docker_engine) -> str:
    build_target("dev", "bfportal:dev")
    return "bfportal:dev"


@pytest.fixture(scope="session")
def backup_image(docker_engine) -> str:
    """The backup service's image (deploy/backup), as `make prod-up` builds it."""
    subprocess.run(
        [SCRIPTS / "build-backup-image.sh", "bfportal-backup:test", "--quiet"],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    return "bfportal-backup:test"


@pytest.fixture(scope="session")
def data_volume(final_image):
    """A named volume for /app/data, migrated once per session by a one-off container."""
    with migrated_volume(final_image) as volume:
        yield volume


@pytest.fixture(scope="session")
def final_server(final_image, data_volume):
    """The final image serving on the runner's network, healthy, with a migrated database."""
    with healthy_container(
        final_image, "--volume", f"{data_volume}:/app/data", name=server_name("final")
    ) as container:
        yield container


def pytest_report_header(config):
    from django.conf import settings

    return f"database for tests/app: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
