"""Guessing passwords at the admin login (django-axes): after LOGIN_FAILURE_LIMIT failures for
one username from one address, that pair is locked out for a cool-off period, and only that
pair: not the same user from another address, not another user from the same one. After
LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames, the address."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F

pytestmark = pytest.mark.django_db
LOGIN_URL = "/admin/login/"
ATTACKER = "203.0.113.5"


@pytest.fixture
def users(django_user_model):
    for name in ("alice", "bob"):
        django_user_model.objects.create_superuser(name, f"{name}@example.com", f"{name}-pw-1")


def log_in(client, username: str, password: str, address: str = ATTACKER, **headers):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def lock_out(client, username: str, **headers):
    """As many wrong passwords for `username` as the pair's limit allows, and one more."""
    return [log_in(client, username, f"guess-{n}", **headers).status_code for n in range(6)]


def test_wrong_passwords_lock_the_account_out_even_for_the_right_password(client, users):
    statuses = lock_out(client, "alice")

    assert statuses[0] == 200  # the form again, with an error
    assert statuses[-1] == 429
    assert log_in(client, "alice", "alice-pw-1").status_code == 429
    assert not logged_in(client)


def test_another_user_logs_in_from_the_same_address_during_a_lockout(client, users):
    lock_out(client, "alice")

    assert log_in(client, "bob", "bob-pw-1").status_code == 302
    assert logged_in(client)


def test_a_forged_forwarded_for_header_does_not_escape_a_lockout(client, users):
    lock_out(client, "alice")

    response = log_in(client, "alice", "alice-pw-1", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert response.status_code == 429


def test_a_right_password_before_the_limit_logs_in(client, users):
    for n in range(3):
        log_in(client, "alice", f"guess-{n}")

    assert log_in(client, "alice", "alice-pw-1").status_code == 302


def test_exactly_the_fifth_wrong_password_locks_the_pair_out(client, users, settings):
    statuses = [log_in(client, "alice", f"guess-{n}").status_code for n in range(5)]

    assert settings.AXES_FAILURE_LIMIT == 5
    assert statuses == [200, 200, 200, 200, 429]


def test_the_same_user_logs_in_from_another_address_during_a_lockout(client, users):
    lock_out(client, "alice")

    assert log_in(client, "alice", "alice-pw-1", address="198.51.100.20").status_code == 302
    assert logged_in(client)


def test_the_right_password_logs_in_once_the_cool_off_has_passed(client, users, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=2)
    lock_out(client, "alice")
    assert log_in(client, "alice", "alice-pw-1").status_code == 429

    time.sleep(2.5)

    assert log_in(client, "alice", "alice-pw-1").status_code == 302
    assert logged_in(client)


def test_exactly_the_twentieth_failure_from_one_address_across_usernames_locks_the_address(
    client, users, settings
):
    statuses = [log_in(client, f"sprayed-{n}", "Winter2026!").status_code for n in range(20)]

    assert statuses == [200] * 19 + [429]
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    assert log_in(client, "bob", "bob-pw-1").status_code == 429
    assert log_in(client, "bob", "bob-pw-1", address="198.51.100.20").status_code == 302


def test_an_address_lockout_ends_once_the_cool_off_has_passed(client, users, settings):
    for n in range(20):
        log_in(client, f"sprayed-{n}", "Winter2026!")
    assert log_in(client, "bob", "bob-pw-1").status_code == 429

    # The cool-off passes: every failure is that much older.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)

    assert log_in(client, "bob", "bob-pw-1").status_code == 302
