"""Content an editor restricts (a private collection, a login or password on a page) never
reaches anonymous visitors: not through /media/, not through search, not through menus."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from home.models import StandardPage
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_collection(db):
    collection = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def document(collection, name: str, content: bytes = b"quarterly figures"):
    return get_document_model().objects.create(
        title=name, file=ContentFile(content, name=name), collection=collection
    )


def test_an_uploaded_image_is_served_from_media(client):
    image = get_image_model().objects.create(
        title="photo", file=ContentFile(png_bytes(), name="photo.png")
    )

    response = client.get(image.file.url)

    assert response.status_code == 200


def test_a_private_documents_file_is_not_served_from_media(client, private_collection):
    private = document(private_collection, "salaries.txt")

    assert private.file.url.startswith("/media/documents/")
    assert client.get(private.file.url).status_code == 404


def test_a_private_documents_file_is_not_served_from_media_by_a_detour(client, private_collection):
    private = document(private_collection, "salaries.txt")
    detour = private.file.url.replace("/media/", "/media/original_images/../", 1)

    assert client.get(detour).status_code == 404


def test_no_documents_file_is_served_from_media_even_a_public_one(client):
    public = document(Collection.get_first_root_node(), "timetable.txt")

    assert client.get(public.file.url).status_code == 404


def test_an_anonymous_visitor_asking_for_a_private_document_is_sent_to_log_in(
    client, private_collection
):
    private = document(private_collection, "salaries.txt")

    response = client.get(private.url)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_logged_in_user_gets_a_private_document_as_an_attachment(
    editor_client, private_collection
):
    private = document(private_collection, "salaries.txt")

    response = editor_client.get(private.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"quarterly figures"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_public_pdf_is_served_as_an_attachment_not_displayed_inline(client):
    public = document(Collection.get_first_root_node(), "report.pdf", b"%PDF-1.4 figures")

    response = client.get(public.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


@pytest.fixture
def restricted_pages(home_page):
    """A public page, one for logged-in users and one behind a password, all in menus and
    all titled with the same word."""
    pages = {}
    for slug, restriction in (("open", None), ("members", "login"), ("board", "password")):
        page = home_page.add_child(
            instance=StandardPage(title=f"Quokka {slug}", slug=slug, show_in_menus=True)
        )
        if restriction:
            PageViewRestriction.objects.create(
                page=page,
                restriction_type=restriction,
                password="s3cret-word",  # noqa: S106
            )
        pages[slug] = page
    return pages


def test_anonymous_search_results_show_only_public_pages(client, restricted_pages):
    html = client.get("/search/", {"query": "quokka"}).content.decode()
    results = html.split('data-testid="search-results"', 1)[1]

    assert "Quokka open" in results
    assert "Quokka members" not in results
    assert "Quokka board" not in results


def test_the_menu_shows_only_public_pages_to_anonymous_visitors(client, restricted_pages):
    html = client.get("/open/").content.decode()
    menu = html.split('data-testid="main-menu"', 1)[1].split("</ul>", 1)[0]

    assert "Quokka open" in menu
    assert "Quokka members" not in menu
    assert "Quokka board" not in menu
