"""The production image in Chromium: the styles really apply and every asset loads."""

import re

from playwright.sync_api import expect

# Tailwind v4 writes its palette in oklch; Chromium reports computed colours the same way.
INDIGO_700 = "oklch(0.457 0.24 277.023)"


def load_completely(page, url: str) -> None:
    """Navigate and wait for the load event (stylesheets, scripts, images) and web fonts."""
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")


def test_home_page_is_styled_by_tailwind(final_server, page):
    page.goto(final_server.url + "/")

    # Computed styles, not just a <link>: without the CSS the brand would be a blue
    # (rgb(0, 0, 238)) underlined link and the hero a plain white block.
    expect(page.get_by_test_id("brand")).to_have_css("color", INDIGO_700)
    expect(page.get_by_test_id("brand")).to_have_css("text-decoration-line", "none")
    expect(page.get_by_test_id("hero")).to_have_css(
        "background-image", re.compile(r"^linear-gradient\(")
    )
    expect(page.get_by_test_id("hero").get_by_role("heading", level=1)).to_have_css(
        "font-weight", "800"
    )


def test_home_page_has_no_console_errors_or_failed_asset_requests(final_server, page, problems):
    load_completely(page, final_server.url + "/")

    assert problems.console_errors == []
    assert problems.failed_assets == []
    stylesheets = [(status, url) for kind, status, url in problems.assets if kind == "stylesheet"]
    assert len(stylesheets) == 1
    assert stylesheets[0][0] == 200
    assert re.search(r"/static/css/dist/styles\.[0-9a-f]{12}\.css$", stylesheets[0][1])


def test_admin_login_page_loads_all_its_static_assets(final_server, page, problems):
    load_completely(page, final_server.url + "/admin/login/")

    assert problems.console_errors == []
    assert problems.failed_assets == []
    kinds = {kind for kind, _, url in problems.assets if "/static/wagtailadmin/" in url}
    assert {"stylesheet", "script"} <= kinds, problems.assets
    assert all(status == 200 for _, status, _ in problems.assets), problems.assets
    # The admin's own CSS applies: the sign-in button is Wagtail's teal, not a grey default.
    expect(page.get_by_role("button", name="Sign in")).not_to_have_css(
        "background-color", "rgb(239, 239, 239)"
    )
