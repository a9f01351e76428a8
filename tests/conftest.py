"""Fixtures shared by every suite (app, image, e2e)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.containers import build_target, healthy_container, migrated_volume
from tests.paths import PROJECT_DIR, REPO_ROOT


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


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
    """A running Docker engine with buildx; installed and started here when possible."""
    result = subprocess.run(
        [REPO_ROOT / "scripts" / "ensure-docker-engine.sh"], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(
            "No Docker engine: run scripts/ensure-docker-engine.sh as root on Debian, "
            f"or install Docker with buildx and compose v2.\n{result.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def final_image(docker_engine) -> str:
    build_target("final", "bfportal:final")
    return "bfportal:final"


@pytest.fixture(scope="session")
def dev_image(docker_engine) -> str:
    build_target("dev", "bfportal:dev")
    return "bfportal:dev"


@pytest.fixture(scope="session")
def data_volume(final_image):
    """A named volume for /app/data, migrated once per session by a one-off container."""
    with migrated_volume(final_image) as volume:
        yield volume


@pytest.fixture(scope="session")
def final_server(final_image, data_volume):
    """The final image serving on a loopback port, healthy, with a migrated database."""
    with healthy_container(final_image, "--volume", f"{data_volume}:/app/data") as container:
        yield container


def pytest_report_header(config):
    from django.conf import settings

    return f"database for tests/app: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
