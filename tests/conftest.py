"""Fixtures shared by every suite (app, image, e2e)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_DIR = REPO_ROOT / "bfportal"


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
