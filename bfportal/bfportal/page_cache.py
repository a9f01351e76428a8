"""The full-page cache for anonymous visitors: wagtail-cache's middleware on the `pages` cache
(PAGE_CACHE), purged whenever what any page shows may have changed.

Never cached: a logged-in user's response, a preview, anything but GET and HEAD (wagtail-cache
itself), a page under a view restriction and a private document (Wagtail marks them never to
be cached), a response that sets a cookie, and search results for a query (the hooks below).

A purge starts a new generation, which every page key carries, rather than deleting keys:
a page rendered from the old content and stored just after the purge would outlive a
deletion, but it is stored under the old generation, which no request reads any more. Every
page's header lists the site's pages, so any publish, unpublish, move or deletion of a page
purges them all; so do view restrictions and redirects, which change what a path answers, and
every start of web (bfportal/startup.py): a restore, or anything else done while web was away.
"""

import contextvars
import os
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "page-cache-generation"
RELEASE = os.environ.get("APP_VERSION", "dev")
# Within a request, the generation it started with, so that its lookup and its store use the
# same one; _UNREAD until the first key is made. Outside a request (None), read each time.
_UNREAD = object()
_generation = contextvars.ContextVar("page_cache_generation", default=None)


def generation() -> int:
    current = _generation.get()
    if isinstance(current, int):
        return current
    store = caches["default"]
    # Missing on a new (or restarted) cache server: a new one, never an old one again.
    store.add(GENERATION_KEY, time.time_ns(), timeout=None)
    value = store.get(GENERATION_KEY) or 0
    if current is _UNREAD:
        _generation.set(value)
    return value


def make_key(key: str, key_prefix: str, version: int) -> str:
    """The `pages` cache's KEY_FUNCTION: a release never serves another's pages."""
    return f"{key_prefix}:{version}:{RELEASE}:{generation()}:{key}"


def purge_now() -> None:
    caches["default"].set(GENERATION_KEY, time.time_ns(), timeout=None)


def purge() -> None:
    """Every cached page is stale from the moment the transaction commits."""
    transaction.on_commit(purge_now)


class PageCacheMiddleware:
    """Around wagtail-cache's: one generation per request, and browsers told to ask again each
    time, since a purge cannot reach their copies (wagtail-cache would let them keep a page for
    the cache's whole timeout)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _generation.set(_UNREAD)
        try:
            response = self.get_response(request)
        finally:
            _generation.reset(token)
        if response.get(settings.WAGTAIL_CACHE_HEADER) in ("hit", "miss"):
            response["Cache-Control"] = "no-cache"
            del response["Expires"]
        return response


def is_request_cacheable(request, is_cacheable: bool) -> bool | None:
    """wagtail-cache's hook: search results for a query are not (the empty form may be)."""
    if request.path == reverse("search") and request.GET.get("query"):
        return False
    return None


def is_response_cacheable(response, is_cacheable: bool) -> bool | None:
    """wagtail-cache's hook: a response that sets a cookie is not."""
    if response.cookies:
        return False
    return None


def _purge_on(**kwargs) -> None:
    purge()


def _purge_on_page_delete(instance, **kwargs) -> None:
    if isinstance(instance, Page):
        purge()


def connect_signals() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge_on)
    post_delete.connect(_purge_on_page_delete)
    for model in (PageViewRestriction, Redirect):
        post_save.connect(_purge_on, sender=model)
        post_delete.connect(_purge_on, sender=model)
