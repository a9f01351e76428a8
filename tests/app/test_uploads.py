"""Bad uploads in the admin get a clear error and leave nothing behind."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images import get_image_model

from tests.factories import png_bytes

pytestmark = pytest.mark.django_db
ADD_IMAGE_URL = "/admin/images/add/"


def stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_a_valid_image_upload_is_stored(editor_client, settings):
    upload = SimpleUploadedFile("ok.png", png_bytes(), content_type="image/png")

    response = editor_client.post(ADD_IMAGE_URL, {"title": "ok", "file": upload})

    assert response.status_code == 302
    assert get_image_model().objects.count() == 1
    assert stored_files(settings)


def test_a_file_that_is_not_an_image_is_rejected_and_nothing_is_stored(editor_client, settings):
    upload = SimpleUploadedFile("notes.png", b"these are not pixels", content_type="image/png")

    response = editor_client.post(ADD_IMAGE_URL, {"title": "fake", "file": upload})

    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert get_image_model().objects.count() == 0
    assert stored_files(settings) == []


def test_an_oversized_image_is_rejected_and_nothing_is_stored(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    upload = SimpleUploadedFile("big.png", png_bytes(800, 800) + b"\0" * 2048)

    response = editor_client.post(ADD_IMAGE_URL, {"title": "big", "file": upload})

    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert get_image_model().objects.count() == 0
    assert stored_files(settings) == []


def test_an_image_of_more_than_40_megapixels_is_rejected_and_nothing_is_stored(
    editor_client, settings
):
    # A decompression bomb: 48 MP of one colour, a few kilobytes as a PNG.
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")
    upload = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")

    response = editor_client.post(ADD_IMAGE_URL, {"title": "bomb", "file": upload})

    assert response.status_code == 200
    assert "This file has too many pixels" in response.content.decode()
    assert get_image_model().objects.count() == 0
    assert stored_files(settings) == []
