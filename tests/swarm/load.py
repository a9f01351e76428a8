"""The swarm suite's load: CONNECTIONS clients of its own, each a thread with a keep-alive
HTTPS session through Caddy, alternating between the home page and /healthz/ (which says
which release answered). Every request is recorded: when it started and ended, its status
or error, and the version it reported."""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

CONNECTIONS = 24
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
    requests: list[Request] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> "Load":
        for number in range(self.connections):
            thread = threading.Thread(target=self._client, args=(number,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _client(self, number: int) -> None:
        session = requests.Session()
        turn = number
        while not self._stop.is_set():
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

    def rate(self, start: float, end: float) -> float:
        """Requests per second that ended between `start` and `end`."""
        done = [r for r in self.snapshot() if start <= r.end < end and not r.failed]
        return len(done) / (end - start)

    def summary(self, failures: list[Request]) -> str:
        kinds = Counter(r.error or str(r.status) for r in failures)
        return f"{len(self.snapshot())} requests, {len(failures)} failed {dict(kinds)}"
