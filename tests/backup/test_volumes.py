"""Data volumes that no everyday command deletes: a development checkout beside the server's
stack, under the same project name, as a developer who deploys from their laptop has."""

import subprocess

import requests

from tests.containers import django_shell, eventually
from tests.paths import SCRIPTS, copy_checkout
from tests.servers import make_deploy

KEPT_USER = "kept-through-make-clean"


def web_container(server) -> str:
    ids = server.docker(
        "ps", "--quiet", "--filter", "name=bfportal_web", "--filter", "health=healthy"
    ).stdout.split()  # fmt: skip
    assert ids, server.docker("service", "ps", "bfportal_web", check=False).stdout
    return ids[0]


def manage(server, code: str) -> str:
    """`manage.py shell -c code` in one of the server's web containers; its last line."""
    return django_shell(web_container(server), code, docker=server.docker)


def test_make_clean_in_a_dev_checkout_beside_the_swarm_stack_leaves_the_swarms_database(
    server, site, tmp_path
):
    manage(
        server,
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user('{KEPT_USER}'); print('ok')",
    )
    on_server = {**site.env, "DOCKER_HOST": server.host}
    down = subprocess.run(
        [SCRIPTS / "swarm-down.sh"], env=on_server, capture_output=True, text=True, timeout=300
    )
    assert down.returncode == 0, down.stderr
    # A checkout of this project whose .env turns on the dev stack's PostgreSQL.
    checkout = copy_checkout(tmp_path)
    (checkout / ".env").write_text(
        "COMPOSE_PROFILES=postgres\n"
        "DATABASE_URL=postgres://bfportal:bfportal@postgres:5432/bfportal\n"
    )
    clean = subprocess.run(
        [checkout / "scripts" / "clean.sh"], cwd=checkout, env=on_server,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert clean.returncode == 0, clean.stderr

    assert server.docker("volume", "inspect", "bfportal_postgres", check=False).returncode == 0, (
        f"make clean deleted the stack's database volume:\n{clean.stderr}"
    )
    deploy = make_deploy(site.env, IMAGE=site.v1)
    assert deploy.returncode == 0, deploy.stderr[-4000:]

    def answers() -> bool:
        try:
            return site.health()["status"] == "ok"
        except requests.RequestException:
            return False

    eventually(answers, timeout=120, what="the site answers again after the deploy")
    exists = (
        "from django.contrib.auth import get_user_model; "
        f"print(get_user_model().objects.filter(username='{KEPT_USER}').exists())"
    )
    assert manage(server, exists) == "True"
