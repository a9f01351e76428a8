"""The world `make deploy` works in: a server reached over SSH with a key only, and a registry
that needs a login, one image name for the engine that pushes and the one that pulls."""

import json
import os
import subprocess

from tests.containers import RUN, docker


def test_the_servers_engine_answers_over_ssh_with_the_key_and_a_password_login_is_refused(
    server,
):
    assert server.docker("version", "--format", "{{.Server.Os}}").stdout.strip() == "linux"

    password_login = subprocess.run(
        [
            "ssh", "-o", "PreferredAuthentications=password,keyboard-interactive",
            "-o", "IdentitiesOnly=yes", "-o", "IdentityFile=/dev/null",
            f"deploy@{server.name}", "true",
        ],
        env=server.env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert password_login.returncode == 255
    assert "Permission denied" in password_login.stderr


def test_an_image_the_host_pushes_is_pulled_by_the_server_only_with_the_clients_login(
    server, registry, tmp_path
):
    image = f"{registry.address}/bfportal-deploy/probe:{RUN}"
    docker("tag", os.environ["REGISTRY_IMAGE"], image)
    logged_in = {**server.env, "DOCKER_CONFIG": str(tmp_path / "logged-in")}
    logged_out = {**server.env, "DOCKER_CONFIG": str(tmp_path / "logged-out")}
    try:
        refused = docker("push", image, env=logged_out, check=False)
        assert refused.returncode != 0
        assert "no basic auth credentials" in refused.stderr

        docker(
            "login", "--username", registry.username, "--password-stdin", registry.address,
            env=logged_in, input=registry.password,
        )  # fmt: skip
        docker("push", image, env=logged_in)

        anonymous = server.docker("pull", image, check=False, env=logged_out)
        assert anonymous.returncode != 0
        assert "no basic auth credentials" in anonymous.stderr
        server.docker("pull", image, env=logged_in)
        assert server.docker("image", "inspect", image, check=False).returncode == 0
    finally:
        docker("rmi", image, check=False)


def test_the_servers_data_volume_carries_the_runs_label_so_that_a_killed_run_leaves_none(server):
    labels = docker("volume", "inspect", "--format", "{{json .Labels}}", f"{server.name}-data")

    assert (json.loads(labels.stdout) or {}).get("bfportal.run") == RUN
