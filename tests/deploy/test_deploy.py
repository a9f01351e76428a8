"""`make deploy` to a bare server: the registry's image, pulled over Docker's SSH transport."""

import os
import subprocess

import pytest
import requests

from tests.containers import CADDY_ROOT_CERTIFICATE, docker, eventually, inspect
from tests.paths import REPO_ROOT, SCRIPTS


@pytest.fixture(scope="session")
def pushed(registry, final_image, tmp_path_factory) -> dict[str, str]:
    """The final image as release v1, and the stack's PostgreSQL and Caddy, in the registry;
    the environment of a client logged in to it."""
    env = {**os.environ, "DOCKER_CONFIG": str(tmp_path_factory.mktemp("docker-config"))}
    docker(
        "login", "--username", registry.username, "--password-stdin", registry.address,
        env=env, input=registry.password,
    )  # fmt: skip
    images = {
        "IMAGE": (final_image, f"{registry.address}/bfportal:v1"),
        "POSTGRES_IMAGE": (os.environ["POSTGRES_IMAGE"], f"{registry.address}/postgres:17"),
        "CADDY_IMAGE": (os.environ["CADDY_IMAGE"], f"{registry.address}/caddy:2"),
    }
    for source, target in images.values():
        docker("tag", source, target)
        docker("push", "--quiet", target, env=env, timeout=600)
        docker("rmi", target)
    return {name: target for name, (_, target) in images.items()} | {
        "DOCKER_CONFIG": env["DOCKER_CONFIG"]
    }


def make_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SCRIPTS / "deploy.sh"], env=env, cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip


def test_a_first_deploy_sets_up_a_bare_server_and_serves_the_release_over_https(
    server, pushed, final_image, tmp_path
):
    env = {
        **server.env, **pushed, "HOST": server.host, "SITE_ADDRESS": server.name,
        "CADDY_GLOBAL_OPTIONS": "local_certs", "SWARM_ENV_FILE": str(tmp_path / "none"),
    }  # fmt: skip
    deploy = make_deploy(env)
    assert deploy.returncode == 0, deploy.stderr[-4000:]

    caddy = server.docker("ps", "--quiet", "--filter", "name=bfportal_caddy").stdout.split()[0]
    ca = tmp_path / "caddy-root.crt"
    eventually(
        lambda: server.docker("cp", f"{caddy}:{CADDY_ROOT_CERTIFICATE}", str(ca),
                              check=False).returncode == 0,
        timeout=60, what="Caddy made its CA",
    )  # fmt: skip

    def health() -> dict:
        return requests.get(f"https://{server.name}/healthz/", verify=str(ca), timeout=10).json()

    def answers() -> bool:
        try:
            return health()["status"] == "ok"
        except requests.RequestException:
            return False

    eventually(answers, timeout=60, what="the site answers over HTTPS")
    version = inspect(final_image)["Config"]["Labels"]["org.opencontainers.image.version"]
    assert health() == {"status": "ok", "version": version}
    assert server.docker("info", "--format", "{{.Swarm.LocalNodeState}}").stdout.strip() == (
        "active"
    )
