"""MEDIA_STORAGE=s3: the production image stores uploads in S3-compatible object storage.

The object store is moto's server, run from the dev image on a network of the test's own
(which the runner joins too), so the final image (with its trimmed botocore) talks S3
exactly as it would in production.
"""

import json

import pytest
import requests

from tests.containers import (
    django_shell,
    healthy_container,
    migrated_volume,
    own_network,
)
from tests.s3 import BUCKET, STORAGE_SETTINGS, moto_server, s3_client

CREATE_IMAGE = """
import io, json
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
buffer = io.BytesIO()
PILImage.new("RGB", (320, 200), "indigo").save(buffer, format="PNG")
image = Image.objects.create(title="In S3", file=ImageFile(buffer, name="in-s3.png"))
rendition = image.get_rendition("width-100")
print(json.dumps({"original": image.file.url, "rendition": rendition.url}))
"""


@pytest.fixture(scope="module")
def network():
    with own_network("bfportal-test") as name:
        yield name


@pytest.fixture(scope="module")
def s3_server(dev_image, network):
    """moto's S3 server, reachable at its ENDPOINT on the network (the runner joined it)."""
    with moto_server(dev_image, network, BUCKET, "--network-alias", "s3") as endpoint:
        yield s3_client(endpoint)


@pytest.fixture(scope="module")
def s3_web(final_image, network, s3_server):
    env = {"MEDIA_STORAGE": "s3", **STORAGE_SETTINGS}
    with (
        migrated_volume(final_image) as volume,
        healthy_container(
            final_image, "--volume", f"{volume}:/app/data", env=env, network=network
        ) as container,
    ):
        yield container


def test_uploaded_image_and_its_rendition_are_stored_in_the_bucket(s3_web, s3_server):
    client = s3_server

    urls = json.loads(django_shell(s3_web.id, CREATE_IMAGE))

    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(key.startswith("original_images/in-s3") for key in keys), keys
    assert any(key.startswith("images/in-s3") for key in keys), keys
    assert urls["original"].startswith(f"http://s3:5000/{BUCKET}/original_images/in-s3")
    stored = requests.get(urls["original"], timeout=10)
    assert stored.status_code == 200
    assert stored.content.startswith(b"\x89PNG")


def test_web_container_does_not_serve_media_from_its_own_disk(s3_web):
    assert s3_web.get("/media/original_images/in-s3.png").status_code == 404


CREATE_DOCUMENTS = """
import json
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction
root = Collection.get_first_root_node()
private = root.add_child(name="Private")
CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
urls = {}
for name, collection in (("public", root), ("private", private)):
    document = Document.objects.create(
        title=name, file=ContentFile(b"%PDF-1.4 " + name.encode(), name=name + ".pdf"),
        collection=collection,
    )
    urls[name] = document.url
print(json.dumps(urls))
"""


@pytest.fixture(scope="module")
def document_urls(s3_web) -> dict[str, str]:
    return json.loads(django_shell(s3_web.id, CREATE_DOCUMENTS))


def test_a_document_in_the_bucket_is_streamed_by_the_site_never_handed_out_as_a_url(
    s3_web, document_urls
):
    response = s3_web.get(document_urls["public"], allow_redirects=False)

    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 public"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_private_document_in_the_bucket_sends_an_anonymous_visitor_to_log_in(
    s3_web, document_urls
):
    response = s3_web.get(document_urls["private"], allow_redirects=False)

    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]
    assert "s3:5000" not in response.headers["Location"]


def test_pages_may_show_images_from_the_bucket(s3_web):
    policy = s3_web.get("/").headers["Content-Security-Policy"]

    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "http://s3:5000" in img_src.split()
