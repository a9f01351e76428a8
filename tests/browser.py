"""Chromium as the browser tests drive it: Debian's package in the test image, through
Playwright (`playwright install` downloads its browsers from a CDN)."""

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

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
