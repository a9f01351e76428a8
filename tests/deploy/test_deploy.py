"""`make deploy` to a server over Docker's SSH transport: the registry's image, pulled, never
built; the first deploy sets up a bare server, the next ones roll forward under load."""

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.containers import CADDY_ROOT_CERTIFICATE, build_target, docker, eventually, inspect
from tests.paths import REPO_ROOT, SCRIPTS
from tests.swarm.load import Load

WEB = "bfportal_web"


@dataclass(frozen=True)
class Site:
    url: str
    ca: Path
    env: dict[str, str]  # what `make deploy` runs with

    def health(self) -> dict:
        return requests.get(f"{self.url}/healthz/", verify=str(self.ca), timeout=10).json()


def make_deploy(env: dict[str, str], **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SCRIPTS / "deploy.sh"], env={**env, **settings}, cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip


def image_version(image: str) -> str:
    return inspect(image)["Config"]["Labels"]["org.opencontainers.image.version"]


# A release whose healthcheck never passes.
BROKEN_HEALTHCHECK = """
FROM {base}
ENV APP_VERSION=broken
HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD ["python", "-c", "raise SystemExit(1)"]
"""
# A release with one more migration, which fails.
FAILING_MIGRATION = """
FROM {base}
ENV APP_VERSION=failing-migration
COPY 9999_fails.py /app/home/migrations/
"""
MIGRATION = """
from django.db import migrations


def fail(apps, schema_editor):
    raise RuntimeError("this migration fails on purpose")


class Migration(migrations.Migration):
    dependencies = [("home", "{latest}")]
    operations = [migrations.RunPython(fail)]
"""


def latest_migration(app: str) -> str:
    return max(path.stem for path in (REPO_ROOT / "bfportal" / app / "migrations").glob("0*.py"))


@pytest.fixture(scope="session")
def client_env(registry, tmp_path_factory) -> dict[str, str]:
    """A client logged in to the registry (its own DOCKER_CONFIG)."""
    env = {**os.environ, "DOCKER_CONFIG": str(tmp_path_factory.mktemp("docker-config"))}
    docker(
        "login", "--username", registry.username, "--password-stdin", registry.address,
        env=env, input=registry.password,
    )  # fmt: skip
    return env


@pytest.fixture(scope="session")
def push(registry, client_env):
    """push(local image, name): the image in the registry as localhost:PORT/name."""

    def push(source: str, name: str) -> str:
        target = f"{registry.address}/{name}"
        docker("tag", source, target)
        docker("push", "--quiet", target, env=client_env, timeout=600)
        docker("rmi", target)
        return target

    return push


@pytest.fixture(scope="session")
def site(server, push, client_env, final_image, tmp_path_factory) -> Site:
    """Release v1 deployed to the bare server, with the stack's PostgreSQL and Caddy from the
    registry too; reached over HTTPS by the server's name."""
    directory = tmp_path_factory.mktemp("site")
    env = {
        **server.env, "DOCKER_CONFIG": client_env["DOCKER_CONFIG"], "HOST": server.host,
        "POSTGRES_IMAGE": push(os.environ["POSTGRES_IMAGE"], "postgres:17"),
        "CADDY_IMAGE": push(os.environ["CADDY_IMAGE"], "caddy:2"),
        "SITE_ADDRESS": server.name, "CADDY_GLOBAL_OPTIONS": "local_certs",
        "SWARM_ENV_FILE": str(directory / "none"),
    }  # fmt: skip
    deploy = make_deploy(env, IMAGE=push(final_image, "bfportal:v1"))
    assert deploy.returncode == 0, deploy.stderr[-4000:]

    caddy = server.docker("ps", "--quiet", "--filter", "name=bfportal_caddy").stdout.split()[0]
    site = Site(f"https://{server.name}", directory / "caddy-root.crt", env)
    eventually(
        lambda: server.docker("cp", f"{caddy}:{CADDY_ROOT_CERTIFICATE}", str(site.ca),
                              check=False).returncode == 0,
        timeout=60, what="Caddy made its CA",
    )  # fmt: skip

    def answers() -> bool:
        try:
            return site.health()["status"] == "ok"
        except requests.RequestException:
            return False

    eventually(answers, timeout=60, what="the site answers over HTTPS")
    return site


@pytest.fixture(scope="session")
def release_v2(push) -> str:
    """The final image again, as version v2: only its VERSION differs."""
    build_target("final", "bfportal-deploy:v2", REPO_ROOT, "--build-arg", "VERSION=v2")
    try:
        return push("bfportal-deploy:v2", "bfportal:v2")
    finally:
        docker("rmi", "bfportal-deploy:v2", check=False)


@pytest.fixture(scope="session")
def derived(push, tmp_path_factory):
    """derived(Dockerfile, name, files): an image built from a Dockerfile text and files, in
    the registry as name."""

    def build(dockerfile: str, name: str, files: dict[str, str]) -> str:
        context = tmp_path_factory.mktemp("context")
        (context / "Dockerfile").write_text(dockerfile)
        for file, text in files.items():
            (context / file).write_text(text)
        tag = f"bfportal-deploy:{name}"
        docker("buildx", "build", "--load", "--tag", tag, str(context), timeout=600)
        try:
            return push(tag, f"bfportal:{name}")
        finally:
            docker("rmi", tag, check=False)

    return build


def test_a_first_deploy_sets_up_a_bare_server_and_serves_the_release_over_https(
    server, site, final_image
):
    assert site.health() == {"status": "ok", "version": image_version(final_image)}
    assert server.docker("info", "--format", "{{.Swarm.LocalNodeState}}").stdout.strip() == (
        "active"
    )


def test_deploying_v2_under_load_fails_no_request_and_ends_with_every_replica_on_v2(
    server, site, release_v2
):
    with Load(site.url, site.ca) as load:
        deploy = make_deploy(site.env, IMAGE=release_v2)
        assert deploy.returncode == 0, deploy.stderr[-4000:]
        ended = time.monotonic()
        # Every request that starts from now on reports v2.
        time.sleep(5)
    failures = load.failures()
    print(f"\nv1 -> v2 under {load.connections} clients: {load.summary(failures)}")
    assert failures == [], load.summary(failures)
    assert set(load.versions(since=ended)) == {"v2"}
    running = server.docker(
        "service", "ps", WEB, "--filter", "desired-state=running", "--format", "{{.Image}}"
    ).stdout.split()  # fmt: skip
    assert running and set(running) == {release_v2}


def test_a_release_that_never_turns_healthy_is_rolled_back_and_only_v2_ever_answers(
    server, site, release_v2, derived, final_image
):
    broken = derived(BROKEN_HEALTHCHECK.format(base=final_image), "broken", {})
    with Load(site.url, site.ca) as load:
        deploy = make_deploy(site.env, IMAGE=broken)
        time.sleep(3)
    failures = load.failures()
    print(f"\nbroken release under {load.connections} clients: {load.summary(failures)}")
    assert deploy.returncode == 1, deploy.stderr[-4000:]
    assert "rollback_completed" in deploy.stderr.strip().splitlines()[-2]
    assert failures == [], load.summary(failures)
    assert set(load.versions()) == {"v2"}
    assert (
        server.docker(
            "service", "inspect", WEB, "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}"
        ).stdout.strip()
        == release_v2
    )


def test_a_release_whose_migration_fails_gets_no_traffic_and_the_deploy_says_why_in_a_line(
    server, site, release_v2, derived, final_image
):
    failing = derived(
        FAILING_MIGRATION.format(base=final_image), "failing-migration",
        {"9999_fails.py": MIGRATION.format(latest=latest_migration("home"))},
    )  # fmt: skip
    with Load(site.url, site.ca) as load:
        deploy = make_deploy(site.env, IMAGE=failing)
        time.sleep(3)
    failures = load.failures()
    said = deploy.stderr.strip().splitlines()[-1]
    print(f"\nfailing migration under {load.connections} clients: {load.summary(failures)}; {said}")
    assert deploy.returncode == 1, deploy.stderr[-4000:]
    assert f"the migrations of {failing} failed" in said
    assert "this migration fails on purpose" in said
    assert failures == [], load.summary(failures)
    assert set(load.versions()) == {"v2"}
    assert site.health()["version"] == "v2"


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ({"HOST": "ssh://deploy@bfportal-no-such-server"}, "no Docker engine answers"),
        ({"IMAGE_TAG": "v404"}, "cannot pull"),
        ({"DOCKER_CONFIG": "/nonexistent"}, "did you docker login"),
    ],
    ids=["wrong-host", "wrong-image", "no-login"],
)
def test_a_wrong_host_image_or_missing_login_gives_one_line_and_changes_nothing(
    server, site, registry, setting, says
):
    before = server.docker("service", "inspect", WEB, "--format", "{{.Version.Index}}").stdout
    settings = dict(setting)
    tag = settings.pop("IMAGE_TAG", "v1")
    deploy = make_deploy(site.env, IMAGE=f"{registry.address}/bfportal:{tag}", **settings)

    assert deploy.returncode == 1
    assert len(deploy.stderr.strip().splitlines()) == 1, deploy.stderr
    assert says in deploy.stderr
    after = server.docker("service", "inspect", WEB, "--format", "{{.Version.Index}}").stdout
    assert after == before


def test_each_deploy_keeps_the_last_keep_releases_images_of_the_release_repository_only(
    server, site, push, registry
):
    others = server.docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    others = {image for image in others if not image.startswith(f"{registry.address}/bfportal:")}
    for version in ("v3", "v4"):
        build_target("final", f"bfportal-deploy:{version}", REPO_ROOT,
                     "--build-arg", f"VERSION={version}")  # fmt: skip
        release = push(f"bfportal-deploy:{version}", f"bfportal:{version}")
        docker("rmi", f"bfportal-deploy:{version}", check=False)
        deploy = make_deploy(site.env, IMAGE=release, KEEP_RELEASES="2")
        assert deploy.returncode == 0, deploy.stderr[-4000:]
    print(f"\n{deploy.stderr.strip().splitlines()[-1]}")

    images = server.docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    releases = {image for image in images if image.startswith(f"{registry.address}/bfportal:")}
    assert releases == {f"{registry.address}/bfportal:v3", f"{registry.address}/bfportal:v4"}
    assert others <= set(images)
    assert site.health()["version"] == "v4"


def test_make_rollback_returns_to_the_previous_release_within_60_s_and_fails_no_request(
    server, site
):
    assert site.health()["version"] == "v4"
    with Load(site.url, site.ca) as load:
        started = time.monotonic()
        rollback = subprocess.run(
            [SCRIPTS / "rollback.sh"], env=site.env, cwd=REPO_ROOT,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        took = time.monotonic() - started
        assert rollback.returncode == 0, rollback.stderr[-4000:]
        ended = time.monotonic()
        time.sleep(5)
    failures = load.failures()
    print(f"\nrollback v4 -> v3 in {took:.0f} s: {load.summary(failures)}")
    assert failures == [], load.summary(failures)
    assert set(load.versions(since=ended)) == {"v3"}
    assert took <= 60
