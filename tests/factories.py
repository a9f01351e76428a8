"""What several suites make the same way: the production settings' least environment, and
PNG images."""

import io
import os
import secrets

from PIL import Image

# What the production settings refuse to start without: a real secret key and host names.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "bfportal.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "localhost",
}


def png_bytes(width: int = 24, height: int = 24) -> bytes:
    """A PNG of random pixels: no two alike, so Wagtail never takes one for a duplicate."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "PNG")
    return buffer.getvalue()
