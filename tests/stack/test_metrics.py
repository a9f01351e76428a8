"""web's Prometheus metrics: served on a port of web's own that Caddy does not route, and the
figures of every gunicorn worker add up to what the site served."""

import concurrent.futures
import socket
import time
import uuid

from tests.containers import eventually
from tests.stack.conftest import CADDY, THREADS, WEB, WORKERS, scrape


def test_metrics_are_not_served_through_caddy(stack):
    for path in ("/metrics", "/metrics/"):
        assert stack.get(path).status_code == 404


def test_every_request_served_by_any_worker_is_counted_once(stack):
    served = "django_http_responses_total_by_status_total{'status': '200'}"
    before = scrape()

    with concurrent.futures.ThreadPoolExecutor(WORKERS * THREADS) as pool:
        statuses = list(pool.map(lambda _: stack.get("/").status_code, range(80)))

    after = scrape()
    assert statuses == [200] * 80
    assert after[served] - before.get(served, 0) == 80
    assert after["bfportal_gunicorn_threads{}"] == WORKERS * THREADS
    # A file of counters per process that counted: more than one worker served the load.
    files = stack.exec_web("ls", "/dev/shm/bfportal-metrics").split()
    assert len([name for name in files if name.startswith("counter_")]) > 1


def test_database_queries_and_page_cache_gets_are_counted(stack):
    queries = "django_db_query_duration_seconds_count{'alias': 'default', 'vendor': 'postgresql'}"
    gets = "django_cache_get_total{'backend': 'redis'}"
    before = scrape()

    # A query string of its own: a miss of the page cache, rendered from the database.
    assert stack.get(f"/?probe={uuid.uuid4().hex}").status_code == 200

    after = scrape()
    assert after[queries] > before.get(queries, 0)
    assert after[gets] > before.get(gets, 0)


def test_a_thread_held_by_a_request_counts_as_busy_until_the_request_ends(stack):
    busy = "bfportal_gunicorn_threads_busy{}"
    # Straight to gunicorn (Caddy would buffer the body): a form whose body stops short, which
    # the CSRF check (given a cookie to compare with) waits to read.
    with socket.create_connection((WEB, 8000), timeout=10) as held:
        held.sendall(
            f"POST / HTTP/1.1\r\nHost: {CADDY}\r\nX-Forwarded-Proto: https\r\n"
            f"Referer: https://{CADDY}/\r\nCookie: csrftoken={'a' * 32}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 100000\r\n\r\ncsrfmiddle".encode()
        )
        eventually(lambda: scrape()[busy] >= 1, 10, "a busy thread")
        time.sleep(1)
        assert scrape()[busy] >= 1

    eventually(lambda: scrape()[busy] == 0, 10, "no busy thread")
