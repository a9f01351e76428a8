"""A misconfigured container stops at once with one line that names what to fix."""

import pytest

from tests.containers import SERVER_ENV, docker, env_args


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "postgres//missing-colon"}, "DATABASE_URL"),
        (
            {"DATABASE_URL": "postgres://u:p@127.0.0.1:5999/db", "DATABASE_WAIT_SECONDS": "1"},
            "DATABASE_URL",
        ),
    ],
    ids=["no-secret-key", "debug-maybe", "no-hosts", "malformed-db-url", "unreachable-db"],
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
