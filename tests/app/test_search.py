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


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("zephyr\x00", "Null characters are not allowed."),
        ("\x00", "Null characters are not allowed."),
        ("z" * 201, "at most 200 characters"),
    ],
    ids=["nul-in-a-word", "nul-alone", "one-character-too-long"],
)
def test_search_answers_a_query_it_cannot_run_with_400_and_says_why(
    client, home_page, query, message
):
    response = client.get("/search/", {"query": query})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'data-testid="search-results"' not in html


def test_search_takes_a_query_of_the_longest_allowed_length(client, home_page, settings):
    response = client.get("/search/", {"query": "z" * settings.SEARCH_QUERY_MAX_LENGTH})

    assert response.status_code == 200
    assert 'data-testid="search-results"' in response.content.decode()


@pytest.mark.parametrize("page", ["-1", "0", "9" * 400, "1.5", "\x00"])
def test_search_answers_a_page_number_out_of_range_or_malformed_with_a_page_of_results(
    client, home_page, page
):
    response = client.get("/search/", {"query": "home", "page": page})

    assert response.status_code == 200
    assert 'data-testid="search-results"' in response.content.decode()
