"""Scaling web from 1 to 3 replicas under load: no request fails, the site keeps up with the
load at each step, and each step's median response time is reported (on a 2-core machine
the replicas share the same cores, so expect little gain)."""

import time

from tests.containers import docker
from tests.swarm.conftest import WEB
from tests.swarm.load import Load

MEASURE_SECONDS = 15


def test_scaling_web_from_1_to_3_replicas_under_load_fails_no_request(stack):
    docker("service", "scale", "--detach", f"{WEB}=1")
    stack.wait_converged(1)
    windows = {}

    with Load(stack.url, stack.ca) as load:
        for replicas in (1, 2, 3):
            if replicas > 1:
                docker("service", "scale", "--detach", f"{WEB}={replicas}")
                stack.wait_converged(replicas)
            time.sleep(2)
            start = time.monotonic()
            time.sleep(MEASURE_SECONDS)
            windows[replicas] = (start, time.monotonic())
    failures = load.failures()

    steps = ", ".join(
        f"{n} replica(s) {load.median_time(*w) * 1000:.0f} ms, {load.rate(*w):.0f} req/s"
        for n, w in windows.items()
    )
    print(f"\nscaling under {load.connections} clients: {steps}")
    print(load.summary(failures))
    assert failures == [], load.summary(failures)
    assert all(load.kept_up(*w) for w in windows.values()), steps
