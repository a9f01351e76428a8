"""The full-page cache through Caddy: an anonymous visitor's second request is a hit and says
so, and what an editor publishes, unpublishes or deletes in Chromium shows on the very next
anonymous request, within a second."""

import re
import secrets
import time

import pytest
from playwright.sync_api import expect

from tests.browser import publish, signed_in_admin
from tests.containers import PAGE_ID, django_shell


@pytest.fixture(scope="module")
def editor(browser, prod_stack, admin_user):
    """Chromium, signed in to the admin, for the module's tests."""
    with signed_in_admin(browser, prod_stack.url, *admin_user) as page:
        yield page


@pytest.fixture
def cached_page(stack, admin, home_page_id) -> tuple[int, str]:
    """A published page, in the cache: its id and path."""
    slug = f"cached-{secrets.token_hex(4)}"
    path = admin.publish_page(home_page_id, "Opening hours", slug, "Open at nine.")
    page_id = int(django_shell(stack.container("web"), PAGE_ID.format(slug=slug)))
    stack.get(path)
    return page_id, path


def after(stack, path: str, done) -> tuple[float, object]:
    """The first anonymous answer for `path` once `done()` has returned, and how long after."""
    done()
    start = time.monotonic()
    response = stack.get(path)
    return time.monotonic() - start, response


def test_an_anonymous_visitors_second_request_is_a_hit(stack, cached_page):
    _, path = cached_page

    response = stack.get(path)

    assert (response.status_code, response.headers["X-Cache"]) == (200, "hit")
    assert response.headers["Cache-Control"] == "no-cache"


def test_a_change_published_in_chromium_shows_on_the_next_anonymous_request(
    stack, cached_page, editor
):
    page_id, path = cached_page
    assert stack.get(path).headers["X-Cache"] == "hit"

    def publish_a_change():
        editor.goto(f"{stack.url}/admin/pages/{page_id}/edit/")
        editor.locator("#id_introduction").fill("Open at ten.")
        publish(editor)
        expect(editor.get_by_role("status")).to_contain_text("has been published")

    seconds, response = after(stack, path, publish_a_change)

    assert "Open at ten." in response.text
    assert seconds < 1


DONE = {"unpublish": "unpublished", "delete": "deleted"}


@pytest.mark.parametrize("action", DONE)
def test_a_page_unpublished_or_deleted_in_chromium_is_gone_on_the_next_anonymous_request(
    stack, cached_page, editor, action
):
    page_id, path = cached_page
    assert stack.get(path).headers["X-Cache"] == "hit"

    def confirm():
        editor.goto(f"{stack.url}/admin/pages/{page_id}/{action}/")
        editor.get_by_role("button", name=re.compile(rf"^Yes, {action} it")).click()
        expect(editor.get_by_role("status")).to_contain_text(re.compile(DONE[action], re.I))

    seconds, response = after(stack, path, confirm)

    assert response.status_code == 404
    assert seconds < 1
