"""Chromium as the browser tests drive it: Debian's package in the test image, through
Playwright (`playwright install` downloads its browsers from a CDN)."""

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

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
]


@contextmanager
def chromium(*extra_args: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args]
        )
        try:
            yield browser
        finally:
            browser.close()
