"""The swarm stack (docker-stack.yml) as `make swarm-up` deploys it, plus moto's S3 server
(tests/swarm/s3.yml), under a stack name of this run's own, through Caddy over HTTPS.

Swarm mode is turned on only if the engine is in no swarm, and then turned off again by the
runner when the run ends (see swarm_mode): the engine is left as it was found. The runner
joins the stack's (attachable) overlay network and reaches Caddy, web's tasks and S3 by name.
Release v1 is an image of this run's own, from swarm-up, removed at the end with the stack,
its volumes and its secrets. Releases under load (rolling forward, rolled back) are
tests/deploy's, on the same stack file.
"""

import json
import os
import secrets
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.containers import (
    LABEL,
    RUN,
    AdminClient,
    copy_caddy_root_certificate,
    django_shell,
    docker,
    eventually,
    join,
    leave,
)
from tests.paths import REPO_ROOT, SCRIPTS
from tests.s3 import BUCKET, STORAGE_SETTINGS, s3_client

STACK = f"bfportal-swarm-{RUN}"
NETWORK = f"{STACK}_default"
WEB = f"{STACK}_web"
IMAGE = f"bfportal-swarm-{RUN}"
# Caddy's name on the stack's network, and so the site's address.
SITE = "caddy"
REPLICAS = 3


@dataclass
class Swarm:
    env: dict[str, str]
    ca: Path
    url: str = f"https://{SITE}"

    def script(self, name: str, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        return subprocess.run(
            [SCRIPTS / name, *args], env=self.env, cwd=REPO_ROOT,
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip

    def deploy(self, image: str) -> subprocess.CompletedProcess:
        return self.script("swarm-deploy.sh", image)

    def service(self) -> dict:
        return json.loads(docker("service", "inspect", WEB).stdout)[0]

    def web_image(self) -> str:
        return self.service()["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"]

    def running_tasks(self) -> list[dict]:
        """web's tasks that swarm wants running and that are (healthy, so) running."""
        lines = docker(
            "service", "ps", WEB, "--filter", "desired-state=running", "--format", "{{json .}}"
        ).stdout.splitlines()
        tasks = [json.loads(line) for line in lines]
        return [task for task in tasks if task["CurrentState"].startswith("Running")]

    def tasks(self, service: str) -> list[dict]:
        """Every task of the stack's `service`, as `docker inspect` shows them."""
        ids = docker("service", "ps", "--quiet", f"{STACK}_{service}").stdout.split()
        return json.loads(docker("inspect", *ids).stdout)

    def containers(self, service: str = "web") -> list[str]:
        """The running containers of the stack's `service`."""
        return docker(
            "ps", "--quiet", "--filter", f"label=com.docker.swarm.service.name={STACK}_{service}"
        ).stdout.split()

    def task_addresses(self) -> list[str]:
        """Every web task's own address, as Caddy finds them."""
        try:
            return sorted(socket.gethostbyname_ex("tasks.web")[2])
        except socket.gaierror:
            return []

    def converged(self, replicas: int = REPLICAS) -> bool:
        return len(self.running_tasks()) == replicas and len(self.task_addresses()) == replicas

    def wait_converged(self, replicas: int = REPLICAS, timeout: float = 120) -> None:
        eventually(lambda: self.converged(replicas), timeout, f"{replicas} web tasks run")

    def on_replica(self, address: str, path: str, **kwargs) -> requests.Response:
        """A request to one web task directly, as Caddy forwards it (HTTPS was Caddy's).
        Cookies as a dict: a jar would keep those it got from Caddy's name from going here."""
        headers = {"Host": SITE, "X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}
        return requests.get(
            f"http://{address}:8000{path}", headers=headers, timeout=15,
            allow_redirects=False, **kwargs,
        )  # fmt: skip

    def replica_versions(self) -> list[str]:
        return [self.on_replica(a, "/healthz/").json()["version"] for a in self.task_addresses()]

    def manage(self, code: str, env: dict[str, str] | None = None) -> str:
        """`manage.py shell -c code` in one of web's containers; its last line."""
        return django_shell(self.containers()[0], code, env)

    def logs(self) -> str:
        result = docker("service", "logs", "--tail", "30", WEB, check=False)
        return result.stdout[-4000:] + result.stderr[-4000:]


def s3_endpoint() -> str:
    """The stack's S3 server as the runner reaches it: by its task's address (tasks.s3, a name
    only swarm's DNS has; moto would take a host name's first label for a bucket)."""
    return f"http://{socket.gethostbyname('tasks.s3')}:5000"


def swarm_state() -> str:
    return docker("info", "--format", "{{.Swarm.LocalNodeState}}").stdout.strip()


@pytest.fixture(scope="session")
def swarm_mode(docker_engine):
    """Swarm mode on. A swarm this run turned on is labelled so, and the runner turns it off
    when the run ends, not this suite: leaving a swarm wipes, from Docker's DNS, the names of
    the containers then on user-defined networks (moby/moby#45144), the servers of the suites
    beside this one. Node labels that swarm-up adds to a swarm that was already there are
    removed again."""
    started = swarm_state() == "inactive"
    # A host with several addresses makes swarm ask which one to advertise: one node needs
    # none but its own.
    if started and docker("swarm", "init", check=False).returncode != 0:
        docker("swarm", "init", "--advertise-addr", "127.0.0.1")
    node = docker("info", "--format", "{{.Swarm.NodeID}}").stdout.strip()
    labels = json.loads(docker("node", "inspect", node).stdout)[0]["Spec"]["Labels"]
    if started:
        docker("node", "update", "--label-add", LABEL, node)
    yield
    if started:
        return
    for label in ("bfportal.postgres", "bfportal.caddy"):
        if label not in labels:
            docker("node", "update", "--label-rm", label, node, check=False)


@pytest.fixture(scope="session")
def swarm(swarm_mode, dev_image, tmp_path_factory):
    """`scripts/swarm-up.sh` of release v1, once per session; `swarm-down --volumes` after."""
    directory = tmp_path_factory.mktemp("swarm")
    # Nothing from the caller's .env.swarm: an env file that does not exist.
    settings = {
        "STACK_NAME": STACK,
        "STACK_FILES": "docker-stack.yml tests/swarm/s3.yml",
        "SWARM_ENV_FILE": str(directory / "none"),
        "S3_IMAGE": dev_image,
        "IMAGE_NAME": IMAGE,
        "VERSION": "v1",
        "SITE_ADDRESS": SITE,
        "CADDY_GLOBAL_OPTIONS": "local_certs",
        # Published on the host only because the stack file says so: ports nobody else uses.
        "SWARM_HTTP_PORT": str(30000 + int(RUN[:4], 16) % 1000),
        "SWARM_HTTPS_PORT": str(31000 + int(RUN[:4], 16) % 1000),
        **STORAGE_SETTINGS,
    }
    swarm = Swarm(env={**os.environ, **settings}, ca=directory / "caddy-root.crt")
    try:
        up = swarm.script("swarm-up.sh")
        assert up.returncode == 0, up.stdout + up.stderr[-4000:]
        join(NETWORK)
        s3_client(s3_endpoint()).create_bucket(Bucket=BUCKET)
        copy_caddy_root_certificate(swarm.containers("caddy")[0], swarm.ca, details=swarm.logs)
        yield swarm
    finally:
        leave(NETWORK)
        swarm.script("swarm-down.sh", "--volumes", "--yes-delete-data", timeout=180)
        images = docker("images", "--quiet", "--filter", f"reference={IMAGE}:*").stdout.split()
        if images:
            docker("rmi", "--force", *set(images), check=False)


@pytest.fixture
def stack(swarm) -> Swarm:
    """The session's stack with 3 healthy web tasks (a test may have scaled or killed some)."""
    docker("service", "scale", "--detach", f"{WEB}={REPLICAS}")
    swarm.wait_converged()
    return swarm


@pytest.fixture(scope="session")
def admin_user(swarm) -> tuple[str, str]:
    username, password = "swarm-admin", secrets.token_urlsafe(16)
    swarm.manage(
        "from django.contrib.auth import get_user_model; import os; "
        "get_user_model().objects.create_superuser("
        "'swarm-admin', 'swarm-admin@example.com', os.environ['PASSWORD']); print('ok')",
        env={"PASSWORD": password},
    )
    return username, password


@pytest.fixture
def admin(stack, admin_user) -> AdminClient:
    """An admin logged in through Caddy with the login form."""
    return AdminClient(stack.url, stack.ca).log_in(*admin_user)
