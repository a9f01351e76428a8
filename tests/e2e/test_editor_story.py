"""An editor's first day, in the production image: write a page, publish it, find it; then
upload a picture and put it on a page."""

import re
import secrets

from playwright.sync_api import Page, expect

from tests.browser import publish
from tests.factories import png_bytes


def unique_word() -> str:
    """A word no other page holds, so that search and menus cannot confuse runs or tests."""
    return "quagga" + secrets.token_hex(4)


def start_page_under_home(page: Page, url: str, title: str) -> None:
    """From the page explorer to a new page's editor, choosing Home as the parent."""
    page.goto(url + "/admin/pages/")
    page.get_by_role("link", name="Home", exact=True).click()  # opens Home in the editor
    home_id = re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1)
    page.goto(f"{url}/admin/pages/{home_id}/")
    page.get_by_role("link", name="Add child page").click()
    # Home allows only standard pages below it, so Wagtail skips the page type choice.
    expect(page.get_by_role("heading", name="New: Standard page")).to_be_visible()
    page.locator("#id_title").fill(title)


def insert_block(page: Page, kind: str) -> None:
    """Append a block to the page body through the block picker."""
    page.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name=kind, exact=True).click()


def publish_and_view_live(page: Page, title: str) -> None:
    publish(page)
    messages = page.get_by_role("status")
    # Which message comes depends on whether an autosave had made the page first.
    published = rf"Page '{re.escape(title)}' (created and published|has been published)"
    expect(messages).to_contain_text(re.compile(published))
    messages.get_by_role("link", name="View live").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_editor_publishes_a_page_that_the_site_shows_and_search_finds(final_server, admin_page):
    page, word = admin_page, unique_word()
    title = f"Field notes {word}"
    body_word = unique_word()  # only in the rich text, so search must index the body

    start_page_under_home(page, final_server.url, title)
    insert_block(page, "Heading")
    page.locator("input[name='body-0-value']").fill("Where the stripes end")
    insert_block(page, "Paragraph")
    rich_text = page.locator("[data-contentpath='body'] [role='textbox'][contenteditable='true']")
    rich_text.click()
    expect(rich_text).to_be_focused()
    rich_text.press_sequentially(f"Half zebra, half horse: the {body_word} was last seen in 1883.")
    # Draftail saves to the form's hidden field after a short pause in typing: publishing
    # before that would publish an empty paragraph.
    expect(page.locator("input[name='body-1-value']")).to_have_value(re.compile(body_word))
    publish_and_view_live(page, title)

    expect(page).to_have_url(re.compile(rf"{final_server.url}/field-notes-{word}/$"))
    expect(page.get_by_role("heading", level=2)).to_have_text("Where the stripes end")
    expect(page.locator(".rich-text")).to_contain_text(f"the {body_word} was last seen")

    page.get_by_role("searchbox", name="Search").first.fill(body_word)
    page.keyboard.press("Enter")
    results = page.get_by_test_id("search-results")
    expect(results.get_by_role("link")).to_have_text([title])
    results.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_editor_uploads_an_image_and_places_it_on_a_page(
    final_server, admin_page, problems, tmp_path
):
    page, word = admin_page, unique_word()
    picture = tmp_path / "stripes.png"
    picture.write_bytes(png_bytes(400, 300))
    image_title = f"Stripes {word}"

    page.goto(final_server.url + "/admin/images/")
    page.get_by_role("link", name="Add an image").first.click()
    page.locator("input[type='file']").set_input_files(picture)
    upload = page.locator("#upload-list > li").last
    upload.get_by_label("Title").fill(image_title)
    upload.get_by_label("Description").fill("Black and white noise")
    upload.get_by_role("button", name="Update").click()
    expect(page.locator("main").get_by_role("status")).to_contain_text("Image updated.")

    title = f"Gallery {word}"
    start_page_under_home(page, final_server.url, title)
    insert_block(page, "Image")
    page.get_by_role("button", name="Choose an image").click()
    page.get_by_role("dialog").get_by_role("link", name=image_title).click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.locator("input[name='body-0-value-caption']").fill("Noise, photographed")
    publish_and_view_live(page, title)

    figure = page.get_by_role("figure")
    image = figure.get_by_role("img", name="Black and white noise")
    expect(image).to_have_attribute("src", re.compile(r"^/media/images/stripes.*\.png$"))
    expect(figure).to_contain_text("Noise, photographed")
    # Decoded and drawn, not a broken-image icon: the rendition came back from /media/.
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    renditions = [(status, url) for kind, status, url in problems.assets if "/media/" in url]
    assert renditions and all(status == 200 for status, _ in renditions), renditions
