"""The dev container (.devcontainer/), brought up by the real Dev Containers CLI as VS Code's
"Reopen in Container" does: the dev stack's web service with the checkout in it, the Tailwind
watcher beside it, and the app suite passing inside.

It runs as compose project bfportal-devcontainer-<run>, with volumes of its own: never the
developer's own (bfportal) nor the browser suite's (bfportal-e2e). Like `make dev`, it reads
the checkout's .env, and the watcher writes the (ignored) CSS into the checkout. The CLI labels
the web container with this run's label (--id-label), labels.yml the rest of what compose makes.
"""

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.containers import (
    LABEL,
    RUN,
    Container,
    compose,
    eventually,
    inspect,
    join,
    leave,
    remove_stale_run_folders,
)
from tests.paths import REPO_ROOT

PROJECT = f"bfportal-devcontainer-{RUN}"
LABELS = Path(__file__).with_name("labels.yml")
# The labels the CLI puts on the web container and finds it by: the run's alone would match the
# watcher's container too, which labels.yml labels.
ID_LABELS = ("--id-label", LABEL, "--id-label", "bfportal.devcontainer=web")
# One folder per run, for the configuration the CLI is given.
RUN_FOLDERS = REPO_ROOT / ".cache" / "devcontainer"
# What the CLI passes on to compose: this run's project; the containers run as the runner (you),
# as `make dev` runs them; web is published on a port the engine picks, so none of the host's
# can clash.
CLI_ENV = {
    **os.environ,
    "COMPOSE_PROJECT_NAME": PROJECT,
    "DEV_UID": str(os.getuid()),
    "DEV_GID": str(os.getgid()),
    "DEV_PORT": "0",
}


@dataclass
class DevContainer:
    workspace: Path
    # The committed devcontainer.json with labels.yml added to its compose files.
    override: Path

    def write_override(self) -> None:
        """devcontainer.json as the CLI reads it (comments and all), plus labels.yml; the
        compose files it names stay relative to .devcontainer/, where the CLI resolves them."""
        read = subprocess.run(
            ["devcontainer", "read-configuration", "--workspace-folder", str(self.workspace)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert read.returncode == 0, f"devcontainer read-configuration failed:\n{read.stderr}"
        config = json.loads(read.stdout)["configuration"]
        config.pop("configFilePath", None)
        config["dockerComposeFile"] = [*config["dockerComposeFile"], str(LABELS)]
        self.override.parent.mkdir(parents=True, exist_ok=True)
        self.override.write_text(json.dumps(config, indent=2))

    def cli(self, command: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["devcontainer", command, "--workspace-folder", str(self.workspace),
             "--override-config", str(self.override), *ID_LABELS, *args],
            env=CLI_ENV, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip

    def compose(self, *args: str, check: bool = True):
        files = ("--file", str(self.workspace / ".devcontainer" / "docker-compose.yml"))
        return compose(PROJECT, self.workspace / "docker-compose.yml", *files, *args, check=check)

    def service(self, name: str) -> Container:
        """The service's container, reached by its name on port 8000 (once joined)."""
        container_id = self.compose("ps", "--quiet", name).stdout.strip()
        assert container_id, f"no {name} container:\n{self.logs()}"
        return Container(id=container_id, url=f"http://{inspect(container_id)['Name'][1:]}:8000")

    def logs(self) -> str:
        result = self.compose("logs", "--no-color", "--tail", "40", check=False)
        return result.stdout + result.stderr


@pytest.fixture(scope="module")
def dev_container(dev_image):
    """`devcontainer up` on the checkout; its containers and volumes are removed afterwards,
    whatever happened."""
    remove_stale_run_folders(RUN_FOLDERS)
    container = DevContainer(REPO_ROOT, RUN_FOLDERS / RUN / "devcontainer.json")
    try:
        container.write_override()
        started = time.monotonic()
        up = container.cli("up", timeout=1800)
        assert up.returncode == 0, f"devcontainer up failed:\n{up.stderr[-6000:]}\n{up.stdout}"
        print(f"\ndevcontainer up in {time.monotonic() - started:.1f}s")
        yield container
    finally:
        container.compose("down", "--volumes", "--timeout", "5", check=False)
        shutil.rmtree(container.override.parent, ignore_errors=True)


def test_dev_container_comes_up_with_the_watcher_and_runs_the_app_suite_inside(dev_container):
    web = dev_container.service("web")
    # Compose's healthcheck asks runserver on port 8000, inside the container.
    web.wait_healthy(180)
    network = f"{PROJECT}_default"
    join(network)
    try:
        # The dev settings' default ALLOWED_HOSTS has localhost: the name forwardPorts gives it.
        home = web.get("/", headers={"Host": "localhost"})
    finally:
        leave(network)
    assert home.status_code == 200

    tailwind = dev_container.service("tailwind")
    eventually(
        lambda: "Done in" in tailwind.logs(),
        timeout=90,
        what="the Tailwind watcher built the CSS",
        details=dev_container.logs,
    )

    # Commands run as you, as in `make dev`.
    user = dev_container.cli("exec", "id", "-u")
    assert user.stdout.strip() == str(os.getuid()), user.stderr
    started = time.monotonic()
    suite = dev_container.cli("exec", "pytest", "tests/app", "-q")
    print(f"\ndevcontainer exec pytest tests/app: {time.monotonic() - started:.1f}s")
    assert suite.returncode == 0, f"{suite.stdout[-6000:]}\n{suite.stderr[-2000:]}"
    assert " passed" in suite.stdout
    assert inspect(tailwind.id)["State"]["Running"], "the watcher stopped"
