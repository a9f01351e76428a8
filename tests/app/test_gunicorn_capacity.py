"""gunicorn's worker count fits the container: the CPUs its cgroup and affinity allow, and
the database connections one container may hold (bfportal/capacity.py)."""

import pytest

from bfportal.capacity import CapacityError, usable_cpus, worker_count


@pytest.fixture
def eight_cpus(monkeypatch):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(8)))


def test_a_cgroup_v2_quota_lowers_the_cpu_count(tmp_path, eight_cpus):
    (tmp_path / "cpu.max").write_text("150000 100000\n")

    assert usable_cpus(tmp_path) == 1.5


def test_a_cgroup_v1_quota_lowers_the_cpu_count(tmp_path, eight_cpus):
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("200000\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")

    assert usable_cpus(tmp_path) == 2


def test_without_a_quota_the_cpus_the_process_may_run_on_count(tmp_path, eight_cpus):
    (tmp_path / "cpu.max").write_text("max 100000\n")

    assert usable_cpus(tmp_path) == 8


def test_a_quota_above_the_affinity_leaves_the_affinity(tmp_path, monkeypatch):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1})
    (tmp_path / "cpu.max").write_text("400000 100000\n")

    assert usable_cpus(tmp_path) == 2


@pytest.mark.parametrize(("cpus", "workers"), [(0.5, 3), (1, 3), (1.5, 5), (2, 5), (64, 5)])
def test_workers_are_two_per_cpu_plus_one_capped_by_the_connection_budget(cpus, workers):
    assert worker_count(cpus, threads=4, budget=20) == workers


def test_a_larger_budget_lets_a_larger_machine_run_more_workers():
    assert worker_count(8, threads=4, budget=100) == 17


def test_a_requested_worker_count_within_the_budget_is_kept():
    assert worker_count(64, threads=4, budget=20, requested=2) == 2


def test_a_requested_worker_count_over_the_budget_is_refused_with_the_figures():
    with pytest.raises(CapacityError, match=r"WEB_CONCURRENCY=6 × GUNICORN_THREADS=4 .* 24"):
        worker_count(1, threads=4, budget=20, requested=6)


def test_more_threads_than_the_budget_are_refused():
    with pytest.raises(CapacityError, match="GUNICORN_THREADS=30"):
        worker_count(1, threads=30, budget=20)
