"""`make backup`, `make backups` and `make restore` on the production stack
(docker-compose.prod.yml): its backup service's snapshot of the database and the uploads,
restored into the running stack, web stopped meanwhile and serving again afterwards."""

import json
import subprocess

from tests.containers import DATABASE_ROLE, LEAST_PRIVILEGE, django_shell
from tests.paths import REPO_ROOT, SCRIPTS
from tests.stack.conftest import PROJECT

PROBE = "/app/data/media/backup-probe.txt"
USERS = "from django.contrib.auth import get_user_model; U = get_user_model(); "


def backup_sh(stack, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SCRIPTS / "backup.sh", *args], cwd=REPO_ROOT,
        env={**stack.env, "COMPOSE_PROJECT_NAME": PROJECT, "BACKUP_STACK": "prod"},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def users(stack) -> str:
    return django_shell(
        stack.container("web"),
        USERS + "print(sorted(U.objects.filter(username__startswith='probe-')"
        ".values_list('username', flat=True)))",
    )


def test_a_restore_brings_back_the_database_and_uploads_of_a_backup_and_web_serves_again(
    stack,
):
    django_shell(stack.container("web"), USERS + "U.objects.create_user('probe-kept'); print(1)")
    stack.exec_web("sh", "-c", f"echo as-backed-up > {PROBE}")
    made = backup_sh(stack, "backup")
    assert made.returncode == 0, made.stderr
    backup = made.stdout.strip()
    listed = backup_sh(stack, "backups")
    assert listed.returncode == 0 and backup in listed.stdout, listed.stderr
    # What happens after the backup.
    django_shell(
        stack.container("web"),
        USERS + "U.objects.filter(username='probe-kept').delete(); "
        "U.objects.create_user('probe-later'); print(1)",
    )
    stack.exec_web("sh", "-c", f"echo changed > {PROBE}")

    restored = backup_sh(stack, "restore", backup)

    assert restored.returncode == 0, restored.stderr
    assert "web serves backup" in restored.stderr.strip().splitlines()[-1], restored.stderr
    stack.wait_for_health("web", "healthy", timeout=120)
    assert users(stack) == "['probe-kept']"
    assert stack.exec_web("cat", PROBE).strip() == "as-backed-up"
    assert stack.get("/healthz/").status_code == 200
    # The superuser restored it; the app's role owns it again.
    assert json.loads(django_shell(stack.container("web"), DATABASE_ROLE)) == LEAST_PRIVILEGE
