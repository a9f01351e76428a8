"""A process's memory of a server's last failure, so that its threads stop trying for a moment
rather than each wait out a timeout (bfportal/postgresql, bfportal/cache.py)."""

import threading
import time


class Pause:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._failed_at = -seconds

    def failed(self) -> None:
        with self._lock:
            self._failed_at = time.monotonic()

    def since_failure(self) -> float | None:
        """Seconds since the last failure while they are fewer than `seconds`, else None."""
        with self._lock:
            waited = time.monotonic() - self._failed_at
        return waited if waited < self.seconds else None
