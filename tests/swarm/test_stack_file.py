"""What docker-stack.yml asks of swarm, read from `docker stack config` (nothing deployed)."""

import hashlib
import shutil
import subprocess

import pytest
import yaml

from tests.containers import docker
from tests.paths import REPO_ROOT, SCRIPTS

REQUIRED = {
    "WEB_IMAGE": "bfportal:v2",
    "MIGRATE_IMAGE": "bfportal:v2",
    "BACKUP_IMAGE": "bfportal-backup:v2",
    "AWS_STORAGE_BUCKET_NAME": "media",
    "AWS_ACCESS_KEY_ID": "key",
}


def stack_services() -> dict:
    config = docker(
        "stack", "config", "--compose-file", str(REPO_ROOT / "docker-stack.yml"),
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **REQUIRED},
    ).stdout  # fmt: skip
    return yaml.safe_load(config)["services"]


def test_web_updates_one_task_at_a_time_starting_the_new_one_first_and_rolls_back_on_failure():
    deploy = stack_services()["web"]["deploy"]

    assert deploy["replicas"] == 3
    assert deploy["update_config"]["parallelism"] == 1
    assert deploy["update_config"]["order"] == "start-first"
    assert deploy["update_config"]["failure_action"] == "rollback"
    assert deploy["update_config"]["monitor"]
    assert deploy["rollback_config"]["order"] == "start-first"
    assert deploy["restart_policy"]["condition"] == "any"


def test_migrations_are_a_one_off_job_and_postgres_is_pinned_to_its_volume():
    services = stack_services()

    assert services["migrate"]["deploy"]["mode"] == "replicated-job"
    assert (
        "node.labels.bfportal.postgres == true"
        in (services["postgres"]["deploy"]["placement"]["constraints"])
    )
    assert any(v["target"] == "/var/lib/postgresql/data" for v in services["postgres"]["volumes"])


def test_secrets_reach_the_app_only_as_files():
    web = stack_services()["web"]
    environment = web["environment"]

    assert {s["source"] for s in web["secrets"]} == {
        "secret_key", "postgres_app_password", "aws_secret_access_key", "cache_password",
    }  # fmt: skip
    assert environment["SECRET_KEY_FILE"].startswith("/run/secrets/")
    assert not {"SECRET_KEY", "POSTGRES_PASSWORD", "AWS_SECRET_ACCESS_KEY", "CACHE_PASSWORD"} & set(
        environment
    )
    assert ":" not in environment["DATABASE_URL"].split("@")[0].removeprefix("postgres://")


@pytest.mark.parametrize("tool", ["sha256sum", "shasum"], ids=["gnu", "macos"])
def test_the_caddyfile_configs_name_takes_the_same_digest_from_sha256sum_or_from_shasum_alone(
    tmp_path, tool
):
    # A PATH with one of the two, as on Linux (coreutils) or macOS (no sha256sum).
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("cut", tool):
        (tools / name).symlink_to(shutil.which(name))
    caddyfile = REPO_ROOT / "deploy" / "swarm" / "Caddyfile"

    result = subprocess.run(
        ["/bin/bash", "-c", f'source {SCRIPTS / "swarm-env.sh"}; digest {caddyfile}'],
        env={"PATH": str(tools), "DOCKER_HOST": "ssh://unused", "SWARM_ENV_FILE": "/nonexistent"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.stdout == hashlib.sha256(caddyfile.read_bytes()).hexdigest()[:12] + "\n"
    assert result.stderr == ""


def test_webs_tmp_is_a_tmpfs_of_128_mib_and_caddy_bounds_bodies_at_the_upload_size():
    services = stack_services()
    tmp = next(v for v in services["web"]["volumes"] if v["target"] == "/tmp")

    assert tmp["type"] == "tmpfs" and tmp["tmpfs"]["size"] == 128 * 2**20
    assert services["caddy"]["environment"]["WAGTAILIMAGES_MAX_UPLOAD_SIZE"] == "10485760"


def test_postgres_runs_within_limits_with_room_in_dev_shm():
    postgres = stack_services()["postgres"]
    shm = next(v for v in postgres["volumes"] if v["target"] == "/dev/shm")

    assert shm["type"] == "tmpfs" and shm["tmpfs"]["size"] == 256 * 2**20
    assert postgres["deploy"]["resources"]["limits"]["memory"]
    assert postgres["deploy"]["resources"]["limits"]["pids"]
