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


@pytest.mark.parametrize("query", ['"zephyr', 'zephyr"', '"zephyr timetable"', '"zephyr timetable'])
def test_search_finds_pages_for_a_query_with_quotes_balanced_or_not(client, home_page, query):
    home_page.add_child(instance=StandardPage(title="Zephyr timetable", slug="zephyr"))

    response = client.get("/search/", {"query": query})

    assert response.status_code == 200
    assert "Zephyr timetable" in response.content.decode().split('data-testid="search-results"')[1]


@pytest.mark.parametrize("query", ['"', '""', 'ze"phyr'])
def test_search_answers_a_query_of_quotes_or_with_one_inside_a_word(client, home_page, query):
    response = client.get("/search/", {"query": query})

    assert response.status_code == 200


@pytest.mark.parametrize("query", ['"', '"zephyr', 'ze"phyr timetable', '"zephyr timetable"'])
@pytest.mark.parametrize("view", ["/admin/pages/search/", "/admin/pages/{home}/"])
def test_the_admins_page_search_answers_a_query_with_quotes_balanced_or_not(
    editor_client, home_page, view, query
):
    home_page.add_child(instance=StandardPage(title="Zephyr timetable", slug="zephyr"))

    response = editor_client.get(view.format(home=home_page.id), {"q": query})

    assert response.status_code == 200
