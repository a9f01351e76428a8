"""The full-page cache that every replica shares: a page one replica stored is a hit on the
others, and what an editor publishes or unpublishes in Chromium shows on the next anonymous
request to each replica, within a second. Each replica is asked directly, as Caddy would."""

import re
import secrets
import time

import pytest
from playwright.sync_api import expect

from tests.browser import publish, signed_in_admin
from tests.containers import HOME_PAGE_ID, PAGE_ID


@pytest.fixture(scope="module")
def editor(browser, swarm, admin_user):
    """Chromium, signed in to the admin through Caddy, for the module's tests."""
    with signed_in_admin(browser, swarm.url, *admin_user) as page:
        yield page


@pytest.fixture
def cached_page(stack, admin) -> tuple[int, str]:
    """A published page that every replica has answered from the cache: its id and path."""
    slug = f"cached-{secrets.token_hex(4)}"
    path = admin.publish_page(int(stack.manage(HOME_PAGE_ID)), "Opening hours", slug, "At nine.")
    page_id = int(stack.manage(PAGE_ID.format(slug=slug)))
    stack.on_replica(stack.task_addresses()[0], path)
    hits = [stack.on_replica(a, path).headers["X-Cache"] for a in stack.task_addresses()]
    assert hits == ["hit"] * 3
    return page_id, path


def on_every_replica(stack, path: str) -> tuple[float, list]:
    """Each replica's answer for `path`, and how long asking them all took."""
    start = time.monotonic()
    answers = [stack.on_replica(address, path) for address in stack.task_addresses()]
    return time.monotonic() - start, answers


def test_a_change_published_in_chromium_shows_on_every_replica_at_once(stack, cached_page, editor):
    page_id, path = cached_page
    editor.goto(f"{stack.url}/admin/pages/{page_id}/edit/")
    editor.locator("#id_introduction").fill("At ten.")
    publish(editor)
    expect(editor.get_by_role("status")).to_contain_text("has been published")

    seconds, answers = on_every_replica(stack, path)

    assert ["At ten." in answer.text for answer in answers] == [True] * 3
    assert seconds < 1


def test_a_page_unpublished_in_chromium_is_gone_from_every_replica_at_once(
    stack, cached_page, editor
):
    page_id, path = cached_page
    editor.goto(f"{stack.url}/admin/pages/{page_id}/unpublish/")
    editor.get_by_role("button", name=re.compile(r"^Yes, unpublish it")).click()
    expect(editor.get_by_role("status")).to_contain_text(re.compile("unpublished", re.I))

    seconds, answers = on_every_replica(stack, path)

    assert [answer.status_code for answer in answers] == [404] * 3
    assert seconds < 1
