"""What search engines and link previews read: meta description, canonical URL, Open Graph
and Twitter cards, sitemap.xml, robots.txt and the favicon set."""

from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from wagtail.images.models import Image
from wagtail.models import PageViewRestriction

from home.models import StandardPage
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db

# The default Site of the data migration: localhost, port 80.
SITE_URL = "http://localhost"
FAVICONS = {
    "img/favicon.svg": None,
    "img/favicon.ico": "ICO",
    "img/favicon-32x32.png": "PNG",
    "img/apple-touch-icon.png": "PNG",
}


@pytest.fixture(autouse=True)
def no_cached_renditions():
    """Wagtail caches renditions by image id in the default cache, and ids come again once
    an earlier test's rows are rolled back: a test must not find another's rendition."""
    cache.clear()


class HeadTags(HTMLParser):
    """The <meta> and <link> tags of a page: meta content by name or property, link hrefs
    by rel (several links may share a rel, as icons do)."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, list[dict[str, str]]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("name") or attrs["property"]
            assert key not in self.meta, f"<meta {key}> appears twice"
            self.meta[key] = attrs.get("content", "")
        elif tag == "link":
            self.links.setdefault(attrs.get("rel", ""), []).append(attrs)


def head_tags(client, path: str, status: int = 200) -> HeadTags:
    response = client.get(path)
    assert response.status_code == status
    tags = HeadTags()
    tags.feed(response.content.decode())
    return tags


def canonical(tags: HeadTags) -> str:
    (link,) = tags.links["canonical"]
    return link["href"]


def og_and_twitter(tags: HeadTags) -> dict[str, str]:
    return {key: value for key, value in tags.meta.items() if key.startswith(("og:", "twitter:"))}


def add_page(parent, **fields) -> StandardPage:
    return parent.add_child(instance=StandardPage(**fields))


def uploaded_image(title="Stripes", description="Black and white stripes") -> Image:
    """A Wagtail image of 1600x1000 pixels: larger than the share size both ways."""
    picture = ContentFile(png_bytes(1600, 1000), name="stripes.png")
    return Image.objects.create(title=title, description=description, file=picture)


def image_block(image) -> tuple[str, dict]:
    return ("image", {"image": image, "caption": ""})


# ---------------------------------------------------------------------------
# Meta description
# ---------------------------------------------------------------------------
def test_a_pages_search_description_becomes_its_meta_description(client, home_page):
    add_page(home_page, title="About", slug="about", search_description="Who we are & why.")

    tags = head_tags(client, "/about/")

    assert tags.meta["description"] == "Who we are & why."


def test_a_page_without_a_search_description_gets_the_site_description(client, home_page, settings):
    settings.SITE_DESCRIPTION = "A site about zebras."
    add_page(home_page, title="About", slug="about")

    assert head_tags(client, "/about/").meta["description"] == "A site about zebras."


def test_the_site_description_has_a_default_sentence(settings):
    assert len(settings.SITE_DESCRIPTION.split()) >= 8
    assert settings.SITE_DESCRIPTION.endswith(".")


def test_search_and_404_pages_get_the_site_description(client, home_page, settings):
    settings.SITE_DESCRIPTION = "A site about zebras."

    assert head_tags(client, "/search/?query=zebra").meta["description"] == "A site about zebras."
    missing = head_tags(client, "/no-such-page/", status=404)
    assert missing.meta["description"] == "A site about zebras."


# ---------------------------------------------------------------------------
# Canonical URL
# ---------------------------------------------------------------------------
def test_a_pages_canonical_url_is_its_full_url_on_the_site(client, home_page):
    about = add_page(home_page, title="About", slug="about")

    assert canonical(head_tags(client, "/")) == f"{SITE_URL}/" == home_page.full_url
    assert canonical(head_tags(client, "/about/?utm_source=x")) == f"{SITE_URL}/about/"
    assert about.full_url == f"{SITE_URL}/about/"


def test_the_search_pages_canonical_url_leaves_out_the_query(client, home_page):
    tags = head_tags(client, "/search/?query=zebra&page=2")

    assert canonical(tags) == "http://testserver/search/"


# ---------------------------------------------------------------------------
# Open Graph and Twitter cards
# ---------------------------------------------------------------------------
def test_a_page_without_an_image_has_a_summary_card(client, home_page):
    add_page(
        home_page, title="About", slug="about", seo_title="About the zebra project",
        search_description="Who we are.",
    )  # fmt: skip

    tags = og_and_twitter(head_tags(client, "/about/"))

    assert tags == {
        "og:type": "article",
        "og:site_name": "bfportal",
        "og:title": "About the zebra project",
        "og:description": "Who we are.",
        "og:url": f"{SITE_URL}/about/",
        "twitter:card": "summary",
        "twitter:title": "About the zebra project",
        "twitter:description": "Who we are.",
    }


def test_the_home_page_is_shared_as_the_website_under_its_title(client, home_page):
    tags = og_and_twitter(head_tags(client, "/"))

    assert tags["og:type"] == "website"
    assert tags["og:title"] == tags["twitter:title"] == "Home"
    assert tags["og:url"] == f"{SITE_URL}/"


def test_a_pages_first_image_block_is_its_large_share_image(client, home_page):
    first, second = uploaded_image("First"), uploaded_image("Second", description="")
    add_page(
        home_page, title="Gallery", slug="gallery",
        body=[("heading", "Pictures"), image_block(first), image_block(second)],
    )  # fmt: skip

    tags = og_and_twitter(head_tags(client, "/gallery/"))

    rendition = first.get_rendition("fill-1200x630")
    assert tags["og:image"] == f"http://testserver{rendition.url}"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == tags["twitter:image:alt"] == "Black and white stripes"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]


def test_the_home_pages_hero_image_comes_before_its_body_images(client, home_page):
    hero, in_body = uploaded_image("Hero"), uploaded_image("In the body")
    home_page.hero_image = hero
    home_page.body = [image_block(in_body)]
    home_page.save_revision().publish()

    tags = og_and_twitter(head_tags(client, "/"))

    assert tags["og:image"].endswith(hero.get_rendition("fill-1200x630").url)
    assert tags["twitter:card"] == "summary_large_image"


def test_an_image_whose_file_is_missing_leaves_the_page_without_a_share_image(client, home_page):
    image = uploaded_image()
    image.file.storage.delete(image.file.name)
    add_page(home_page, title="Gallery", slug="gallery", body=[image_block(image)])

    tags = og_and_twitter(head_tags(client, "/gallery/"))

    assert "og:image" not in tags
    assert tags["twitter:card"] == "summary"


def test_views_that_are_no_page_have_no_share_tags(client, home_page):
    assert og_and_twitter(head_tags(client, "/search/?query=zebra")) == {}
    assert og_and_twitter(head_tags(client, "/no-such-page/", status=404)) == {}


# ---------------------------------------------------------------------------
# sitemap.xml and robots.txt
# ---------------------------------------------------------------------------
def test_the_sitemap_lists_live_public_pages_only(client, home_page):
    about = add_page(home_page, title="About", slug="about")
    add_page(about, title="Team", slug="team")
    add_page(home_page, title="Draft", slug="draft", live=False)
    private = add_page(home_page, title="Staff only", slug="staff-only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    sitemap = response.content.decode()
    locations = [part.split("</loc>")[0] for part in sitemap.split("<loc>")[1:]]
    assert locations == [f"{SITE_URL}/", f"{SITE_URL}/about/", f"{SITE_URL}/about/team/"]


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines


# ---------------------------------------------------------------------------
# Favicons
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", FAVICONS)
def test_each_favicon_is_a_static_file_that_pages_link(client, home_page, name):
    tags = head_tags(client, "/")

    icons = tags.links["icon"] + tags.links["apple-touch-icon"]
    assert f"/static/{name}" in [icon["href"] for icon in icons]
    assert finders.find(name), f"{name} is not among the static files"


@pytest.mark.parametrize(
    ("name", "sizes"),
    [
        ("img/favicon.ico", {(16, 16), (32, 32), (48, 48)}),
        ("img/favicon-32x32.png", {(32, 32)}),
        ("img/apple-touch-icon.png", {(180, 180)}),
    ],
)
def test_the_bitmap_favicons_have_the_sizes_they_are_linked_with(client, home_page, name, sizes):
    with PillowImage.open(finders.find(name)) as picture:
        assert picture.format == FAVICONS[name]
        assert picture.info.get("sizes", {picture.size}) == sizes
    linked = next(
        link
        for rel in ("icon", "apple-touch-icon")
        for link in head_tags(client, "/").links[rel]
        if link["href"] == f"/static/{name}"
    )
    if linked["rel"] == "icon":
        assert {tuple(map(int, size.split("x"))) for size in linked["sizes"].split()} == sizes


def test_the_apple_touch_icon_is_opaque():
    # iOS shows transparent corners black: the icon is a full square it rounds itself.
    with PillowImage.open(finders.find("img/apple-touch-icon.png")) as picture:
        assert picture.mode == "RGB"


def test_favicon_ico_at_the_site_root_leads_to_the_static_file(client, db, settings):
    # WhiteNoise serves from the static finders, as in development (tests never collect).
    settings.WHITENOISE_USE_FINDERS = True

    response = client.get("/favicon.ico", follow=True)

    assert response.redirect_chain == [("/static/img/favicon.ico", 302)]
    assert response.status_code == 200
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert b"".join(response.streaming_content) == icon.read()
