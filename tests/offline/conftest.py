"""What the host-setup scripts are tried on: throw-away containers of a Debian trixie image."""

import os

import pytest

from tests.containers import docker


@pytest.fixture(scope="module")
def image() -> str:
    name = os.environ.get("PYTHON_IMAGE")
    if not name:
        pytest.fail(
            "PYTHON_IMAGE is not set: name a Debian trixie based Python image", pytrace=False
        )
    if docker("image", "inspect", name, check=False).returncode != 0:
        pytest.fail(f"PYTHON_IMAGE={name} is not in the Docker engine's image store", pytrace=False)
    return name
