"""What survives the web container going away: the database and the media volume."""

import secrets

from tests.containers import docker
from tests.factories import png_bytes


def test_restarting_web_keeps_pages_uploads_and_logged_in_sessions(stack, admin, home_page_id):
    name = f"restart-{secrets.token_hex(4)}"
    page = admin.publish_page(home_page_id, "Opening hours", name, "Nine to five.")
    image = png_bytes()
    image_url = admin.upload_image(name, image)

    docker("restart", stack.container("web"))
    stack.wait_for_health("web", "healthy", timeout=60)

    assert admin.is_logged_in(), "the admin session did not survive the restart"
    served = stack.get(page)
    assert served.status_code == 200
    assert "Nine to five." in served.text
    assert stack.get(image_url).content == image


def test_uploads_survive_recreating_the_web_container(stack, admin):
    image = png_bytes()
    image_url = admin.upload_image(f"recreate-{secrets.token_hex(4)}", image)
    before = stack.container("web")

    stack.compose("up", "--detach", "--wait", "--no-deps", "--force-recreate", "web")

    assert stack.container("web") != before, "web was not recreated"
    response = stack.get(image_url)
    assert response.status_code == 200
    assert response.content == image
