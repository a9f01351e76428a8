"""What every replica shares: uploads in S3, sessions in PostgreSQL. Each replica is asked
directly (by its task's address), as Caddy would forward to it."""

import re

from tests.factories import png_bytes
from tests.s3 import BUCKET, s3_client
from tests.swarm.conftest import s3_endpoint


def test_an_image_uploaded_through_one_replica_is_served_by_every_replica(stack, admin):
    assert admin.post_form(
        "/admin/images/add/", {"title": "shared"},
        files={"file": ("shared.png", png_bytes(64, 48), "image/png")},
    ).status_code == 302  # fmt: skip
    image_id = stack.manage(
        "from wagtail.images.models import Image; print(Image.objects.get(title='shared').id)"
    )
    listing = s3_client(s3_endpoint()).list_objects_v2(Bucket=BUCKET)
    keys = [item["Key"] for item in listing["Contents"]]
    assert any(key.startswith("original_images/shared") for key in keys), keys

    addresses = stack.task_addresses()
    assert len(addresses) == 3
    for number, address in enumerate(addresses):
        # A size of its own per replica: each one reads the original from the bucket.
        preview = stack.on_replica(
            address, f"/admin/images/{image_id}/preview/width-{20 + number}/",
            cookies=admin.session.cookies.get_dict(),
        )  # fmt: skip
        assert preview.status_code == 200, address
        assert preview.content.startswith(b"\x89PNG"), address


def test_a_logged_in_session_survives_any_replica_answering(stack, admin):
    for address in stack.task_addresses():
        page = stack.on_replica(address, "/admin/", cookies=admin.session.cookies.get_dict())

        assert page.status_code == 200, address
        assert re.search(r"swarm-admin", page.text), address
    assert admin.is_logged_in()
