"""The stack's secrets reach its containers as files in /run/secrets (compose's `secrets:`),
never as environment variables that `docker inspect` shows."""

from tests.containers import inspect


def test_no_container_of_the_stack_holds_a_secret_in_its_environment(stack):
    names = (
        "SECRET_KEY", "POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD", "BACKUP_PASSWORD",
        "CACHE_PASSWORD",
    )  # fmt: skip
    secrets = {name: stack.env[name] for name in names}
    containers = stack.compose("ps", "--all", "--quiet").stdout.split()

    leaks = {
        (inspect(container)["Name"], name)
        for container in containers
        for name, value in secrets.items()
        if value in "\n".join(inspect(container)["Config"]["Env"])
    }

    assert len(containers) == 10
    assert leaks == set()
    assert stack.get("/healthz/").json()["status"] == "ok"
