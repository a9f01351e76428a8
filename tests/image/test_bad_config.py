"""A misconfigured container stops at once with one line that names what to fix."""

import time

import pytest

from tests.containers import (
    LABEL,
    NETWORK,
    SERVER_ENV,
    docker,
    env_args,
    run_container,
    server_name,
)


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "postgres//missing-colon"}, "DATABASE_URL"),
        (
            {"DATABASE_URL": "postgres://u:p@127.0.0.1:5999/db", "DATABASE_WAIT_SECONDS": "1"},
            "DATABASE_URL",
        ),
    ],
    ids=["no-secret-key", "debug-maybe", "debug-on", "no-hosts", "bad-db-url", "unreachable-db"],
)
def test_server_exits_non_zero_with_one_line_naming_the_bad_variable(
    final_image, overrides, variable
):
    env = {**SERVER_ENV, **overrides}

    result = docker("run", "--rm", *env_args(env), final_image, timeout=60, check=False)

    output = (result.stdout + result.stderr).strip().splitlines()
    # gunicorn's own log lines start with a timestamp in brackets; ours is the rest.
    messages = [line for line in output if not line.startswith("[")]
    assert result.returncode == 1, output
    assert len(messages) == 1, output
    assert messages[0].startswith(f"bfportal: {variable}")


BLACKHOLE = """
import socket
server = socket.create_server(("", 5432), backlog=64)
held = []
while True:
    held.append(server.accept()[0])
"""


def test_a_database_that_accepts_connections_and_never_answers_stops_the_server_in_time(
    final_image,
):
    blackhole_host = server_name("blackhole")
    blackhole = run_container(final_image, name=blackhole_host)
    docker("exec", "--detach", blackhole.id, "python", "-c", BLACKHOLE)
    wait_seconds = 4

    def exit_after(port: int, wait: int) -> tuple[float, list[str]]:
        env = {
            **SERVER_ENV,
            "DATABASE_URL": f"postgres://u:p@{blackhole_host}:{port}/db",
            "DATABASE_WAIT_SECONDS": str(wait),
            # libpq's own timeout, far above the wait: only the wait's deadline ends it in time.
            "DATABASE_CONNECT_TIMEOUT": "60",
        }
        started = time.monotonic()
        result = docker(
            "run", "--rm", "--label", LABEL, "--network", NETWORK, *env_args(env), final_image,
            timeout=90, check=False,
        )  # fmt: skip
        output = (result.stdout + result.stderr).strip().splitlines()
        assert result.returncode == 1, output
        assert output[-1].startswith("bfportal: DATABASE_URL: cannot reach the database"), output
        return time.monotonic() - started, output

    try:
        # The same start against a closed port, refused at once, with no wait: what starting
        # and stopping a container costs on this machine now.
        baseline, _ = exit_after(5433, wait=0)
        elapsed, output = exit_after(5432, wait=wait_seconds)
    finally:
        blackhole.remove()

    late = elapsed - baseline
    assert late < wait_seconds + 3, (f"exited {late:.1f} s after one that fails at once", output)
