"""The image formats of `final`: AVIF and WebP uploads are read and their renditions made, in
either format, by Pillow alone; pillow-heif (HEIC) is left out unless the build asks for it."""

import json

from tests.containers import build_target, django_shell, docker
from tests.paths import REPO_ROOT

RENDITIONS = """
import io, json
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
made = {}
for kind in ("avif", "webp"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), "teal").save(buffer, format=kind.upper())
    image = Image.objects.create(title=kind, file=ImageFile(buffer, name=f"upload.{kind}"))
    for target in ("avif", "webp"):
        rendition = image.get_rendition(f"width-100|format-{target}")
        with rendition.file.open() as stored:
            opened = PILImage.open(stored)
            made[f"{kind}->{target}"] = [opened.format, opened.width]
print(json.dumps(made))
"""
HAS_HEIF = "import importlib.util; print(importlib.util.find_spec('pillow_heif') is not None)"


def test_avif_and_webp_uploads_get_renditions_in_either_format(final_server):
    made = json.loads(django_shell(final_server.id, RENDITIONS))

    assert made == {
        "avif->avif": ["AVIF", 100],
        "avif->webp": ["WEBP", 100],
        "webp->avif": ["AVIF", 100],
        "webp->webp": ["WEBP", 100],
    }


def test_pillow_heif_is_left_out_unless_the_build_argument_heic_keeps_it(final_image):
    builder = "bfportal-test-builder-heic"
    build_target("builder", builder, REPO_ROOT, "--build-arg", "HEIC=true")
    try:
        kept = docker("run", "--rm", builder, "/venv/bin/python", "-c", HAS_HEIF).stdout
    finally:
        docker("rmi", builder, check=False)
    left_out = docker("run", "--rm", "--entrypoint", "python", final_image, "-c", HAS_HEIF).stdout

    assert (kept.strip(), left_out.strip()) == ("True", "False")
