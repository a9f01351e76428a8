"""Fixtures for the Django app suite: an isolated media folder, an editor, the home page."""

import pytest
from wagtail.models import Site


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own temporary folder, never in data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home_page(db):
    """The HomePage that the data migration made the default site's root."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(editor)
    return client
