"""`manage.py migrate` waits for the database as the server does at start (a stack's migrate
job may start before PostgreSQL answers), then migrates; one that never answers within
DATABASE_WAIT_SECONDS ends it with one line."""

import os
import subprocess
import sys
import time

from tests.factories import PRODUCTION_SETTINGS
from tests.paths import PROJECT_DIR


def migrate(database_folder, wait_seconds: int, *app_labels: str) -> subprocess.Popen:
    env = {
        **os.environ, **PRODUCTION_SETTINGS,
        "DATABASE_URL": f"sqlite:///{database_folder}/db.sqlite3",
        "DATABASE_WAIT_SECONDS": str(wait_seconds),
    }  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "manage.py", "migrate", *app_labels, "--noinput"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_migrate_waits_for_a_database_that_comes_up_late_and_then_migrates(tmp_path):
    # SQLite cannot open a database in a folder that does not exist yet.
    folder = tmp_path / "comes-up-late"
    # One app's migrations: what is waited for is the database, not the migrations.
    process = migrate(folder, 120, "contenttypes")
    time.sleep(4)
    still_waiting = process.poll() is None
    folder.mkdir()
    output, errors = process.communicate(timeout=300)

    assert still_waiting, errors
    assert process.returncode == 0, errors
    assert "Applying contenttypes.0002_remove_content_type_name... OK" in output


def test_migrate_ends_in_one_line_when_the_database_never_answers(tmp_path):
    process = migrate(tmp_path / "never", wait_seconds=1)
    _, errors = process.communicate(timeout=120)

    assert process.returncode == 1
    assert (
        errors.strip()
        .splitlines()[-1]
        .startswith("bfportal: DATABASE_URL: cannot reach the database at ")
    ), errors
