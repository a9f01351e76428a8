"""The swarm stack's request ids: Caddy gives each request one, which the replica that served it
logs; one a client sends never reaches a replica."""

import secrets

from tests.containers import docker, eventually


def replicas_logged(stack, text: str) -> bool:
    for container in stack.containers():
        result = docker("logs", container)
        if text in result.stdout + result.stderr:
            return True
    return False


def test_caddys_request_id_reaches_the_replica_that_served_it_and_a_clients_never(stack, admin):
    forged = f"forged-{secrets.token_hex(8)}"

    response = admin.get("/", headers={"X-Request-ID": forged})

    made = response.headers["X-Request-ID"]
    assert made != forged
    eventually(lambda: replicas_logged(stack, made), 10, f"a replica's log line with {made}")
    assert not replicas_logged(stack, forged)
