"""The swarm suite's load: CONNECTIONS clients of its own, each a thread with a keep-alive
HTTPS session through Caddy, alternating between the home page and /healthz/ (which says
which release answered), a request every PACE seconds. Every request is recorded: when it
started and ended, its status or error, and the version it reported.

Paced, not as fast as the site answers: 48 requests a second is more than a one-server site
sees in its busiest hour, and leaves the cores to the rollout under test. Clients that sent
their next request as soon as the last one ended would take both cores of a 2-core machine
(180 requests a second here) and time the machine's contention, not the rollout."""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

CONNECTIONS = 24
PACE = 0.5  # seconds from one request's start to the client's next, unless it is still waiting
PATHS = ("/", "/healthz/")


@dataclass
class Request:
    start: float
    end: float
    status: int = 0
    error: str = ""
    version: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error) or not 200 <= self.status < 400


@dataclass
class Load:
    url: str
    ca: Path
    connections: int = CONNECTIONS
    pace: float = PACE
    requests: list[Request] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = 0
    stopped: float = 0

    def __enter__(self) -> "Load":
        self.started = time.monotonic()
        for number in range(self.connections):
            thread = threading.Thread(target=self._client, args=(number,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.stopped = time.monotonic()
        for thread in self._threads:
            thread.join(timeout=30)

    def _client(self, number: int) -> None:
        session = requests.Session()
        turn = number
        # The clients' requests spread evenly over each PACE.
        due = time.monotonic() + self.pace * number / self.connections
        while not self._stop.wait(max(0.0, due - time.monotonic())):
            due = max(due + self.pace, time.monotonic())
            path = PATHS[turn % len(PATHS)]
            turn += 1
            record = Request(start=time.monotonic(), end=0)
            try:
                # Per request: REQUESTS_CA_BUNDLE in the environment overrides a session's.
                response = session.get(self.url + path, timeout=15, verify=str(self.ca))
                record.status = response.status_code
                if path == "/healthz/" and response.ok:
                    record.version = response.json()["version"]
            except requests.RequestException as error:
                record.error = type(error).__name__
            record.end = time.monotonic()
            with self._lock:
                self.requests.append(record)

    def snapshot(self) -> list[Request]:
        with self._lock:
            return list(self.requests)

    def failures(self, since: float = 0) -> list[Request]:
        return [r for r in self.snapshot() if r.failed and r.start >= since]

    def versions(self, since: float = 0) -> Counter:
        return Counter(r.version for r in self.snapshot() if r.version and r.start >= since)

    @property
    def offered(self) -> float:
        """Requests per second that the clients send while the site keeps up."""
        return self.connections / self.pace

    def rate(self, start: float, end: float) -> float:
        """Requests per second that ended between `start` and `end`."""
        done = [r for r in self.snapshot() if start <= r.end < end and not r.failed]
        return len(done) / (end - start)

    def kept_up(self, start: float | None = None, end: float | None = None) -> bool:
        """Whether the site answered at least half the offered rate between `start` and `end`
        (by default, while the load ran): a load that stalled would have tested little."""
        start = self.started if start is None else start
        end = self.stopped if end is None else end
        return self.rate(start, end) >= self.offered / 2

    def median_time(self, start: float, end: float) -> float:
        """The median time, in seconds, of the requests that ended between `start` and `end`."""
        times = sorted(r.end - r.start for r in self.snapshot() if start <= r.end < end)
        return times[len(times) // 2] if times else float("inf")

    def summary(self, failures: list[Request]) -> str:
        kinds = Counter(r.error or str(r.status) for r in failures)
        rate = self.rate(self.started, self.stopped or time.monotonic())
        return (
            f"{len(self.snapshot())} requests ({rate:.0f}/s of {self.offered:.0f}/s offered), "
            f"{len(failures)} failed {dict(kinds)}"
        )
