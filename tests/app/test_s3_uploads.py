"""MEDIA_STORAGE=s3, against moto's S3 in the settings' own process: what editors upload
(documents, original images) stays private whatever the public media settings say; only the
images pages show (renditions) follow them."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app.conftest import SITE

BUCKET = "bfportal-media"
# The settings that make media public: a CDN in front of the bucket, URLs without signatures.
PUBLIC_MEDIA = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_ENDPOINT_URL": "",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_S3_CUSTOM_DOMAIN": "media.example.com",
    "AWS_QUERYSTRING_AUTH": "false",
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
}
# A document, an original image and its rendition saved through their models' file fields,
# the models unsaved (no database; a collection id stands in for the root's); their URLs, and
# each stored object's grants.
STORE = """
import io, json, sys
import boto3, django
from moto import mock_aws
from PIL import Image as PILImage
with mock_aws():
    django.setup()
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    bucket = sys.argv[1]
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=bucket)
    png = io.BytesIO()
    PILImage.new("RGB", (8, 8), "teal").save(png, "PNG")
    document = get_document_model()(title="Salaries", collection_id=1)
    document.file.save("salaries.txt", ContentFile(b"figures"), save=False)
    image = get_image_model()(title="Harbour", collection_id=1)
    image.file.save("harbour.png", ContentFile(png.getvalue()), save=False)
    rendition = image.renditions.model(filter_spec="width-8")
    rendition.file.save("harbour.width-8.png", ContentFile(png.getvalue()), save=False)
    objects = s3.list_objects_v2(Bucket=bucket)["Contents"]
    print(json.dumps({
        "document": document.file.url,
        "original": image.file.url,
        "rendition": rendition.file.url,
        "grants": {
            item["Key"]: s3.get_object_acl(Bucket=bucket, Key=item["Key"])["Grants"]
            for item in objects
        },
    }))
"""
# How long a signed URL of a private file may stay valid, in seconds.
LONGEST_SIGNED_URL = 300


@pytest.fixture
def stored(run_python) -> dict:
    result = run_python("-c", STORE, BUCKET, env={**SITE, **PUBLIC_MEDIA})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_signed_and_expiring(url: str) -> None:
    query = parse_qs(urlsplit(url).query)
    assert "X-Amz-Signature" in query, url
    assert 0 < int(query["X-Amz-Expires"][0]) <= LONGEST_SIGNED_URL, url


def test_a_documents_url_is_signed_and_expires_whatever_the_public_media_settings(stored):
    url = stored["document"]

    assert_signed_and_expiring(url)
    assert urlsplit(url).hostname != PUBLIC_MEDIA["AWS_S3_CUSTOM_DOMAIN"], url
    assert urlsplit(url).hostname.startswith(f"{BUCKET}.s3"), url


def test_an_original_images_url_is_signed_and_off_the_custom_domain_too(stored):
    url = stored["original"]

    assert_signed_and_expiring(url)
    assert urlsplit(url).hostname != PUBLIC_MEDIA["AWS_S3_CUSTOM_DOMAIN"], url


def test_the_images_pages_show_follow_the_public_media_settings(stored):
    url = urlsplit(stored["rendition"])

    assert url.hostname == PUBLIC_MEDIA["AWS_S3_CUSTOM_DOMAIN"]
    assert url.path.startswith("/images/harbour")
    assert not url.query


def test_a_documents_object_is_stored_in_the_media_bucket_under_documents_granted_to_no_one_else(
    stored,
):
    documents = {key: grants for key, grants in stored["grants"].items() if "salaries" in key}

    assert list(documents) == ["documents/salaries.txt"]
    # A public object is one granted to a group (AllUsers, AuthenticatedUsers).
    grantees = [grant["Grantee"] for grant in documents["documents/salaries.txt"]]
    assert [grantee["Type"] for grantee in grantees] == ["CanonicalUser"], grantees
