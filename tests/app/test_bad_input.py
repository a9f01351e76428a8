"""Generated bad input (Hypothesis), sent to every public URL, the admin's login and password
reset, and, logged in, the admin's search, page explorer and page editor: no answer is a 5xx
and nothing is logged at ERROR. The suite runs on SQLite and, in `make test`, on PostgreSQL,
which refuses what SQLite takes (NUL in text). CI runs the "ci" profile, with a fixed seed;
`make test-app ARGS="-k bad_input --hypothesis-seed=N"` replays one run."""

import logging

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.documents.models import Document

from home.models import StandardPage
from tests.bad_input import LOGIN_FIELDS, PUBLIC_PATHS, bad_request, form_body, query_string

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_limits(settings):
    """Every example reaches its view: past the search and password-reset limits
    (tests/app/test_abuse_limits.py) they would all get 429."""
    settings.RATELIMIT_ENABLE = False


def check(response, errors: list[logging.LogRecord]) -> None:
    assert response.status_code < 500, response.status_code
    assert errors == [], [record.getMessage() for record in errors]


class ErrorRecords(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def error_log():
    """The records at ERROR or above that reach the root logger, where the site's console
    handler is (pytest's caplog also sees loggers that propagate nothing), since the last
    call, which clears them."""
    handler = ErrorRecords()
    logging.getLogger().addHandler(handler)

    def records() -> list[logging.LogRecord]:
        found, handler.records = handler.records, []
        return found

    yield records
    logging.getLogger().removeHandler(handler)


@pytest.fixture
def public_urls(home_page) -> dict[str, tuple[str, ...]]:
    """Each public URL and the fields its view reads."""
    page = home_page.add_child(instance=StandardPage(title="Fuzzed", slug="fuzzed"))
    document = Document(title="Fuzzed document")
    document.file.save("fuzzed.txt", ContentFile(b"fuzzed"), save=True)
    return {**PUBLIC_PATHS, page.url: (), document.url: ()}


# The client and the pages are made once per test and shared by its examples: no example
# changes what the next one finds, beyond the editor's saved drafts and axes' failed logins.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@SHARED_FIXTURES
@given(data=st.data())
def test_no_bad_query_string_or_header_gets_a_5xx_from_a_public_url(
    client, public_urls, error_log, data
):
    url = data.draw(st.sampled_from(sorted(public_urls)), label="url")
    fields, headers = data.draw(bad_request(public_urls[url]))

    response = client.get(url, QUERY_STRING=query_string(fields), **headers)

    check(response, error_log())


@SHARED_FIXTURES
@given(data=st.data())
def test_no_bad_login_or_password_reset_form_gets_a_5xx(client, db, error_log, data):
    url, names = data.draw(
        st.sampled_from(
            [
                ("/admin/login/", LOGIN_FIELDS),
                ("/admin/password_reset/", ("email",)),
            ]
        )
    )
    fields, headers = data.draw(bad_request(names))

    response = client.post(
        url, form_body(fields), content_type="application/x-www-form-urlencoded", **headers
    )

    check(response, error_log())


@pytest.fixture
def edited_page(home_page) -> StandardPage:
    return home_page.add_child(instance=StandardPage(title="Edited", slug="edited"))


@SHARED_FIXTURES
@given(data=st.data())
def test_no_bad_admin_search_explorer_or_page_editor_input_gets_a_5xx_for_an_editor(
    editor_client, home_page, edited_page, error_log, data
):
    explorer = f"/admin/pages/{home_page.id}/"
    editor = f"/admin/pages/{edited_page.id}/edit/"
    method, url, names = data.draw(
        st.sampled_from(
            [
                ("get", "/admin/pages/search/", ("q", "p", "ordering")),
                ("get", explorer, ("q", "p", "ordering")),
                ("post", editor, ("title", "slug", "seo_title", "search_description")),
            ]
        )
    )
    fields, headers = data.draw(bad_request(names))
    # The editor's session goes first; a forged cookie header follows it.
    session = f"sessionid={editor_client.cookies['sessionid'].value}"
    headers["HTTP_COOKIE"] = f"{session}; {headers.get('HTTP_COOKIE', '')}"
    # The page editor's form expects its management fields; the body adds the bad ones.
    if method == "post":
        fields = {"body-count": b"0", "action-publish": b"", **fields}
        response = editor_client.post(
            url, form_body(fields), content_type="application/x-www-form-urlencoded", **headers
        )
    else:
        response = editor_client.get(url, QUERY_STRING=query_string(fields), **headers)

    check(response, error_log())
