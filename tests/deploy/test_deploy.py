"""`make deploy` to a server over Docker's SSH transport: the registry's image, pulled, never
built; the first deploy sets up a bare server, the next ones roll forward under load."""

import functools
import json
import os
import re
import subprocess
import time
from dataclasses import dataclass

import pytest

from tests.containers import docker, moment
from tests.paths import REPO_ROOT, SCRIPTS
from tests.servers import make_deploy
from tests.swarm.load import Load

WEB = "bfportal_web"

DATA_ROOT = "/var/lib/docker"
RELEASE_LAYER_MB = 50
RELEASE = """
FROM {base}
ENV APP_VERSION={version}
LABEL org.opencontainers.image.version={version}
COPY release.bin /srv/release.bin
"""
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


def refused_in_a_line(result: subprocess.CompletedProcess, says: str) -> None:
    """The command exited 1, with one line of error output that says `says`."""
    assert result.returncode == 1, result.stderr[-4000:]
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert says in result.stderr


def make_rollback(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SCRIPTS / "rollback.sh"], env=env, cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def latest_migration(app: str) -> str:
    return max(path.stem for path in (REPO_ROOT / "bfportal" / app / "migrations").glob("0*.py"))


@pytest.fixture(scope="session")
def bare_disk(server) -> "Disk":
    return Disk.of(server)


@pytest.fixture(scope="session")
def site(bare_disk, site):
    """The site (tests/servers.py), deployed once the bare server's disk is measured."""
    return site


@pytest.fixture(scope="session")
def derived(push, tmp_path_factory):
    """derived(Dockerfile, name, files): an image built from a Dockerfile text and files, in
    the registry as bfportal:name."""

    def build(dockerfile: str, name: str, files: dict[str, bytes]) -> str:
        context = tmp_path_factory.mktemp("context")
        (context / "Dockerfile").write_text(dockerfile)
        for file, content in files.items():
            (context / file).write_bytes(content)
        tag = f"bfportal-deploy:{name}"
        docker("buildx", "build", "--load", "--tag", tag, str(context), timeout=600)
        try:
            return push(tag, f"bfportal:{name}")
        finally:
            docker("rmi", tag, check=False)

    return build


@pytest.fixture(scope="session")
def release(derived, final_image):
    """release(version): final as that version, with a layer of its own of RELEASE_LAYER_MB
    (as a change of the code or of the dependencies brings), in the registry."""

    @functools.cache
    def build(version: str) -> str:
        return derived(
            RELEASE.format(base=final_image, version=version), version,
            {"release.bin": os.urandom(RELEASE_LAYER_MB * 1000**2)},
        )  # fmt: skip

    return build


@pytest.fixture(scope="session")
def release_v2(release) -> str:
    return release("v2")


@dataclass(frozen=True)
class Disk:
    free: int  # bytes free in the server's Docker data root
    used: int  # bytes that the data root holds: images, containers, volumes

    @classmethod
    def of(cls, server) -> "Disk":
        free = subprocess.run(
            ["ssh", f"deploy@{server.name}", "df", "-Pk", DATA_ROOT],
            env=server.env, capture_output=True, text=True, timeout=60, check=True,
        ).stdout.splitlines()[-1].split()[3]  # fmt: skip
        used = docker("exec", server.name, "du", "-skx", DATA_ROOT).stdout.split()[0]
        return cls(int(free) * 1024, int(used) * 1024)

    def __str__(self) -> str:
        return f"{self.used / 1e6:.0f} MB used, {self.free / 1e9:.1f} GB free"


def release_images(server, registry) -> dict[str, str]:
    """The server's images of the release repository: image ID -> version."""
    lines = server.docker(
        "image", "ls", "--no-trunc", f"{registry.address}/bfportal", "--format", "{{.ID}}"
    ).stdout.split()  # fmt: skip
    return {
        image: server.docker(
            "image", "inspect", image,
            "--format", '{{index .Config.Labels "org.opencontainers.image.version"}}',
        ).stdout.strip()
        for image in set(lines)
    }  # fmt: skip


def other_images(server, registry) -> set[str]:
    """The server's images outside the release repository, by name."""
    names = server.docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    return {name for name in names if not name.startswith(f"{registry.address}/bfportal:")}


def tasks(server, service: str) -> list[dict]:
    """Every task of the stack's `service`, as `docker inspect` shows them."""
    ids = server.docker("service", "ps", "--quiet", f"bfportal_{service}").stdout.split()
    return json.loads(server.docker("inspect", *ids).stdout)


def web_spec(server) -> str:
    return server.docker("service", "inspect", WEB, "--format", "{{.Version.Index}}").stdout


def release_of(server, service: str) -> str:
    """The image the stack's `service` is to run."""
    return server.docker(
        "service", "inspect", f"bfportal_{service}",
        "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
    ).stdout.strip()  # fmt: skip


def test_a_first_deploy_by_digest_sets_up_a_bare_server_and_serves_the_release_over_https(
    server, site, registry
):
    assert site.health() == {"status": "ok", "version": "v1"}
    assert server.docker("info", "--format", "{{.Swarm.LocalNodeState}}").stdout.strip() == (
        "active"
    )
    assert release_of(server, "web") == release_of(server, "jobs") == site.v1
    assert list(release_images(server, registry).values()) == ["v1"]
    assert other_images(server, registry) == {
        f"{registry.address}/postgres:17",
        f"{registry.address}/caddy:2",
        f"{registry.address}/valkey:8",
        f"{registry.address}/bfportal-backup:<none>",  # pulled by its digest
    }


def test_the_server_holds_no_build_cache_because_it_never_builds(server, site):
    usage = server.docker("system", "df", "--format", "{{.Type}} {{.TotalCount}}").stdout
    assert "Build Cache 0" in usage.splitlines(), usage


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
    assert load.kept_up(), load.summary(failures)
    assert set(load.versions(since=ended)) == {"v2"}
    running = server.docker(
        "service", "ps", WEB, "--filter", "desired-state=running", "--format", "{{.Image}}"
    ).stdout.split()  # fmt: skip
    assert running and set(running) == {release_v2}
    assert release_of(server, "jobs") == release_v2
    # The migrate job ran once on v2, and had completed before web's first v2 task was created.
    migrated = [
        moment(task["Status"]["Timestamp"]) for task in tasks(server, "migrate")
        if task["Spec"]["ContainerSpec"]["Image"] == release_v2
        and task["Status"]["State"] == "complete"
    ]  # fmt: skip
    web_v2 = [
        moment(task["CreatedAt"]) for task in tasks(server, "web")
        if task["Spec"]["ContainerSpec"]["Image"] == release_v2
    ]  # fmt: skip
    assert len(migrated) == 1, "the migrate job ran on v2 more than once"
    assert web_v2 and migrated[0] < min(web_v2)


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
    assert load.kept_up(), load.summary(failures)
    assert set(load.versions()) == {"v2"}
    assert release_of(server, "web") == release_of(server, "jobs") == release_v2
    assert server.docker("image", "inspect", broken, check=False).returncode != 0


def test_make_rollback_after_swarm_rolled_a_release_back_says_in_a_line_there_is_none(server, site):
    before = web_spec(server)
    rollback = make_rollback(site.env)

    refused_in_a_line(rollback, "web has no release to go back to")
    assert web_spec(server) == before
    assert site.health()["version"] == "v2"


def test_a_release_whose_migration_fails_gets_no_traffic_and_the_deploy_says_why_in_a_line(
    server, site, release_v2, derived, final_image
):
    failing = derived(
        FAILING_MIGRATION.format(base=final_image), "failing-migration",
        {"9999_fails.py": MIGRATION.format(latest=latest_migration("home")).encode()},
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
    assert re.search(r"the database before them: make restore BACKUP=[0-9a-f]{8}$", said), said
    assert failures == [], load.summary(failures)
    assert load.kept_up(), load.summary(failures)
    assert set(load.versions()) == {"v2"}
    assert site.health()["version"] == "v2"
    assert server.docker("image", "inspect", failing, check=False).returncode != 0


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ({"HOST": "ssh://deploy@bfportal-no-such-server"}, "no Docker engine answers"),
        ({"IMAGE_TAG": "v404"}, "cannot pull"),
        ({"DOCKER_CONFIG": "/nonexistent"}, "did you docker login"),
        ({"MIN_FREE_DISK": "lots"}, "give a size such as 2GB"),
        ({"KEEP_RELEASES": "0"}, "give a whole number, 1 or more"),
    ],
    ids=["wrong-host", "wrong-image", "no-login", "bad-min-free-disk", "bad-keep-releases"],
)
def test_a_wrong_host_image_login_or_setting_gives_one_line_and_changes_nothing(
    server, site, registry, setting, says
):
    before = web_spec(server), release_images(server, registry)
    settings = dict(setting)
    tag = settings.pop("IMAGE_TAG", "v1")
    deploy = make_deploy(site.env, IMAGE=f"{registry.address}/bfportal:{tag}", **settings)

    refused_in_a_line(deploy, says)
    assert (web_spec(server), release_images(server, registry)) == before


def test_a_server_short_of_the_images_size_plus_min_free_disk_refuses_with_both_and_pulls_nothing(
    server, site, release, registry
):
    v7 = release("v7")
    before = web_spec(server), release_images(server, registry)
    free = Disk.of(server).free
    # Free space for MIN_FREE_DISK, none for the image.
    deploy = make_deploy(site.env, IMAGE=v7, MIN_FREE_DISK=str(free))

    said = deploy.stderr.strip()
    print(f"\n{said}")
    refused_in_a_line(deploy, "nothing was pulled")
    figures = re.search(
        rf"has ([0-9.]+) GB free in {DATA_ROOT}; {v7} needs ([0-9.]+) MB"
        rf" and MIN_FREE_DISK=([0-9.]+) GB more: nothing was pulled",
        said,
    )  # fmt: skip
    assert figures, said
    assert abs(float(figures[1]) - free / 1e9) < 1
    assert float(figures[2]) > RELEASE_LAYER_MB
    assert server.docker("image", "inspect", v7, check=False).returncode != 0
    assert (web_spec(server), release_images(server, registry)) == before


def test_a_deploy_that_cannot_read_random_bytes_for_the_secrets_says_so_in_a_line_and_keeps_nothing(
    server, site, release, registry, tmp_path
):
    v7 = release("v7")
    before = web_spec(server), release_images(server, registry)
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "od").write_text("#!/bin/sh\nexit 1\n")
    (fake_bin / "od").chmod(0o755)

    deploy = make_deploy(site.env, IMAGE=v7, PATH=f"{fake_bin}:{site.env['PATH']}")

    refused_in_a_line(deploy, "could not read random bytes for the secrets; nothing changed")
    assert server.docker("image", "inspect", v7, check=False).returncode != 0
    assert (web_spec(server), release_images(server, registry)) == before


def test_six_deploys_keep_the_last_keep_releases_images_and_the_disk_in_use_stays_bounded(
    server, site, release, registry, bare_disk
):
    # v1, v2, the broken release and the failing migration were the first four deploys.
    others = other_images(server, registry)
    disks = {}
    for version in ("v3", "v4"):
        deploy = make_deploy(site.env, IMAGE=release(version), KEEP_RELEASES="2")
        assert deploy.returncode == 0, deploy.stderr[-4000:]
        disks[version] = Disk.of(server)
    print(f"\n{deploy.stderr.strip().splitlines()[-2]}")
    print(f"bare server: {bare_disk}; after v3: {disks['v3']}; after v4: {disks['v4']}")

    assert sorted(release_images(server, registry).values()) == ["v3", "v4"]
    assert other_images(server, registry) == others
    assert site.health()["version"] == "v4"
    # v3's deploy removed v1, which has no layer of its own; v4's removed v2's layer and
    # brought its own. Kept, v2 would add a whole layer.
    assert disks["v4"].used - disks["v3"].used < RELEASE_LAYER_MB * 1000**2 / 2


def test_make_rollback_returns_to_the_last_release_within_60_s_fails_no_request_then_refuses(
    server, site
):
    assert site.health()["version"] == "v4"
    with Load(site.url, site.ca) as load:
        started = time.monotonic()
        rollback = make_rollback(site.env)
        took = time.monotonic() - started
        assert rollback.returncode == 0, rollback.stderr[-4000:]
        ended = time.monotonic()
        time.sleep(5)
    failures = load.failures()
    print(f"\nrollback v4 -> v3 in {took:.0f} s: {load.summary(failures)}")
    assert failures == [], load.summary(failures)
    assert load.kept_up(), load.summary(failures)
    assert set(load.versions(since=ended)) == {"v3"}
    assert took <= 60
    assert release_of(server, "jobs") == release_of(server, "web")
    # A second rollback would return to v4.
    before = web_spec(server)
    again = make_rollback(site.env)
    refused_in_a_line(again, "web was rolled back already")
    assert web_spec(server) == before
