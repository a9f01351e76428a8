"""A replica killed under load: swarm replaces it within 15 s, and only requests that were
in flight when it died may fail."""

import time

from tests.containers import docker, eventually
from tests.swarm.conftest import REPLICAS
from tests.swarm.load import Load

REPLACED_WITHIN = 15


def test_a_killed_replica_is_replaced_within_15_s_and_only_its_requests_in_flight_fail(stack):
    before = {task["ID"] for task in stack.running_tasks()}

    with Load(stack.url, stack.ca) as load:
        time.sleep(5)
        victim = stack.containers()[0]
        # The replica dies at some moment while `docker kill` runs.
        killed_at = time.monotonic()
        docker("kill", victim)
        kill_returned = time.monotonic()
        eventually(
            lambda: len({t["ID"] for t in stack.running_tasks()} - before) == 1
            and stack.converged(REPLICAS),
            timeout=30, what="swarm replaced the killed task", interval=0.2,
        )  # fmt: skip
        replaced_in = time.monotonic() - killed_at
        time.sleep(5)
    failures = load.failures()
    in_flight = [r for r in load.snapshot() if r.start <= kill_returned and r.end > killed_at]

    print(
        f"\nkilled replica: replaced in {replaced_in:.1f} s; {load.summary(failures)}; "
        f"{len(in_flight)} requests were in flight at the kill"
    )
    assert replaced_in <= REPLACED_WITHIN
    # A failure is a request that was in flight at the kill (on any replica: the count of
    # those on the killed one is at most this); nothing that started after it fails.
    assert all(r.start <= kill_returned for r in failures), load.summary(failures)
    assert len(failures) <= len(in_flight)
