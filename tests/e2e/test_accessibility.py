"""Accessibility of the production site in Chromium: axe-core checks each kind of page
against WCAG 2.0, 2.1 and 2.2, levels A and AA, and finds nothing to report."""

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.containers import django_shell
from tests.paths import REPO_ROOT

# axe-core's tags for the WCAG success criteria at levels A and AA (2.2 added only AA ones).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# A standard page with every kind of body block, made in the final container the way the
# editor would publish it; prints what the tests need to find it and the home page.
CONTENT_PAGE_SCRIPT = textwrap.dedent(
    """
    import io, json
    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from wagtail.images.models import Image
    from wagtail.models import Site
    from wagtail.rich_text import RichText
    from home.models import StandardPage

    picture = io.BytesIO()
    Picture.new("RGB", (800, 500), "#4338ca").save(picture, "PNG")
    image = Image.objects.create(
        title="Indigo", description="An indigo rectangle",
        file=ImageFile(picture, name="indigo.png"),
    )
    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(instance=StandardPage(
        title="Accessible zebras",
        slug="accessible-zebras",
        introduction="A page with a heading, text, a picture and a call to action.",
        search_description="Checked by axe-core.",
        body=[
            ("heading", "Stripes in the wild"),
            ("paragraph", RichText(
                '<p>Zebras live in Africa. Read <a href="/search/">more about them</a>.</p>'
                "<ul><li>Plains zebra</li><li>Mountain zebra</li></ul>"
            )),
            ("image", {"image": image, "caption": "Not a zebra, but indigo"}),
            ("call_to_action", {
                "title": "Spot one", "text": "Tell us where you saw a zebra.",
                "button_text": "Back home", "page": home, "url": "",
            }),
        ],
    ))
    print(json.dumps({
        "content": page.url, "home_id": home.pk, "page_id": page.pk, "image_id": image.pk,
    }))
    """
)
# Removes them again: the other tests share the container, its menu and its image library.
REMOVE_CONTENT_PAGE_SCRIPT = """
from wagtail.images.models import Image
from wagtail.models import Page
Page.objects.get(pk={page_id}).delete()
Image.objects.get(pk={image_id}).delete()
"""


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe.min.js from the npm package: /node_modules in the test image, which Node's
    lookup from the checkout reaches."""
    result = subprocess.run(
        ["node", "-p", "require.resolve('axe-core/axe.min.js')"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"axe-core is not installed (npm ci):\n{result.stderr}"
    return Path(result.stdout.strip())


@pytest.fixture
def page(new_page) -> Page:
    """A desktop-sized page that runs axe-core, which is injected as an inline script: the
    site's Content-Security-Policy rightly refuses those, so this page's browser ignores it."""
    return new_page(bypass_csp=True)


@pytest.fixture(scope="module")
def site_pages(final_server) -> dict:
    """The content page's path and the home page's id in the final container; the content
    page and its image are gone again after this module's tests."""
    made = json.loads(django_shell(final_server.id, CONTENT_PAGE_SCRIPT))
    yield made
    django_shell(final_server.id, REMOVE_CONTENT_PAGE_SCRIPT.format(**made))


# Violations in Wagtail's own admin markup that this project cannot fix, each an open Wagtail
# bug in 7.4. Left out of the page editor's results for the rule and the elements the
# selector matches only; the test fails once one no longer occurs, so that it goes too.
WAGTAIL_EDITOR_ISSUES = [
    {
        # A field block that is a direct child of a StreamField (our HeadingBlock) is drawn
        # with its label in the block's header, not in a <label> tied to the input.
        # https://github.com/wagtail/wagtail/issues/11179
        "rule": "label",
        "selector": "[data-streamfield-child] > .w-panel > .w-panel__content"
        " > [data-field-wrapper] > [data-field] > [data-field-input] > input",
    },
    {
        # Draftail's contenteditable textbox is not tied to the field's label, and has no
        # aria-label either. https://github.com/wagtail/wagtail/issues/14205
        "rule": "aria-input-field-name",
        "selector": ".Draftail-Editor .public-DraftEditor-content[role='textbox']",
    },
]


def wcag_violations(page: Page, axe_script: Path, known_issues=()) -> dict:
    """axe-core's WCAG A/AA violations in the page as it stands but for the elements that
    `known_issues` excuse: {"violations": [...], "excused": [elements excused per issue]}."""
    page.add_script_tag(path=axe_script)
    return page.evaluate(
        """async ([tags, knownIssues]) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, elementRef: true,
            });
            const excused = knownIssues.map(() => 0);
            const isExcused = (rule, element) => {
                const index = knownIssues.findIndex(
                    issue => issue.rule === rule && element.matches(issue.selector)
                );
                if (index >= 0) excused[index] += 1;
                return index >= 0;
            };
            const violations = [];
            for (const {id, impact, help, nodes} of results.violations) {
                const left = nodes.filter(node => !isExcused(id, node.element));
                const targets = left.map(node => node.target.join(" "));
                if (targets.length) violations.push({id, impact, help, targets});
            }
            return {violations, excused};
        }""",
        [WCAG_TAGS, list(known_issues)],
    )


def report(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "".join(f"    {t}\n" for t in v["targets"])
        for v in violations
    )


def assert_no_violations(page: Page, axe_script: Path, known_issues=()) -> None:
    found = wcag_violations(page, axe_script, known_issues)
    assert found["violations"] == [], (
        f"axe-core found on {page.url}:\n{report(found['violations'])}"
    )
    for issue, excused in zip(known_issues, found["excused"], strict=True):
        print(f"\nexcused as Wagtail's own: {issue['rule']} on {excused} element(s)")
        assert excused, f"{issue['rule']} no longer occurs in Wagtail's markup: drop its exclusion"


def open_fully(page: Page, url: str, status: int = 200) -> None:
    """Navigate and wait for stylesheets, images and web fonts: contrast needs final styles."""
    response = page.goto(url, wait_until="load")
    assert response.status == status, f"{url}: HTTP {response.status}"
    page.evaluate("document.fonts.ready.then(() => true)")


@pytest.mark.parametrize(
    ("name", "status"),
    [("home", 200), ("content", 200), ("search", 200), ("not found", 404), ("admin login", 200)],
)
def test_each_kind_of_public_page_has_no_wcag_violations(
    final_server, site_pages, page, axe_script, name, status
):
    path = {
        "home": "/",
        "content": site_pages["content"],
        "search": "/search/?query=zebras",
        "not found": "/no-such-page/",
        "admin login": "/admin/login/",
    }[name]

    open_fully(page, final_server.url + path, status)
    if name == "search":
        # With results: the list, its links and their descriptions are checked too.
        expect(page.get_by_test_id("search-results").get_by_role("link").first).to_be_visible()

    assert_no_violations(page, axe_script)


def test_the_page_editor_has_no_wcag_violations(final_server, site_pages, admin_page, axe_script):
    page = admin_page
    open_fully(page, f"{final_server.url}/admin/pages/{site_pages['home_id']}/edit/")
    # The body's blocks are drawn by the editor's scripts after the load event.
    expect(page.get_by_role("button", name="Insert a block").first).to_be_visible()

    assert_no_violations(page, axe_script, WAGTAIL_EDITOR_ISSUES)


def test_the_first_tab_stop_is_a_skip_link_that_appears_and_leads_into_the_main_content(
    final_server, page
):
    open_fully(page, final_server.url + "/")
    skip = page.get_by_role("link", name="Skip to main content")
    # Tailwind's sr-only: one clipped pixel, there for screen readers only.
    expect(skip).to_have_css("clip-path", "inset(50%)")

    page.keyboard.press("Tab")

    expect(skip).to_be_focused()
    expect(skip).to_have_css("clip-path", "none")
    assert skip.bounding_box()["width"] > 50, "the focused skip link is not shown"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_the_focused_search_field_shows_an_outline(final_server, page):
    open_fully(page, final_server.url + "/")
    field = page.get_by_role("searchbox", name="Search")

    field.focus()

    expect(field).to_have_css("outline-style", "solid")
    expect(field).to_have_css("outline-width", "2px")
