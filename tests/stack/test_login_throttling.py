"""Login throttling behind Caddy: the address that counts is the one Caddy saw, so a client
cannot dodge a lockout by claiming another address in X-Forwarded-For."""

from tests.containers import AdminClient
from tests.stack.conftest import create_superuser


def test_a_client_forging_a_new_forwarded_for_address_per_guess_is_still_locked_out(
    stack, failed_logins_forgotten
):
    username, password = create_superuser(stack, "throttle-target")
    client = AdminClient(stack.url, stack.ca)

    def log_in(secret: str, n: int) -> int:
        return client.post_form(
            "/admin/login/",
            {"username": username, "password": secret},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code

    statuses = [log_in(f"guess-{n}", n) for n in range(6)]

    assert statuses[-1] == 429, statuses
    assert log_in(password, 200) == 429
    assert not client.is_logged_in()
