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
    medians, rates = {}, {}

    with Load(stack.url, stack.ca) as load:
        for replicas in (1, 2, 3):
            if replicas > 1:
                docker("service", "scale", "--detach", f"{WEB}={replicas}")
                stack.wait_converged(replicas)
            time.sleep(2)
            start = time.monotonic()
            time.sleep(MEASURE_SECONDS)
            medians[replicas] = load.median_time(start, time.monotonic())
            rates[replicas] = load.rate(start, time.monotonic())
    failures = load.failures()

    steps = (f"{n} replica(s) {medians[n] * 1000:.0f} ms, {rates[n]:.0f} req/s" for n in rates)
    print(f"\nscaling under {load.connections} clients: {', '.join(steps)}")
    print(load.summary(failures))
    assert failures == [], load.summary(failures)
    assert all(rate >= load.offered / 2 for rate in rates.values()), rates
