"""The <head> tags that search engines and link previews read: description, canonical URL,
Open Graph and Twitter cards (base.html renders them with {% seo_meta %})."""

from django import template
from django.conf import settings
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site

register = template.Library()

# The size Facebook, LinkedIn and X show large previews at (1.91:1).
SHARE_IMAGE_FILTER = "fill-1200x630"


def share_image(page):
    """The page's hero image if it has one, else the image of its first body image block."""
    hero = getattr(page, "hero_image", None)
    if hero is not None:
        return hero
    body = getattr(page, "body", None)
    block = body.first_block_by_name("image") if body else None
    # The block's image is None when the image it chose has since been deleted.
    return block.value["image"] if block else None


def share_image_tags(image, request) -> dict | None:
    """What the og:image and twitter:image tags say about `image`, or None without one."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition(SHARE_IMAGE_FILTER)
    except SourceImageIOError:
        # The original file is gone (e.g. a database restored without its media).
        return None
    return {
        # Absolute as it stands when the storage gives full URLs (S3, a CDN).
        "url": request.build_absolute_uri(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text,
    }


@register.inclusion_tag("home/seo_meta.html", takes_context=True)
def seo_meta(context):
    """Description and canonical URL for every view; Open Graph and Twitter card tags for
    Wagtail pages (views that are none, such as search and errors, are not for sharing)."""
    request = context["request"]
    page = context.get("page")
    if not isinstance(page, Page):
        page = None
    canonical_url = page.get_full_url(request) if page else None
    if canonical_url is None:
        # A view that is no page, or a page without a URL (a preview of an unsaved one).
        canonical_url = request.build_absolute_uri(request.path)
    tags = {
        "description": (page and page.search_description) or settings.SITE_DESCRIPTION,
        "canonical_url": canonical_url,
        "page": page,
    }
    if page is None:
        return tags
    site = Site.find_for_request(request)
    return {
        **tags,
        "title": page.seo_title or page.title,
        "site_name": (site and site.site_name) or settings.WAGTAIL_SITE_NAME,
        # The site's root page stands for the whole site; every other page is an article.
        "og_type": "website" if site and site.root_page_id == page.pk else "article",
        "image": share_image_tags(share_image(page), request),
    }
