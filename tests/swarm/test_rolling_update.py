"""Releases under load: a good one rolls forward with no request dropped; a broken one
(whose healthcheck never passes) is rolled back by swarm itself, and nobody notices."""

import subprocess
import time
from datetime import datetime

import pytest

from tests.containers import docker
from tests.swarm.conftest import IMAGE, WEB
from tests.swarm.load import Load

BROKEN_DOCKERFILE = """
FROM {base}
ENV APP_VERSION=broken
HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD ["python", "-c", "raise SystemExit(1)"]
"""


def moment(timestamp: str) -> datetime:
    """Swarm's RFC 3339 timestamps, to the microsecond (they carry nanoseconds)."""
    seconds, _, fraction = timestamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{seconds}.{(fraction or '0')[:6]:0<6}+00:00")


@pytest.fixture(scope="module")
def broken_release(release_v2) -> str:
    """v2 with a healthcheck that never passes."""
    tag = f"{IMAGE}:broken"
    subprocess.run(
        ["docker", "buildx", "build", "--load", "--tag", tag, "-"],
        input=BROKEN_DOCKERFILE.format(base=release_v2), text=True,
        capture_output=True, timeout=300, check=True,
    )  # fmt: skip
    return tag


def test_a_rolling_update_under_load_migrates_first_drops_no_request_and_ends_all_on_it(
    stack, release_v2
):
    assert set(stack.replica_versions()) == {"v1"}

    with Load(stack.url, stack.ca) as load:
        time.sleep(3)
        started = time.monotonic()
        result = stack.deploy(release_v2)
        converged = time.monotonic() - started
        time.sleep(3)
    failures = load.failures()

    print(
        f"\nrolling update v1 -> v2 of {len(stack.task_addresses())} replicas under "
        f"{load.connections} clients: converged in {converged:.0f} s; "
        f"{load.summary(failures)}; versions answered {dict(load.versions())}"
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert failures == [], load.summary(failures)
    assert stack.web_image() == release_v2
    assert stack.replica_versions() == ["v2"] * 3
    # The migrate job ran once on v2, and had completed before web's first v2 task was created.
    migrated = [
        moment(task["Status"]["Timestamp"]) for task in stack.tasks("migrate")
        if task["Spec"]["ContainerSpec"]["Image"] == release_v2
        and task["Status"]["State"] == "complete"
    ]  # fmt: skip
    web_v2 = [
        moment(task["CreatedAt"]) for task in stack.tasks("web")
        if task["Spec"]["ContainerSpec"]["Image"] == release_v2
    ]  # fmt: skip
    assert len(migrated) == 1, "the migrate job ran on v2 more than once"
    assert web_v2
    assert migrated[0] < min(web_v2)
    # Both answered during the update; only v2 once it was over.
    assert set(load.versions()) == {"v1", "v2"}
    assert set(load.versions(since=started + converged)) == {"v2"}


def test_a_broken_release_is_rolled_back_by_swarm_and_no_request_fails(
    stack, release_v2, broken_release
):
    if stack.web_image() != release_v2:
        assert stack.deploy(release_v2).returncode == 0

    with Load(stack.url, stack.ca) as load:
        started = time.monotonic()
        result = stack.deploy(broken_release)
        took = time.monotonic() - started
        time.sleep(3)
    failures = load.failures()

    state = stack.service()["UpdateStatus"]["State"]
    print(
        f"\nbroken release: update ended {state} after {took:.0f} s; {load.summary(failures)}; "
        f"versions answered {dict(load.versions())}"
    )
    assert result.returncode == 1
    assert "rollback_completed" in result.stderr, result.stderr[-4000:]
    assert state == "rollback_completed"
    assert stack.web_image() == release_v2
    assert failures == [], load.summary(failures)
    assert set(load.versions()) == {"v2"}
    stack.wait_converged()
    assert stack.replica_versions() == ["v2"] * 3
    # Swarm's own record: the broken image's task failed, as the healthcheck says.
    tasks = docker("service", "ps", WEB, "--format", "{{.Image}} {{.Error}}").stdout
    assert f"{broken_release} " in tasks
