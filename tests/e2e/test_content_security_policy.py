"""Chromium enforces the site's Content-Security-Policy and reports no violation on the public
pages or in the admin: the policy blocks nothing the site itself needs."""

import pytest
from playwright.sync_api import Page

from tests.containers import HOME_PAGE_ID, django_shell

# Runs before the page's own scripts: every violation the browser reports is kept.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def violations_on(page: Page, url: str) -> list[str]:
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(url, wait_until="load")
    assert response.status == 200, f"{url}: HTTP {response.status}"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Scripts that start work after load (the editor's widgets) get a moment to run.
    page.wait_for_timeout(1000)
    return page.evaluate("window.cspViolations")


@pytest.mark.parametrize("path", ["/", "/search/?query=welcome"], ids=["home", "search"])
def test_public_pages_break_no_rule_of_their_policy(final_server, page, problems, path):
    assert violations_on(page, final_server.url + path) == []
    assert problems.console_errors == []


def test_the_admin_dashboard_and_page_editor_break_no_rule_of_their_policy(
    final_server, admin_page, problems
):
    home_id = django_shell(final_server.id, HOME_PAGE_ID)

    assert violations_on(admin_page, final_server.url + "/admin/") == []
    assert violations_on(admin_page, f"{final_server.url}/admin/pages/{home_id}/edit/") == []
    assert problems.console_errors == []
