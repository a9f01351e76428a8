import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
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


def test_the_django_admin_is_not_served_unless_django_admin_is_true(run_python):
    # The URL Django's admin would answer at, or the view that answers there instead.
    code = (
        "import django; django.setup(); from django.urls import resolve;"
        "print(resolve('/django-admin/login/').view_name)"
    )

    off = run_python("-c", code, env={"DJANGO_ADMIN": ""})
    on = run_python("-c", code, env={"DJANGO_ADMIN": "true"})

    assert off.stdout.strip() == "wagtail_serve", off.stderr
    assert on.stdout.strip() == "admin:login", on.stderr


def test_a_password_of_fewer_than_12_characters_is_refused():
    validate_password("Kq7#vLp2xZ9w")
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Kq7#vLp2xZ9")
