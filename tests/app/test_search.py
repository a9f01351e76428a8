import pytest

from home.models import StandardPage

pytestmark = pytest.mark.django_db


def test_search_finds_a_published_page_and_not_a_draft(client, home_page):
    home_page.add_child(instance=StandardPage(title="Zephyr timetable", slug="published"))
    draft = home_page.add_child(
        instance=StandardPage(title="Zephyr draft", slug="draft", live=False)
    )
    draft.save_revision()

    html = client.get("/search/", {"query": "zephyr"}).content.decode()
    results = html.split('data-testid="search-results"', 1)[1]

    assert "Zephyr timetable" in results
    assert "Zephyr draft" not in results


def test_search_without_a_query_shows_the_form_and_no_results(client, home_page):
    response = client.get("/search/")

    assert response.status_code == 200
    assert 'data-testid="search-results"' not in response.content.decode()


def test_search_copes_with_a_malformed_page_number(client, home_page):
    response = client.get("/search/", {"query": "home", "page": "x"})

    assert response.status_code == 200
