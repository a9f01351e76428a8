"""What the compose and stack files ask for, read from `docker compose config` and
`docker stack config` (nothing is started)."""

import json

import pytest
import yaml

from tests.containers import docker
from tests.paths import REPO_ROOT

CLEAN_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}


def config(compose_file: str, **env: str) -> dict:
    """`compose_file` as `docker compose config` resolves it with `env`."""
    text = docker(
        "compose", "--file", str(REPO_ROOT / compose_file), "config", "--format", "json",
        env={**CLEAN_ENV, **env},
    ).stdout  # fmt: skip
    return json.loads(text)


def services(compose_file: str, **env: str) -> dict:
    return config(compose_file, **env)["services"]


def stack_config(**env: str) -> dict:
    """docker-stack.yml as `docker stack config` resolves it, with the images it requires."""
    images = {"WEB_IMAGE": "bfportal:v1", "MIGRATE_IMAGE": "bfportal:v1"}
    text = docker(
        "stack", "config", "--compose-file", str(REPO_ROOT / "docker-stack.yml"),
        env={**CLEAN_ENV, **images, "BACKUP_IMAGE": "bfportal-backup:v1", **env},
    ).stdout  # fmt: skip
    return yaml.safe_load(text)


def published(compose_file: str, service: str, **env: str) -> list[dict]:
    return services(compose_file, **env)[service]["ports"]


def test_the_dev_stack_is_published_on_loopback_only_by_default():
    assert {port["host_ip"] for port in published("docker-compose.yml", "web")} == {"127.0.0.1"}


def test_dev_bind_publishes_the_dev_stack_on_another_address():
    ports = published("docker-compose.yml", "web", DEV_BIND="0.0.0.0")  # noqa: S104

    assert {port["host_ip"] for port in ports} == {"0.0.0.0"}  # noqa: S104


# The secrets compose requires to read the production file; their values do not matter here.
REQUIRED_SECRETS = {"SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "unused", "BACKUP_PASSWORD": "x"}


def production_service(service: str) -> dict:
    return services("docker-compose.prod.yml", **REQUIRED_SECRETS)[service]


def test_web_caddy_cache_and_backup_run_read_only_with_a_sized_tmp_no_capabilities_in_limits():
    for name in ("web", "caddy", "cache", "backup"):
        service = production_service(name)

        assert service.get("read_only") is True, name
        assert service.get("cap_drop") == ["ALL"], name
        assert "no-new-privileges:true" in service.get("security_opt", []), name
        assert "/tmp:size=128m" in service.get("tmpfs", []), name
        assert service.get("mem_limit"), name
        assert service.get("pids_limit"), name


def test_every_production_service_rotates_its_json_log():
    for name in ("caddy", "web", "migrate", "postgres", "cache", "backup"):
        logging = production_service(name)["logging"]

        assert logging["driver"] == "json-file", name
        assert logging["options"]["max-size"] and logging["options"]["max-file"], name


def volume_names(config: dict) -> set[str]:
    return {volume["name"] for volume in config["volumes"].values()}


@pytest.mark.parametrize("project", [None, "acme"], ids=["bfportal", "renamed"])
def test_no_two_of_the_dev_production_and_swarm_stacks_share_a_volume_name(project):
    """The names each stack's volumes get under the starter's names (bfportal, bfportal-prod,
    stack bfportal) or a renamed project's (acme, acme-prod, stack acme)."""
    names = {"COMPOSE_PROJECT_NAME": project} if project else {}
    dev = volume_names(config("docker-compose.yml", COMPOSE_PROFILES="postgres", **names))
    production = volume_names(
        config(
            "docker-compose.prod.yml", **REQUIRED_SECRETS,
            **({"COMPOSE_PROJECT_NAME": f"{project}-prod"} if project else {}),
        )
    )  # fmt: skip
    swarm = volume_names(stack_config(**({"STACK_NAME": project} if project else {})))

    assert len(dev) == 2 and len(production) == 6 and len(swarm) == 6
    assert not dev & production and not dev & swarm and not production & swarm
    assert f"{project or 'bfportal'}_postgres" in swarm


def test_compose_never_creates_or_deletes_the_production_data_volumes():
    volumes = config("docker-compose.prod.yml", **REQUIRED_SECRETS)["volumes"]

    assert all(volume.get("external") is True for volume in volumes.values())


def test_postgresql_gets_60_s_to_shut_down_cleanly_in_every_stack():
    dev = services("docker-compose.yml", COMPOSE_PROFILES="postgres")["postgres"]
    production = production_service("postgres")
    swarm = stack_config()["services"]["postgres"]

    for grace in (
        dev["stop_grace_period"],
        production["stop_grace_period"],
        swarm["stop_grace_period"],
    ):
        assert grace == "1m0s"


def test_postgres_stops_cleanly_within_limits_with_room_in_dev_shm_and_no_new_privileges():
    service = production_service("postgres")

    assert service["stop_grace_period"] == "1m0s"
    assert service["shm_size"] == "268435456"
    assert service["mem_limit"] and service["pids_limit"]
    assert "no-new-privileges:true" in service.get("security_opt", [])
