"""Bounds on what one visitor can make the site do, counted by django-ratelimit in the cache.

Password-reset mails: PASSWORD_RESET_LIMIT per hour for one e-mail address (whoever asks for
it) and PASSWORD_RESET_ADDRESS_LIMIT per hour from one client address (whatever it asks for).
Searches: SEARCH_LIMIT per minute from one client address. Past a limit, 429 and a page
that asks to wait.

The counts are shared only through a shared cache (CACHE_URL): without one, each process
counts on its own. When the cache server is away nothing is refused (RATELIMIT_FAIL_OPEN).
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit


def client_address(group, request) -> str:
    """The client's address as django-axes reads it: behind the trusted proxy, from the
    right-most X-Forwarded-For entry."""
    return get_client_ip_address(request)


def account(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


def password_reset(view):
    per_account = ratelimit(
        group="password-reset-account",
        key=account,
        rate=f"{settings.PASSWORD_RESET_LIMIT}/h",
        method="POST",
    )
    per_address = ratelimit(
        group="password-reset-address",
        key=client_address,
        rate=f"{settings.PASSWORD_RESET_ADDRESS_LIMIT}/h",
        method="POST",
    )
    return per_address(per_account(view))


def search(view):
    return ratelimit(
        group="search", key=client_address, rate=f"{settings.SEARCH_LIMIT}/m", method="GET"
    )(view)


def refused(request, exception):
    """RATELIMIT_VIEW: the page for a request past a limit."""
    return render(request, "429.html", status=429)
