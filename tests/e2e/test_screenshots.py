"""Pictures of the production site for people: saved to artifacts/screenshots/ (CI keeps
them as artifacts). BFPORTAL_UPDATE_SCREENSHOTS=1 also refreshes the README's picture."""

import os
import shutil

from playwright.sync_api import expect

from tests.paths import REPO_ROOT

README_PICTURE = REPO_ROOT / "docs" / "screenshots" / "home.png"
HOME_VIEWPORTS = {
    "home-desktop": {"width": 1280, "height": 800},
    "home-mobile": {"width": 390, "height": 844},
}


def settle(page) -> None:
    """Web fonts ready too (goto already waited for the load event): no half-drawn text."""
    page.evaluate("document.fonts.ready.then(() => true)")


def test_home_page_pictures_at_desktop_and_mobile_widths(
    pristine_final_server, new_page, problems, screenshots
):
    for name, viewport in HOME_VIEWPORTS.items():
        page = new_page(viewport)
        page.goto(pristine_final_server.url + "/")
        expect(page.get_by_test_id("hero")).to_be_visible()
        settle(page)

        path = screenshots / f"{name}.png"
        page.screenshot(path=path, full_page=True)

        assert path.stat().st_size > 10_000, f"{path} looks empty"
    assert problems.failed_assets == []
    assert problems.console_errors == []
    if os.environ.get("BFPORTAL_UPDATE_SCREENSHOTS") == "1":
        README_PICTURE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshots / "home-desktop.png", README_PICTURE)


def test_admin_dashboard_picture(
    pristine_final_server, create_editor, sign_in, page, problems, screenshots
):
    sign_in(page, pristine_final_server, create_editor(pristine_final_server))
    expect(page.get_by_role("heading", name="bfportal", level=1)).to_be_visible()
    settle(page)

    path = screenshots / "admin-dashboard.png"
    page.screenshot(path=path)

    assert path.stat().st_size > 10_000, f"{path} looks empty"
    # Nothing is fetched from third parties (Gravatar, wagtail.org) and nothing fails.
    assert problems.failed_assets == []
    assert problems.console_errors == []
