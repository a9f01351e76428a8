import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import StandardPage

pytestmark = pytest.mark.django_db


def test_editor_creates_and_publishes_a_page_that_the_site_then_serves(editor_client, home_page):
    add_url = f"/admin/pages/add/home/standardpage/{home_page.pk}/"
    form = nested_form_data(
        {
            "title": "Opening hours",
            "slug": "opening-hours",
            "introduction": "When to find us.",
            "body": streamfield(
                [
                    ("heading", "Weekdays"),
                    ("paragraph", rich_text("<p>Nine to five, Monday to Friday.</p>")),
                ]
            ),
            "action-publish": "publish",
        }
    )

    response = editor_client.post(add_url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    page = StandardPage.objects.get(slug="opening-hours")
    assert page.live
    served = editor_client.get("/opening-hours/")
    assert served.status_code == 200
    html = served.content.decode()
    assert "Weekdays" in html
    assert "Nine to five, Monday to Friday." in html


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
