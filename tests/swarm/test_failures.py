"""A replica killed under load: swarm starts its replacement's container within seconds of the
kill, and only requests that were in flight when it died may fail.

What comes after that start (gunicorn boots, the first probe passes) is any new task's start,
and takes as long as what else the machine runs lets it: from 11 s alone to 23 s beside the
other suites. What swarm adds before it depends far less on that, so that is what is timed."""

import time
from datetime import UTC, datetime

from tests.containers import docker, eventually, inspect, moment
from tests.swarm.conftest import REPLICAS
from tests.swarm.load import Load

# From the kill to the replacement's container starting: swarm noticing the death, the
# restart_policy's delay (1 s) and the container's creation. Measured: 2.2 s, and 3.8 s
# beside three busy loops.
STARTED_WITHIN = 6
# However busy the machine, the replacement must be serving within this long.
REPLACED_WITHIN = 60


def test_a_killed_replica_is_replaced_by_a_container_started_within_6_s_and_only_its_requests_fail(
    stack,
):
    before = {task["ID"] for task in stack.running_tasks()}
    # By their full IDs (`docker service ps` shows them cut short).
    wanted = {task["ID"] for task in stack.tasks("web") if task["DesiredState"] == "running"}

    with Load(stack.url, stack.ca) as load:
        time.sleep(5)
        victim = stack.containers()[0]
        # The replica dies at some moment while `docker kill` runs.
        killed = datetime.now(UTC)
        killed_at = time.monotonic()
        docker("kill", victim)
        kill_returned = time.monotonic()
        eventually(
            lambda: len({t["ID"] for t in stack.running_tasks()} - before) == 1
            and stack.converged(REPLICAS),
            timeout=REPLACED_WITHIN, what="swarm replaced the killed task", interval=0.2,
        )  # fmt: skip
        replaced_in = time.monotonic() - killed_at
        time.sleep(5)
        failures = load.failures()
    in_flight = [r for r in load.snapshot() if r.start <= kill_returned and r.end > killed_at]
    (replacement,) = [
        task for task in stack.tasks("web")
        if task["ID"] not in wanted and task["DesiredState"] == "running"
    ]  # fmt: skip
    container = inspect(replacement["Status"]["ContainerStatus"]["ContainerID"])
    started_in = (moment(container["State"]["StartedAt"]) - killed).total_seconds()

    print(
        f"\nkilled replica: its replacement's container started {started_in:.1f} s after the "
        f"kill and served {replaced_in:.1f} s after it; {load.summary(failures)}; "
        f"{len(in_flight)} requests were in flight at the kill"
    )
    assert started_in <= STARTED_WITHIN
    # A failure is a request that was in flight at the kill (on any replica: the count of
    # those on the killed one is at most this); nothing that started after it fails.
    assert all(r.start <= kill_returned for r in failures), load.summary(failures)
    assert len(failures) <= len(in_flight)
    assert load.kept_up(), load.summary(failures)
