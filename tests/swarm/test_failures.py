"""A replica killed under load: swarm replaces it about as fast as it starts a new one, and
only requests that were in flight when it died may fail.

How long a start takes depends on what else the machine runs, so the replacement is timed
against a new task that the same service starts under the same load right after."""

import time

from tests.containers import docker, eventually
from tests.swarm.conftest import REPLICAS, WEB
from tests.swarm.load import Load

# What a replacement may add to a start: swarm noticing the death and scheduling a new task.
# (The restart_policy's delay barely shows here: with 5 s instead of 1 s, 15.2 s against 13.3.)
RESTART_OVERHEAD = 4
# However busy the machine, the replacement must not take longer than this.
REPLACED_WITHIN = 40
# The start it is measured against is waited for longer: beside the other suites' migrations
# and browsers it took over 40 s once.
STARTED_WITHIN = 120


def new_tasks(stack, before: set[str]) -> int:
    return len({task["ID"] for task in stack.running_tasks()} - before)


def test_a_killed_replica_is_replaced_as_fast_as_a_new_one_starts_and_only_its_requests_fail(stack):
    before = {task["ID"] for task in stack.running_tasks()}

    with Load(stack.url, stack.ca) as load:
        time.sleep(5)
        victim = stack.containers()[0]
        # The replica dies at some moment while `docker kill` runs.
        killed_at = time.monotonic()
        docker("kill", victim)
        kill_returned = time.monotonic()
        eventually(
            lambda: new_tasks(stack, before) == 1 and stack.converged(REPLICAS),
            timeout=REPLACED_WITHIN, what="swarm replaced the killed task", interval=0.2,
        )  # fmt: skip
        replaced_in = time.monotonic() - killed_at
        time.sleep(5)
        failures = load.failures()

        # The same start, asked for: one more replica.
        before = {task["ID"] for task in stack.running_tasks()}
        scaled_at = time.monotonic()
        docker("service", "scale", "--detach", f"{WEB}={REPLICAS + 1}")
        eventually(
            lambda: new_tasks(stack, before) == 1 and stack.converged(REPLICAS + 1),
            timeout=STARTED_WITHIN, what="swarm started a fourth task", interval=0.2,
        )  # fmt: skip
        started_in = time.monotonic() - scaled_at
    in_flight = [r for r in load.snapshot() if r.start <= kill_returned and r.end > killed_at]

    print(
        f"\nkilled replica: replaced in {replaced_in:.1f} s, a new one started in "
        f"{started_in:.1f} s; {load.summary(failures)}; "
        f"{len(in_flight)} requests were in flight at the kill"
    )
    assert replaced_in <= started_in + RESTART_OVERHEAD
    # A failure is a request that was in flight at the kill (on any replica: the count of
    # those on the killed one is at most this); nothing that started after it fails.
    assert all(r.start <= kill_returned for r in failures), load.summary(failures)
    assert len(failures) <= len(in_flight)
