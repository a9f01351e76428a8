"""Chromium as the browser tests drive it: Debian's package in the test image, through
Playwright (`playwright install` downloads its browsers from a CDN)."""

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.containers import DEV_WEB, server_name

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    # The runner container is the sandbox: Chromium's own needs user namespaces, which
    # Docker's default seccomp profile refuses.
    "--no-sandbox",
    "--disable-gpu",
    # Chromium's own traffic (component updates, sync, field trials, QUIC) off: on a
    # closed network it can only fail, and tests should depend on the site's requests alone.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Containers in CI give /dev/shm 64 MB, too little for Chromium's shared memory.
    "--disable-dev-shm-usage",
    # The sites under test are plain HTTP on single-label host names (the production stack's
    # HTTPS aside): no HTTPS attempt first. Plain HTTP on a container's name is no secure
    # context, as localhost would be: Chromium would ignore (and report) the sites'
    # Cross-Origin-Opener-Policy header. This run's plain HTTP sites are trusted as localhost.
    "--disable-features=HttpsUpgrades",
    "--unsafely-treat-insecure-origin-as-secure="
    + ",".join(
        f"http://{host}:8000" for host in (server_name("final"), server_name("pristine"), DEV_WEB)
    ),
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """One per session: Playwright's sync API runs one at a time."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Four times WAGTAIL_AUTOSAVE_INTERVAL: an autosave due after the editor's last change has begun.
AUTOSAVE_SETTLED_MS = 2000


def publish(page: Page) -> None:
    """Publish the page open in Wagtail's editor.

    Wagtail autosaves a page as a draft once the editor pauses (WAGTAIL_AUTOSAVE_INTERVAL,
    500 ms): a publish sent while that autosave is in flight can be overwritten by it (Wagtail
    7.4; the page stays a draft), as a person, slower, rarely sees. So, as they would, publish
    once the pause has passed and no autosave is under way."""
    page.wait_for_timeout(AUTOSAVE_SETTLED_MS)
    autosave = page.locator("#w-autosave-indicator")
    expect(autosave).not_to_have_attribute("data-w-autosave-state-value", "saving")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()


@contextmanager
def signed_in_admin(browser: Browser, url: str, username: str, password: str) -> Iterator[Page]:
    """A page of a new context, signed in to the admin at `url` (over HTTPS, whose certificate
    Caddy's own CA signs: taken unverified)."""
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(f"{url}/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{url}/admin/")
        yield page
    finally:
        context.close()
