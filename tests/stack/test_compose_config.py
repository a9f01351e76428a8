"""What the compose files publish, read from `docker compose config` (nothing is started)."""

import json

from tests.containers import docker
from tests.paths import REPO_ROOT


def published(compose_file: str, service: str, **env: str) -> list[dict]:
    config = docker(
        "compose", "--file", str(REPO_ROOT / compose_file), "config", "--format", "json",
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env},
    ).stdout  # fmt: skip
    return json.loads(config)["services"][service]["ports"]


def test_the_dev_stack_is_published_on_loopback_only_by_default():
    assert {port["host_ip"] for port in published("docker-compose.yml", "web")} == {"127.0.0.1"}


def test_dev_bind_publishes_the_dev_stack_on_another_address():
    ports = published("docker-compose.yml", "web", DEV_BIND="0.0.0.0")  # noqa: S104

    assert {port["host_ip"] for port in ports} == {"0.0.0.0"}  # noqa: S104
