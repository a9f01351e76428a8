"""Scaling web from 1 to 3 replicas under load: no request fails, and each step's rate is
reported (on a 2-core machine the replicas share the same cores, so expect little gain)."""

import time

from tests.containers import docker
from tests.swarm.conftest import WEB
from tests.swarm.load import Load

MEASURE_SECONDS = 15


def test_scaling_web_from_1_to_3_replicas_under_load_fails_no_request(stack):
    docker("service", "scale", "--detach", f"{WEB}=1")
    stack.wait_converged(1)
    rates = {}

    with Load(stack.url, stack.ca) as load:
        for replicas in (1, 2, 3):
            if replicas > 1:
                docker("service", "scale", "--detach", f"{WEB}={replicas}")
                stack.wait_converged(replicas)
            time.sleep(2)
            start = time.monotonic()
            time.sleep(MEASURE_SECONDS)
            rates[replicas] = load.rate(start, time.monotonic())
    failures = load.failures()

    print(
        f"\nscaling under {load.connections} clients: "
        + ", ".join(f"{n} replica(s) {rate:.0f} req/s" for n, rate in rates.items())
        + f"; {load.summary(failures)}"
    )
    assert failures == [], load.summary(failures)
    assert all(rate > 0 for rate in rates.values())
