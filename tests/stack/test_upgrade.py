"""`make prod-up` after POSTGRES_MAJOR rose to 18 in .env.prod: the stack's PostgreSQL 17 is
backed up, and the backup restored into 18 on a volume of its own before web starts again;
17's volume stays, and a later `make prod-up` with 17 is refused in a line. (Last of the
suite, by its name: the session's stack runs PostgreSQL 18 after it.)"""

import shutil
import subprocess

import pytest

from tests.containers import RUN, django_shell, docker, remove_stale_run_folders
from tests.paths import REPO_ROOT, copy_checkout
from tests.stack.conftest import PROJECT

# Copies of the checkout that prod-up runs from. Inside the checkout, because the engine must
# find the files that the stack bind-mounts at the same path as the runner.
COPIES = REPO_ROOT / ".cache" / "stack-upgrade"

PROBE = "/app/data/media/upgrade-probe.txt"
USERS = "from django.contrib.auth import get_user_model; U = get_user_model(); "
SERVER_MAJOR = "from django.db import connection; print(connection.pg_version // 10000)"


def prod_up(checkout, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [checkout / "scripts" / "prod-up.sh"], cwd=checkout, env=env,
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip


@pytest.fixture
def checkout():
    remove_stale_run_folders(COPIES)
    yield copy_checkout(COPIES / RUN)
    shutil.rmtree(COPIES / RUN, ignore_errors=True)


def test_raising_postgres_major_in_env_prod_upgrades_the_database_and_cannot_go_back(
    stack, checkout
):
    django_shell(stack.container("web"), USERS + "U.objects.create_user('upgrade-kept'); print(1)")
    stack.exec_web("sh", "-c", f"echo kept > {PROBE}")
    # The owner's .env.prod, the major raised; the images are prod-up's to choose.
    settings = {
        name: value
        for name, value in (line.split("=", 1) for line in stack.env_file.read_text().splitlines())
        if name not in ("POSTGRES_IMAGE", "BACKUP_IMAGE")
    }
    lines = "".join(f"{name}={value}\n" for name, value in settings.items())
    (checkout / ".env.prod").write_text(lines + "POSTGRES_MAJOR=18\n")
    env = {
        **{k: v for k, v in stack.env.items() if k not in ("POSTGRES_IMAGE", "BACKUP_IMAGE")},
        "COMPOSE_PROJECT_NAME": PROJECT,
    }

    upgrade = prod_up(checkout, env)

    assert upgrade.returncode == 0, upgrade.stderr[-4000:]
    print(upgrade.stderr.strip())
    web = stack.container("web")
    assert django_shell(web, SERVER_MAJOR) == "18"
    assert (
        django_shell(web, USERS + "print(U.objects.filter(username='upgrade-kept').count())") == "1"
    )
    assert stack.exec_web("cat", PROBE).strip() == "kept"
    assert stack.get("/healthz/").status_code == 200
    # 17's volume stays; going back to it is refused before anything changes.
    (checkout / ".env.prod").write_text(lines + "POSTGRES_MAJOR=17\n")
    back = prod_up(checkout, env)
    assert back.returncode == 1, back.stderr
    said = back.stderr.strip().splitlines()
    assert len(said) == 1 and "the database runs PostgreSQL 18" in said[0], back.stderr
    assert django_shell(stack.container("web"), SERVER_MAJOR) == "18"
    for volume in (f"{PROJECT}_postgres", f"{PROJECT}_postgres-18"):
        docker("volume", "inspect", volume)
