"""The production stack (docker-compose.prod.yml): Caddy, web, a one-off migrate, the jobs
service, PostgreSQL, the backup service.

One stack per session under the compose project `bfportal-prodtest`, with fresh secrets and
production's defaults: HTTPS only, through Caddy, whose site address is its container's name
on the stack's network (the runner joins it), with a certificate from Caddy's own CA, which
the tests trust. Its volumes are made as `make prod-up` makes them, and deleted at the end by
`scripts/prod-down.sh --volumes --yes-delete-data`. Tests that stop or restart containers may
leave them so: the `stack` fixture brings web and PostgreSQL back first.
"""

import functools
import os
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.containers import (
    HOME_PAGE_ID,
    LABEL,
    RUN,
    AdminClient,
    compose,
    copy_caddy_root_certificate,
    django_shell,
    docker,
    env_args,
    eventually,
    health_status,
    inspect,
    join,
    leave,
    remove_stale_run_folders,
)
from tests.factories import PRODUCTION_ENV
from tests.paths import REPO_ROOT, SCRIPTS

PROJECT = "bfportal-prodtest"
COMPOSE_FILE = REPO_ROOT / "docker-compose.prod.yml"
# The monitoring profile's node exporter, with a filesystem the tests may fill.
MONITORING_FILE = REPO_ROOT / "tests" / "stack" / "monitoring.yml"
NETWORK = f"{PROJECT}_default"
WEB = f"{PROJECT}-web-1"
CADDY = f"{PROJECT}-caddy-1"
# Fixed rather than 2 x CPUs + 1, so that tests can reason about how many requests
# the server takes at once.
WORKERS = 4
THREADS = 4
# The secrets' files, which the engine bind-mounts: inside the checkout, at the same path as
# the runner sees it.
SECRETS = REPO_ROOT / ".cache" / "prod-secrets"
# Prometheus's configuration for the suite, bind-mounted too: deploy/prometheus's, scraped and
# evaluated every second, each alert firing as soon as its condition holds.
PROMETHEUS_CONFIG = REPO_ROOT / ".cache" / "prometheus"


def quick_prometheus_config(folder: Path) -> None:
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    source = REPO_ROOT / "deploy" / "prometheus"
    config = (source / "prometheus.yml").read_text()
    (folder / "prometheus.yml").write_text(re.sub(r"(interval:) 15s", r"\1 1s", config))
    rules = (source / "alerts.yml").read_text()
    (folder / "alerts.yml").write_text(re.sub(r"^(\s+for:) \S+$", r"\1 0s", rules, flags=re.M))
    for file in folder.iterdir():
        file.chmod(0o644)


def scrape() -> dict[str, float]:
    """Each sample's value by its name and labels, as web's metrics port answers."""
    response = requests.get(f"http://{WEB}:9100/metrics", timeout=10)
    assert response.status_code == 200
    return {
        f"{sample.name}{dict(sorted(sample.labels.items()))}": sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def settings_names() -> set[str]:
    """Every variable .env.example documents: none may leak in from the caller's shell."""
    text = (REPO_ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


@dataclass
class Stack:
    env: dict[str, str]
    env_file: Path
    # Caddy's root certificate, once the stack is up: what HTTPS clients verify against.
    ca: Path
    url: str = f"https://{CADDY}"
    workers: int = WORKERS
    threads: int = THREADS

    def compose(self, *args: str, timeout: float = 300, check: bool = True):
        return compose(
            PROJECT, COMPOSE_FILE, "--file", str(MONITORING_FILE),
            "--env-file", str(self.env_file), *args,
            env=self.env, timeout=timeout, check=check, details=self.logs,
        )  # fmt: skip

    def container(self, service: str) -> str:
        ids = self.compose("ps", "--all", "--quiet", service).stdout.split()
        assert len(ids) == 1, f"{service}: expected one container, found {ids}"
        return ids[0]

    def state(self, service: str) -> dict:
        return inspect(self.container(service))["State"]

    def health(self, service: str) -> str:
        return health_status(self.state(service))

    def wait_for_health(self, service: str, status: str, timeout: float) -> None:
        eventually(lambda: self.health(service) == status, timeout, f"{service} is {status}")

    def wait_for_status(self, path: str, status: int, timeout: float) -> None:
        """Poll `path` until it answers `status` (a refused connection counts as not yet)."""

        def answers() -> bool:
            try:
                return self.get(path, timeout=5).status_code == status
            except requests.ConnectionError:
                return False

        eventually(answers, timeout, f"{path} answers {status}")

    def get(self, path: str, **kwargs) -> requests.Response:
        timeout = kwargs.pop("timeout", 10)
        verify = kwargs.pop("verify", str(self.ca))
        return requests.get(self.url + path, timeout=timeout, verify=verify, **kwargs)

    def trust_caddy(self) -> None:
        """Copy Caddy's root certificate out once it has made one, and wait for HTTPS."""
        copy_caddy_root_certificate(CADDY, self.ca, details=self.logs)
        self.wait_for_status("/healthz/", 200, timeout=60)

    def exec_web(self, *command: str, env: dict[str, str] | None = None) -> str:
        return docker("exec", *env_args(env or {}), self.container("web"), *command).stdout

    def logs(self, tail: int = 40) -> str:
        result = self.compose("logs", "--no-color", "--tail", str(tail), check=False, timeout=60)
        return result.stdout + result.stderr

    def ensure_running(self) -> None:
        """Start web and PostgreSQL if a test left them stopped; wait until both are healthy."""
        for service in ("postgres", "web"):
            if not self.state(service)["Running"]:
                docker("start", self.container(service))
        for service in ("postgres", "web"):
            self.wait_for_health(service, "healthy", timeout=120)


@pytest.fixture(scope="session")
def prod_stack(final_image, backup_image, tmp_path_factory):
    """`docker compose up --wait` of the whole stack, once per session."""
    settings = {
        **PRODUCTION_ENV,
        "POSTGRES_PASSWORD": secrets.token_hex(24),
        "POSTGRES_APP_PASSWORD": secrets.token_hex(24),
        "BACKUP_PASSWORD": secrets.token_hex(32),
        "CACHE_PASSWORD": secrets.token_hex(24),
        "BACKUP_IMAGE": backup_image,
        # The images the runner resolved: official ones, or stand-ins.
        "POSTGRES_IMAGE": os.environ["POSTGRES_IMAGE"],
        "CADDY_IMAGE": os.environ["CADDY_IMAGE"],
        "VALKEY_IMAGE": os.environ["VALKEY_IMAGE"],
        "PROMETHEUS_IMAGE": os.environ["PROMETHEUS_IMAGE"],
        "NODE_EXPORTER_IMAGE": os.environ["NODE_EXPORTER_IMAGE"],
        "COMPOSE_PROFILES": "monitoring",
        "PROMETHEUS_CONFIG": str(PROMETHEUS_CONFIG / RUN),
        # The name the runner reaches Caddy by; Caddy's own CA signs it. ALLOWED_HOSTS follows
        # SITE_ADDRESS, as it does by default.
        "SITE_ADDRESS": CADDY,
        "CADDY_GLOBAL_OPTIONS": "local_certs",
        "ALLOWED_HOSTS": CADDY,
        # Published on ports the engine picks: the tests never use them, and no fixed port
        # can clash with one in use on the host.
        "PROD_BIND": "127.0.0.1",
        "PROD_HTTP_PORT": "0",
        "PROD_HTTPS_PORT": "0",
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_THREADS": str(THREADS),
        "PROD_SECRETS_DIR": str(SECRETS / RUN),
    }
    # The same settings in an env file (as .env.prod would hold them) and in the process
    # environment, which compose prefers: nothing from the caller's shell or .env applies.
    directory = tmp_path_factory.mktemp("prod-stack")
    env_file = directory / "env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in settings.items()))
    env_file.chmod(0o600)
    clean = {k: v for k, v in os.environ.items() if k not in settings_names()}
    stack = Stack(env={**clean, **settings}, env_file=env_file, ca=directory / "caddy-root.crt")

    project = {**stack.env, "COMPOSE_PROJECT_NAME": PROJECT}
    run = functools.partial(
        subprocess.run, env=project, capture_output=True, text=True, timeout=120, check=False
    )
    # A run that was killed may have left the project behind, with its volumes.
    run([SCRIPTS / "prod-down.sh", "--volumes", "--yes-delete-data"])
    remove_stale_run_folders(SECRETS)
    remove_stale_run_folders(PROMETHEUS_CONFIG)
    quick_prometheus_config(PROMETHEUS_CONFIG / RUN)
    try:
        written = run([SCRIPTS / "prod-secrets.sh", env_file])
        assert written.returncode == 0, written.stderr
        made = run([SCRIPTS / "prod-volumes.sh", "create", "--label", LABEL])
        assert made.returncode == 0, made.stderr
        stack.compose("up", "--detach", "--wait", "--wait-timeout", "300", timeout=420)
        join(NETWORK)
        stack.trust_caddy()
        yield stack
    finally:
        leave(NETWORK)
        down = run([SCRIPTS / "prod-down.sh", "--volumes", "--yes-delete-data"])
        shutil.rmtree(SECRETS / RUN, ignore_errors=True)
        shutil.rmtree(PROMETHEUS_CONFIG / RUN, ignore_errors=True)
        assert down.returncode == 0, down.stderr


@pytest.fixture
def stack(prod_stack) -> Stack:
    """The session's stack with web and PostgreSQL running and healthy."""
    prod_stack.ensure_running()
    return prod_stack


@pytest.fixture
def failed_logins_forgotten(stack):
    """The test's failed logins lock out the runner's address; later tests log in from it."""
    yield
    stack.exec_web("python", "manage.py", "axes_reset")


def create_superuser(stack: Stack, username: str) -> tuple[str, str]:
    """A superuser in the stack's database with a random password."""
    password = secrets.token_urlsafe(16)
    stack.exec_web(
        "python", "manage.py", "createsuperuser", "--noinput",
        "--username", username, "--email", f"{username}@example.com",
        env={"DJANGO_SUPERUSER_PASSWORD": password},
    )  # fmt: skip
    return username, password


@pytest.fixture(scope="session")
def admin_user(prod_stack) -> tuple[str, str]:
    """A superuser created once per session."""
    return create_superuser(prod_stack, "stack-admin")


@pytest.fixture
def admin(stack, admin_user) -> AdminClient:
    """An admin logged in through the login form, as a person would."""
    return AdminClient(stack.url, stack.ca).log_in(*admin_user)


@pytest.fixture(scope="session")
def home_page_id(prod_stack) -> int:
    """The site's root page, which the data migration created."""
    return int(django_shell(prod_stack.container("web"), HOME_PAGE_ID))
