"""`docker stop` of web while clients are still downloading: gunicorn's graceful shutdown."""

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.containers import docker, eventually

# A file larger than the socket buffers between gunicorn and a client hold, read slowly:
# each download keeps a worker busy for about SIZE / RATE = 4 s.
SIZE = 16 * 2**20
RATE = 4 * 2**20
BURST = 20


@pytest.fixture
def large_media_file(stack) -> str:
    """A file in the media volume, as a large upload would be; returns its URL path."""
    name = f"download-{secrets.token_hex(4)}.bin"
    stack.exec_web(
        "python", "-c",
        "import os; os.makedirs('/app/data/media', exist_ok=True); "
        f"open('/app/data/media/{name}', 'wb').write(os.urandom({SIZE}))",
    )  # fmt: skip
    return f"/media/{name}"


class SlowDownload:
    """One client reading a file at RATE through the stack's proxy; `started` is set when its
    first bytes arrive."""

    def __init__(self, stack, path: str):
        self.stack, self.path = stack, path
        self.started = threading.Event()
        self.finished_at = 0.0

    def run(self) -> tuple[int | str, int]:
        received, began = 0, time.monotonic()
        try:
            with self.stack.get(self.path, stream=True, timeout=30) as response:
                for chunk in response.iter_content(64 * 1024):
                    self.started.set()
                    received += len(chunk)
                    ahead = received / RATE - (time.monotonic() - began)
                    if ahead > 0:
                        time.sleep(ahead)
                outcome = response.status_code
        except requests.RequestException as error:
            outcome = type(error).__name__
        self.finished_at = time.monotonic()
        return outcome, received


def stop_web_during(stack, downloads: list[SlowDownload], once_started: int):
    """Run the downloads; `docker stop` web once `once_started` of them receive data."""
    with ThreadPoolExecutor(len(downloads)) as pool:
        futures = [pool.submit(download.run) for download in downloads]
        eventually(
            lambda: sum(d.started.is_set() for d in downloads) >= once_started,
            timeout=20,
            what=f"{once_started} downloads receive data",
        )
        # Every request has been sent by now, whether or not a worker has taken it yet.
        time.sleep(0.5)
        stop_sent = time.monotonic()
        docker("stop", stack.container("web"))
        stop_took = time.monotonic() - stop_sent
        results = [future.result() for future in futures]
    print(f"\ndocker stop took {stop_took:.1f} s; outcomes: {sorted(map(str, results))}")
    return stop_sent, results


def test_docker_stop_lets_the_requests_in_flight_finish(stack, large_media_file):
    downloads = [SlowDownload(stack, large_media_file) for _ in range(stack.workers)]

    stop_sent, results = stop_web_during(stack, downloads, once_started=len(downloads))

    assert results == [(200, SIZE)] * len(downloads)
    assert all(d.finished_at > stop_sent + 1 for d in downloads), "finished before the stop"
    # gunicorn exited by itself once they were done, not by Docker's SIGKILL (137).
    assert stack.state("web")["ExitCode"] == 0


def test_docker_stop_during_a_burst_of_20_downloads_lets_every_one_finish(stack, large_media_file):
    downloads = [SlowDownload(stack, large_media_file) for _ in range(BURST)]

    stop_sent, results = stop_web_during(stack, downloads, once_started=stack.workers)

    assert results == [(200, SIZE)] * BURST
