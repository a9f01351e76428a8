"""The cache: a Valkey or Redis server shared by every process when CACHE_URL names one (the
production stacks), each process's own memory otherwise; and a site that serves while the
server is away, a cache call costing nothing then but a miss."""

import socket
import time

import pytest
from django.core.cache import caches

from bfportal.cache import RETRY_AFTER, shared_caches
from tests.app.conftest import SITE

CACHE_PASSWORD = "s3cret-of-the-cache"  # noqa: S105 - a test's own
# Nothing listens there: each connection is refused at once.
AWAY = "redis://127.0.0.1:9/0"


@pytest.fixture
def cache_server(settings):
    """cache_server(URL): the settings' caches on the server at URL, as CACHE_URL makes them
    (the pages' key function and timeout kept)."""

    def use(url: str) -> None:
        settings.CACHES = {
            alias: {**settings.CACHES[alias], **server}
            for alias, server in shared_caches(url, password="pw").items()  # noqa: S106
        }
        time.sleep(RETRY_AFTER)  # no failure of an earlier test holds this one back

    return use


@pytest.fixture
def silent_cache_server():
    """The URL of a server that accepts connections and never says a word."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


def test_without_a_cache_url_each_process_keeps_its_cache_in_memory_and_no_page_cache(
    production_settings,
):
    settings = production_settings("CACHES", "WAGTAIL_CACHE")

    assert {alias: cache["BACKEND"] for alias, cache in settings["CACHES"].items()} == {
        "default": "django.core.cache.backends.locmem.LocMemCache",
        "renditions": "django.core.cache.backends.locmem.LocMemCache",
        "pages": "django.core.cache.backends.locmem.LocMemCache",
    }
    assert settings["WAGTAIL_CACHE"] is False


def test_a_cache_url_shares_one_server_for_data_renditions_and_pages_with_a_password_file(
    production_settings, tmp_path
):
    password = tmp_path / "cache_password"
    password.write_text(f"{CACHE_PASSWORD}\n")

    settings = production_settings(
        "CACHES",
        "WAGTAIL_CACHE",
        CACHE_URL="redis://cache:6379/0",
        CACHE_PASSWORD_FILE=str(password),
    )
    caches_setting = settings["CACHES"]

    assert {alias: cache["BACKEND"] for alias, cache in caches_setting.items()} == {
        "default": "django_redis.cache.RedisCache",
        "renditions": "django_prometheus.cache.backends.redis.RedisCache",
        "pages": "django_prometheus.cache.backends.redis.RedisCache",
    }
    assert settings["WAGTAIL_CACHE"] is True
    assert caches_setting["pages"]["KEY_PREFIX"] == "pages"
    assert {cache["LOCATION"] for cache in caches_setting.values()} == {"redis://cache:6379/0"}
    assert caches_setting["renditions"]["KEY_PREFIX"] == "renditions"
    assert caches_setting["default"]["OPTIONS"]["PASSWORD"] == CACHE_PASSWORD
    assert caches_setting["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_a_cache_url_of_another_kind_is_refused_in_one_line(run_python):
    result = run_python("manage.py", "check", env={**SITE, "CACHE_URL": "memcached://cache:11211"})

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith("CACHE_URL must start with redis:// or rediss://, got 'memcached'")
    )


def test_the_ratelimit_checks_pass_with_a_cache_server(run_python):
    result = run_python(
        "manage.py", "check", "--fail-level", "WARNING", env={**SITE, "CACHE_URL": AWAY}
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_pages_search_and_password_resets_are_served_while_the_cache_server_is_away(
    client, home_page, cache_server, django_user_model, settings
):
    cache_server(AWAY)
    settings.WAGTAIL_CACHE = True
    django_user_model.objects.create_user("alice", "alice@example.com", "alice-pw-long")
    assert caches["default"].get("anything") is None

    statuses = [
        client.get("/").status_code,
        client.get("/search/", {"query": "home"}).status_code,
        client.post("/admin/password_reset/", {"email": "alice@example.com"}).status_code,
    ]

    assert statuses == [200, 200, 302]


def test_after_a_cache_server_hangs_cache_calls_miss_at_once_for_a_second(
    cache_server, silent_cache_server
):
    cache_server(silent_cache_server)

    def timed_get() -> float:
        start = time.monotonic()
        assert caches["default"].get("anything") is None
        return time.monotonic() - start

    first = timed_get()
    then = [timed_get() for _ in range(20)]
    time.sleep(RETRY_AFTER)
    again = timed_get()

    assert first >= 0.25  # the connect or read timeout
    assert max(then) < 0.05, then
    assert again >= 0.25  # a second later, it tries again
