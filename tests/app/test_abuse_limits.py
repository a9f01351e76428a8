"""Limits on what one visitor can make the site do (bfportal/limits.py): password-reset mails
per account and per client address each hour, searches per client address each minute. Each
limit lets exactly its number through and refuses the next with 429; other accounts and
addresses are unaffected; the counts start again in the next window."""

import pytest
from django.core import mail
from django_ratelimit import core

pytestmark = pytest.mark.django_db
RESET_URL = "/admin/password_reset/"
ATTACKER = "203.0.113.9"


@pytest.fixture
def window(monkeypatch):
    """The counting window, held still: a test never straddles two. `window.next()` moves on."""

    class Window:
        end = 2_000_000_000

        def next(self):
            self.end += 3600

    held = Window()
    monkeypatch.setattr(core, "_get_window", lambda value, period: held.end)
    return held


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.com", "alice-pw-long")


def reset(client, email: str, address: str = ATTACKER) -> int:
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address).status_code


def search(client, address: str = ATTACKER) -> int:
    return client.get("/search/", {"query": "home"}, REMOTE_ADDR=address).status_code


def test_one_account_gets_its_limit_of_reset_mails_an_hour_whatever_the_address(
    client, alice, window, settings
):
    limit = settings.PASSWORD_RESET_LIMIT
    addresses = [f"198.51.100.{n}" for n in range(limit + 1)]

    allowed = [reset(client, "alice@example.com", address) for address in addresses[:limit]]
    refused = reset(client, " ALICE@example.com", addresses[-1])

    assert allowed == [302] * limit
    assert refused == 429
    assert len(mail.outbox) == limit


def test_one_address_gets_its_limit_of_reset_requests_an_hour_whatever_the_account(
    client, alice, window, settings
):
    limit = settings.PASSWORD_RESET_ADDRESS_LIMIT
    emails = [f"user{n}@example.com" for n in range(limit)]

    allowed = [reset(client, email) for email in emails]
    refused = reset(client, "alice@example.com")

    assert allowed == [302] * limit
    assert refused == 429
    assert "Too many requests" in client.post(RESET_URL, REMOTE_ADDR=ATTACKER).content.decode()
    assert mail.outbox == []
    assert reset(client, "alice@example.com", "198.51.100.1") == 302
    assert len(mail.outbox) == 1


def test_the_reset_limits_count_again_in_the_next_hour(client, alice, window, settings):
    for _ in range(settings.PASSWORD_RESET_LIMIT):
        reset(client, "alice@example.com")
    assert reset(client, "alice@example.com") == 429

    window.next()

    assert reset(client, "alice@example.com") == 302


def test_one_address_gets_its_limit_of_searches_a_minute(client, home_page, window, settings):
    limit = settings.SEARCH_LIMIT

    allowed = [search(client) for _ in range(limit)]
    refused = search(client)

    assert allowed == [200] * limit
    assert refused == 429
    assert search(client, "198.51.100.1") == 200
    window.next()
    assert search(client) == 200


def test_the_limits_come_from_the_environment(production_settings):
    given = {"PASSWORD_RESET_LIMIT": 2, "PASSWORD_RESET_ADDRESS_LIMIT": 7, "SEARCH_LIMIT": 30}

    limits = production_settings(*given, **{name: str(n) for name, n in given.items()})

    assert limits == given
