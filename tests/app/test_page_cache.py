"""The full-page cache (bfportal/page_cache.py, wagtail-cache): an anonymous visitor's second
request for a page is answered from the cache without a database query, and never with a page
that a publish, unpublish, move or deletion has made stale. Logged-in users, previews, private
pages, POSTs, responses that set a cookie and search results are never cached."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from bfportal import page_cache
from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """As with a cache server (PAGE_CACHE's default with CACHE_URL)."""
    settings.WAGTAIL_CACHE = True


@pytest.fixture
def page(home_page):
    return home_page.add_child(
        instance=StandardPage(title="Opening hours", slug="hours", introduction="Open at nine.")
    )


@pytest.fixture
def visitor():
    """An anonymous visitor, apart from `client`, which editor_client logs in."""
    return Client()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """What runs when the editor's transaction commits (the purge) runs at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def visit(client, path: str):
    response = client.get(path)
    return response.status_code, response.get("X-Cache"), response.content.decode()


def cached(client, path: str) -> tuple[int, str, str]:
    """The path as a second anonymous visit gets it."""
    client.get(path)
    return visit(client, path)


def test_a_second_anonymous_visit_is_a_hit_without_a_database_query(
    client, page, django_assert_num_queries
):
    first = client.get(page.url)
    with django_assert_num_queries(0):
        second = client.get(page.url)

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    # Browsers ask again every time: a purge cannot reach their copies.
    assert second["Cache-Control"] == "no-cache"
    assert "Expires" not in second


def test_a_published_change_shows_on_the_next_visit(client, page, committed):
    cached(client, page.url)
    page.introduction = "Open at ten."
    with committed():
        page.save_revision().publish()

    status, cache, html = visit(client, page.url)

    assert (status, cache) == (200, "miss")
    assert "Open at ten." in html


def test_a_new_page_shows_in_every_cached_pages_menu(client, home_page, page, committed):
    cached(client, "/")
    with committed():
        new = home_page.add_child(instance=StandardPage(title="Prices", slug="prices", live=False))
        new.save_revision().publish()

    assert "/prices/" in visit(client, "/")[2]


def test_an_unpublished_page_is_gone_on_the_next_visit(client, page, committed):
    cached(client, page.url)
    with committed():
        page.unpublish()

    assert visit(client, "/hours/")[0] == 404


def test_a_moved_page_is_at_its_new_address_on_the_next_visit(client, home_page, page, committed):
    parent = home_page.add_child(instance=StandardPage(title="About", slug="about"))
    cached(client, "/hours/")
    with committed():
        page.move(parent, pos="last-child")

    moved = client.get("/hours/")

    assert (moved.status_code, moved["Location"]) == (301, "/about/hours/")  # Wagtail's redirect
    assert visit(client, "/about/hours/")[0] == 200


def test_a_deleted_page_is_gone_on_the_next_visit(client, page, committed):
    cached(client, page.url)
    with committed():
        page.delete()

    assert visit(client, "/hours/")[0] == 404


def test_a_scheduled_publication_shows_on_the_next_visit(client, page, committed):
    cached(client, page.url)
    page.introduction = "Open at eight."
    page.save_revision(approved_go_live_at=timezone.now() - timezone.timedelta(seconds=1))
    with committed():
        call_command("publish_scheduled")

    assert "Open at eight." in visit(client, page.url)[2]


def test_a_page_rendered_before_a_purge_and_stored_after_it_is_never_served(
    client, page, monkeypatch
):
    serve = StandardPage.serve

    def serve_then_publish_elsewhere(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs)
        page_cache.caches["default"].set(page_cache.GENERATION_KEY, 1, timeout=None)
        return response

    monkeypatch.setattr(StandardPage, "serve", serve_then_publish_elsewhere)
    assert visit(client, page.url)[1] == "miss"
    monkeypatch.setattr(StandardPage, "serve", serve)

    assert visit(client, page.url)[1] == "miss"
    assert visit(client, page.url)[1] == "hit"


def test_a_logged_in_editor_never_gets_nor_leaves_a_cached_page(visitor, editor_client, page):
    editor_visit = visit(editor_client, page.url)
    anonymous_visit = visit(visitor, page.url)
    cached(visitor, page.url)

    assert editor_visit[1] == "skip"
    assert anonymous_visit[1] == "miss"
    assert visit(editor_client, page.url)[1] == "skip"


def test_a_preview_is_never_cached(editor_client, page):
    preview = f"/admin/pages/{page.id}/edit/preview/"

    responses = [editor_client.get(preview, {"mode": ""}) for _ in range(2)]

    assert [response.status_code for response in responses] == [200, 200]
    assert [response["X-Cache"] for response in responses] == ["skip", "skip"]


@pytest.mark.parametrize("restriction", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_a_private_page_is_never_cached_for_anyone(visitor, editor_client, page, restriction):
    PageViewRestriction.objects.create(page=page, restriction_type=restriction, password="pw")  # noqa: S106
    editor_view = visit(editor_client, page.url)

    answers = [visitor.get(page.url) for _ in range(2)]

    assert editor_view[0] == 200
    if restriction == PageViewRestriction.LOGIN:
        assert [answer.status_code for answer in answers] == [302, 302]
        assert answers[1]["Location"].endswith("login/?next=/hours/")
    else:
        assert 'name="password"' in answers[1].content.decode()
    assert [answer["X-Cache"] for answer in answers] == ["skip", "skip"]


def test_a_post_is_never_cached(client, page):
    statuses = [client.post(page.url)["X-Cache"] for _ in range(2)]

    assert statuses == ["skip", "skip"]


def test_a_response_that_sets_a_cookie_is_never_cached(client, page, monkeypatch):
    serve = StandardPage.serve

    def serve_with_a_cookie(self, request, *args, **kwargs):
        response = serve(self, request, *args, **kwargs)
        response.set_cookie("seen", "1")
        return response

    monkeypatch.setattr(StandardPage, "serve", serve_with_a_cookie)

    assert [visit(client, page.url)[1] for _ in range(2)] == ["skip", "skip"]


def test_search_results_are_never_cached_but_the_empty_search_page_is(client, page):
    results = [client.get("/search/", {"query": "opening"}) for _ in range(2)]

    assert [result["X-Cache"] for result in results] == ["skip", "skip"]
    assert cached(client, "/search/")[1] == "hit"
