"""`make prod-up` (scripts/prod-up.sh) writes .env.prod with fresh secrets on first use; when
it cannot make them, it stops with one line and writes nothing."""

import os
import shutil
import subprocess

import pytest

from tests.containers import LABEL, RUN, docker
from tests.paths import REPO_ROOT, SCRIPTS


@pytest.mark.parametrize(
    "od", ["exit 1", "echo ' 00 11'"], ids=["random-source-fails", "too-few-random-bytes"]
)
def test_prod_up_without_good_random_bytes_fails_in_one_line_and_writes_no_env_file(tmp_path, od):
    tree = tmp_path / "tree"
    (tree / "scripts").mkdir(parents=True)
    for script in ("prod-up.sh", "random-hex.sh"):
        shutil.copy2(SCRIPTS / script, tree / "scripts")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "od").write_text(f"#!/bin/sh\n{od}\n")
    (fake_bin / "od").chmod(0o755)

    result = subprocess.run(
        [tree / "scripts" / "prod-up.sh"],
        env={**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "prod-up: could not read random bytes for the secrets; .env.prod not written"
    ]
    assert sorted(path.name for path in tree.iterdir()) == ["scripts"]


@pytest.mark.parametrize("major", ["17", "18"])
def test_a_new_env_file_beside_an_existing_database_volume_says_the_volume_keeps_its_password(
    tmp_path, major
):
    tree = tmp_path / "tree"
    (tree / "scripts").mkdir(parents=True)
    for script in ("prod-up.sh", "random-hex.sh", "prod-volumes.sh", "postgres-env.sh"):
        shutil.copy2(SCRIPTS / script, tree / "scripts")
    shutil.copy2(REPO_ROOT / "docker-compose.prod.yml", tree)
    project = f"bfportal-prod-up-{RUN}"
    volume = f"{project}_postgres" + ("" if major == "17" else f"-{major}")
    docker("volume", "create", "--label", LABEL, volume)
    try:
        result = subprocess.run(
            [tree / "scripts" / "prod-up.sh"],
            env={**os.environ, "COMPOSE_PROJECT_NAME": project, "POSTGRES_MAJOR": major},
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        docker("volume", "rm", volume)

    assert "an existing database volume keeps its old password" in result.stderr, result.stderr
