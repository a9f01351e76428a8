"""How many gunicorn workers a container runs: as many as the CPUs it may use call for,
within the database connection budget (every thread keeps one connection open).

gunicorn.conf.py asks; the figures come from the container's cgroup and CPU affinity, not
the host's CPU count, which `docker run --cpus 1` on a 64-core server would overstate.
"""

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


class CapacityError(ValueError):
    """Workers and threads that would open more connections than the budget allows."""


def cgroup_cpu_limit(cgroup: Path = CGROUP) -> float | None:
    """The CPU quota of this container's cgroup in CPUs (v2, then v1); None without one."""
    try:
        quota, period = (cgroup / "cpu.max").read_text().split()
    except (OSError, ValueError):
        try:
            quota = (cgroup / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (cgroup / "cpu" / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    if quota in ("max", "-1"):
        return None
    return int(quota) / int(period)


def usable_cpus(cgroup: Path = CGROUP) -> float:
    """The CPUs this process may run on (`--cpuset-cpus`), lowered by a quota (`--cpus`)."""
    cpus = len(os.sched_getaffinity(0))
    limit = cgroup_cpu_limit(cgroup)
    return min(cpus, limit) if limit else cpus


def worker_count(cpus: float, threads: int, budget: int, requested: int = 0) -> int:
    """`requested` workers if the budget holds them; else gunicorn's 2 × CPUs + 1, capped
    at what the budget holds."""
    if threads < 1 or threads > budget:
        raise CapacityError(
            f"GUNICORN_THREADS={threads} must be between 1 and DATABASE_CONNECTION_BUDGET={budget}"
        )
    if requested:
        if requested * threads > budget:
            raise CapacityError(
                f"WEB_CONCURRENCY={requested} × GUNICORN_THREADS={threads} would open "
                f"{requested * threads} database connections, more than "
                f"DATABASE_CONNECTION_BUDGET={budget}: lower one or raise the budget"
            )
        return requested
    return min(2 * math.ceil(cpus) + 1, budget // threads)
