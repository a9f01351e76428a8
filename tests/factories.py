"""What several suites make the same way: the production settings' least environment, and
PNG images."""

import io
import os
import secrets

from PIL import Image

# What the production settings refuse to start without: a real secret key and host names.
# (The final image selects those settings itself.)
PRODUCTION_ENV = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "localhost"}
# The same for a Python process of the checkout, whose manage.py defaults to dev settings.
PRODUCTION_SETTINGS = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "bfportal.settings.production"}


def png_bytes(width: int = 24, height: int = 24) -> bytes:
    """A PNG of random pixels: no two alike, so Wagtail never takes one for a duplicate."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "PNG")
    return buffer.getvalue()
