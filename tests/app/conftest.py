"""Fixtures for the Django app suite: an isolated media folder, an editor, the home page,
and production's settings as a given environment makes them."""

import json

import pytest
from django.core.cache import caches
from wagtail.models import Site

from tests.factories import PRODUCTION_SETTINGS

READ_SETTINGS = """
import django, json, sys
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}, default=str))
"""
# A production site the settings accept.
SITE = {**PRODUCTION_SETTINGS, "ALLOWED_HOSTS": "www.example.com"}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own temporary folder, never in data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches, the counts of the abuse limits among them."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def home_page(db):
    """The HomePage that the data migration made the default site's root."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)
    return client


@pytest.fixture
def production_settings(run_python):
    """production_settings("NAME", ..., VARIABLE="value"): those settings, as JSON values,
    of a fresh production process whose environment adds the variables to SITE's."""

    def read(*names: str, **env: str) -> dict:
        result = run_python("-c", READ_SETTINGS, *names, env={**SITE, **env})
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return read
