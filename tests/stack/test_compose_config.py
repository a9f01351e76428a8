"""What the compose files publish, read from `docker compose config` (nothing is started)."""

import json

from tests.containers import docker
from tests.paths import REPO_ROOT


def services(compose_file: str, **env: str) -> dict:
    """The services of `compose_file` as `docker compose config` resolves them with `env`."""
    config = docker(
        "compose", "--file", str(REPO_ROOT / compose_file), "config", "--format", "json",
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env},
    ).stdout  # fmt: skip
    return json.loads(config)["services"]


def published(compose_file: str, service: str, **env: str) -> list[dict]:
    return services(compose_file, **env)[service]["ports"]


def test_the_dev_stack_is_published_on_loopback_only_by_default():
    assert {port["host_ip"] for port in published("docker-compose.yml", "web")} == {"127.0.0.1"}


def test_dev_bind_publishes_the_dev_stack_on_another_address():
    ports = published("docker-compose.yml", "web", DEV_BIND="0.0.0.0")  # noqa: S104

    assert {port["host_ip"] for port in ports} == {"0.0.0.0"}  # noqa: S104


# The secrets compose requires to read the production file; their values do not matter here.
REQUIRED_SECRETS = {"SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "unused"}


def production_service(service: str) -> dict:
    return services("docker-compose.prod.yml", **REQUIRED_SECRETS)[service]


def test_web_and_caddy_run_read_only_without_capabilities_or_new_privileges_within_limits():
    for name in ("web", "caddy"):
        service = production_service(name)

        assert service.get("read_only") is True, name
        assert service.get("cap_drop") == ["ALL"], name
        assert "no-new-privileges:true" in service.get("security_opt", []), name
        assert "/tmp" in service.get("tmpfs", []), name
        assert service.get("mem_limit"), name
        assert service.get("pids_limit"), name


def test_every_production_service_rotates_its_json_log():
    for name in ("caddy", "web", "migrate", "postgres"):
        logging = production_service(name)["logging"]

        assert logging["driver"] == "json-file", name
        assert logging["options"]["max-size"] and logging["options"]["max-file"], name
