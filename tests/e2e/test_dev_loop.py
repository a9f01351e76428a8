"""The dev loop in a browser: edits in ./bfportal show up without restarting anything.

The page is opened once and never navigated by the test: django-browser-reload reloads it
when a template, the Tailwind watcher's CSS or (after runserver restarts) Python changes.
"""

import secrets
import time

import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

# Generous bounds for a loaded CI runner; the measured times are printed (typically 1-5 s).
# runserver's StatReloader, which django-browser-reload rides on, polls every file of every
# static folder (Wagtail's admin has thousands) once a second: slow on a busy machine.
STYLE_TIMEOUT_MS = 30_000
PYTHON_RELOAD_TIMEOUT_MS = 30_000


def wait_until(page, condition: str, arg, timeout_ms: int, diagnose=lambda: "") -> float:
    """Seconds until `condition(arg)` holds in the page; survives the page reloading.
    On a timeout, the failure says what the server had by then (diagnose())."""
    started = time.monotonic()
    try:
        page.wait_for_function(condition, arg=arg, polling=100, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        raise AssertionError(f"not in the page within {timeout_ms} ms\n{diagnose()}") from None
    return time.monotonic() - started


def served_page(stack) -> str:
    return requests.get(stack.url + "/", timeout=10).text


def served_css(stack) -> str:
    return requests.get(stack.stylesheet_url(), timeout=10).text


def test_a_tailwind_class_new_to_the_templates_styles_the_open_page(
    dev_stack, page, edit_project_file
):
    # An arbitrary-value class with a random colour: no template has used it, in this run
    # or an earlier one (the watcher keeps classes it has seen until it restarts).
    colour = secrets.token_hex(3)
    utility = f"bg-[#{colour}]"
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    assert colour not in served_css(dev_stack)
    page.goto(dev_stack.url + "/")
    brand = page.get_by_test_id("brand")
    expect(brand).to_have_css("background-color", "rgba(0, 0, 0, 0)")
    containers = dev_stack.started_at()

    edit_project_file(
        "bfportal/templates/base.html",
        'tracking-tight text-indigo-700" data-testid="brand"',
        f'tracking-tight text-indigo-700 {utility}" data-testid="brand"',
    )
    took = wait_until(
        page,
        """rgb => {
            const brand = document.querySelector('[data-testid="brand"]');
            return brand && getComputedStyle(brand).backgroundColor === rgb;
        }""",
        f"rgb({red}, {green}, {blue})",
        STYLE_TIMEOUT_MS,
        diagnose=lambda: (
            f"served page has {utility}: {utility in served_page(dev_stack)}; "
            f"served CSS has it: {colour in served_css(dev_stack)}\n"
            f"{dev_stack.logs('tailwind', 'web')}"
        ),
    )

    print(f"\n{utility}: template saved to styled page in {took:.1f}s")
    assert colour in served_css(dev_stack)
    assert dev_stack.started_at() == containers, "a container restarted"


def test_a_changed_python_string_reaches_the_open_page_after_runserver_reloads(
    dev_stack, page, edit_project_file
):
    token = secrets.token_hex(4)
    page.goto(dev_stack.url + "/")
    menu = page.get_by_test_id("main-menu")
    expect(menu.get_by_role("link").first).to_have_text("Home")
    containers = dev_stack.started_at()

    # The menu's first link title comes from the main_menu template tag (Python), which
    # runserver has imported: only its autoreloader restarting can show the new text.
    edit_project_file(
        "home/templatetags/navigation.py", '"title": "Home"', f'"title": "Home {token}"'
    )
    took = wait_until(
        page,
        """token => document.querySelector('[data-testid="main-menu"]')
            ?.textContent.includes(token)""",
        token,
        PYTHON_RELOAD_TIMEOUT_MS,
        diagnose=lambda: (
            f"served page has it: {token in served_page(dev_stack)}\n{dev_stack.logs('web')}"
        ),
    )

    print(f"\nnavigation.py: saved to reloaded page in {took:.1f}s")
    assert "navigation.py changed, reloading." in dev_stack.logs("web", tail=200)
    assert dev_stack.started_at() == containers, "a container restarted"
