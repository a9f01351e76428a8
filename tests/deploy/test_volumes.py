"""Data volumes that no everyday command deletes: the production stack's volumes, which compose
never deletes and the scripts delete only once told so, in a typed name or --yes-delete-data;
the server's stack, which swarm-down deletes only so. (A development checkout's `make clean`
beside the server's stack: test_restore.py, which takes that stack down anyway.)"""

import json
import os
import pty
import subprocess

import pytest

from tests.containers import LABEL, RUN, docker
from tests.paths import REPO_ROOT, SCRIPTS, copy_checkout

PROJECT = f"bfportal-volumes-{RUN}"
# docker-compose.prod.yml's required settings, which a `down` never uses.
PASSWORDS = {"SECRET_KEY": "x", "POSTGRES_PASSWORD": "x", "BACKUP_PASSWORD": "x"}


def run(*command, env=None, typed: str | None = None) -> subprocess.CompletedProcess:
    """`command` in the checkout; with `typed`, at a terminal where that line is typed."""
    terminal = None
    if typed is not None:
        terminal, stdin = pty.openpty()
        os.write(terminal, typed.encode() + b"\n")
    try:
        return subprocess.run(
            command, cwd=REPO_ROOT, env={**os.environ, **(env or {})},
            stdin=stdin if terminal else subprocess.DEVNULL,
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        if terminal is not None:
            os.close(terminal)
            os.close(stdin)


@pytest.fixture
def production_volumes():
    """The production stack's volumes, as `make prod-up` makes them, of a project of its own."""
    env = {"COMPOSE_PROJECT_NAME": PROJECT}
    made = run(SCRIPTS / "prod-volumes.sh", "create", "--label", LABEL, env=env)
    assert made.returncode == 0, made.stderr
    names = run(SCRIPTS / "prod-volumes.sh", env=env).stdout.split()
    assert len(names) == 6 and all(name.startswith(f"{PROJECT}_") for name in names)
    yield env, names
    for name in names:
        docker("volume", "rm", "--force", name, check=False)


def existing(names: list[str]) -> list[str]:
    return [n for n in names if docker("volume", "inspect", n, check=False).returncode == 0]


def test_the_production_volumes_are_those_compose_names_with_the_project_env_prod_sets(tmp_path):
    checkout = copy_checkout(tmp_path)
    settings = checkout / ".env.prod"
    settings.write_text(
        "COMPOSE_PROJECT_NAME=renamed-shop\nSECRET_KEY=x\nPOSTGRES_PASSWORD=y\nBACKUP_PASSWORD=z\n"
    )
    listed = run(checkout / "scripts" / "prod-volumes.sh").stdout.split()
    config = docker(
        "compose", "--file", str(checkout / "docker-compose.prod.yml"), "--env-file", str(settings),
        "config", "--format", "json",
    ).stdout  # fmt: skip

    assert sorted(listed) == sorted(v["name"] for v in json.loads(config)["volumes"].values())
    assert len(listed) == 6 and all(name.startswith("renamed-shop_") for name in listed)


def test_a_hand_typed_compose_down_volumes_leaves_the_production_data(production_volumes):
    env, names = production_volumes
    docker(
        "compose", "--file", str(REPO_ROOT / "docker-compose.prod.yml"), "--env-file", "/dev/null",
        "down", "--volumes", env={**os.environ, **env, **PASSWORDS},
    )  # fmt: skip

    assert existing(names) == names


@pytest.mark.parametrize(
    ("typed", "says"),
    [(None, "type its name at a terminal, or add --yes-delete-data"), ("bfportal", "is not")],
    ids=["without-a-terminal", "another-name-typed"],
)
def test_prod_down_volumes_unconfirmed_refuses_in_one_line_and_deletes_nothing(
    production_volumes, typed, says
):
    env, names = production_volumes
    down = run(SCRIPTS / "prod-down.sh", "--volumes", env=env, typed=typed)

    assert down.returncode == 1
    assert says in down.stderr.strip().splitlines()[-1]
    assert not [line for line in down.stderr.splitlines() if line.startswith("refused")][1:]
    assert existing(names) == names


def test_prod_down_volumes_deletes_the_data_once_the_projects_name_is_typed(production_volumes):
    env, names = production_volumes
    down = run(SCRIPTS / "prod-down.sh", "--volumes", env=env, typed=PROJECT)

    assert down.returncode == 0, down.stderr
    assert existing(names) == []


def test_swarm_down_volumes_unconfirmed_refuses_in_one_line_and_the_stack_keeps_running(
    server, site
):
    down = run(SCRIPTS / "swarm-down.sh", "--volumes", env={**site.env, "DOCKER_HOST": server.host})

    assert down.returncode == 1
    assert down.stderr.strip().splitlines() == [
        "refused: this deletes stack bfportal's volumes and secrets (its database, uploads and"
        " on-server backups);"
        " type its name at a terminal, or add --yes-delete-data"
    ]
    assert site.health()["status"] == "ok"
