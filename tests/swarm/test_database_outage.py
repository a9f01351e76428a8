"""PostgreSQL away for a minute under load: no web task is replaced, since their health is the
process's (/livez/) and not the database's; visitors get the site's 503 page, never a 502 from
Caddy; and no request fails later than 15 s after PostgreSQL answers again."""

import time
from collections import Counter

import requests

from tests.containers import docker, eventually
from tests.swarm.conftest import STACK
from tests.swarm.load import Load

OUTAGE = 60
RECOVERED_WITHIN = 15


def test_postgres_away_for_a_minute_under_load_replaces_no_web_task_and_visitors_get_503s(stack):
    before = {task["ID"] for task in stack.running_tasks()}
    postgres = f"{STACK}_postgres"

    def home_page_serves() -> bool:
        try:
            return requests.get(f"{stack.url}/", verify=str(stack.ca), timeout=5).ok
        except requests.RequestException:
            return False

    with Load(stack.url, stack.ca) as load:
        time.sleep(3)
        docker("service", "scale", "--detach", f"{postgres}=0")
        gone = time.monotonic()
        time.sleep(OUTAGE)
        docker("service", "scale", "--detach", f"{postgres}=1")
        eventually(
            lambda: bool(stack.containers("postgres"))
            and docker("inspect", "--format", "{{.State.Health.Status}}",
                       stack.containers("postgres")[0]).stdout.strip() == "healthy",
            timeout=90, what="PostgreSQL answers again", interval=0.5,
        )  # fmt: skip
        answering = time.monotonic()
        eventually(home_page_serves, timeout=60, what="the home page serves again", interval=0.2)
        served = time.monotonic()
        # Long enough that failures going on past RECOVERED_WITHIN would be seen.
        time.sleep(RECOVERED_WITHIN + 5)
    # From the scale-down until PostgreSQL answered again; then until the last failed request.
    during = Counter(r.error or r.status for r in load.snapshot() if gone <= r.start < answering)
    failed_after = [r for r in load.failures() if r.start >= answering]
    recovered_in = max([served, *(r.end for r in failed_after)]) - answering

    print(
        f"\nPostgreSQL away {OUTAGE} s under load: answers meanwhile {dict(during)}; every request "
        f"served again {recovered_in:.1f} s after it answered; {load.summary(load.failures())}"
    )
    assert {task["ID"] for task in stack.running_tasks()} == before, "a web task was replaced"
    assert during[503] and set(during) <= {200, 503}, dict(during)
    assert recovered_in <= RECOVERED_WITHIN, load.summary(failed_after)
