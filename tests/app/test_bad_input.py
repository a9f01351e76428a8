"""Generated bad input (Hypothesis), sent to every public URL, the admin's login and password
reset, and, logged in, the admin's search, page explorer and page editor: no answer is a 5xx
and nothing is logged at ERROR. The suite runs on SQLite and, in `make test`, on PostgreSQL,
which refuses what SQLite takes (NUL in text). CI runs the "ci" profile, with a fixed seed;
`make test-app ARGS="-k bad_input --hypothesis-seed=N"` replays one run."""

import logging
from urllib.parse import quote, quote_from_bytes

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.documents.models import Document

from home.models import StandardPage

pytestmark = pytest.mark.django_db

# Text a visitor can type or forge: any character (NUL and the other controls included), lone
# surrogates, numbers far out of any range, and strings longer than any field takes.
TEXT = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028\ufeff")),
    st.integers(0xD800, 0xDFFF).map(chr),
    st.integers(-(10**40), 10**40).map(str),
    st.integers(150, 6000).map(lambda length: "z" * length),
)
# As bytes on the wire: the text in UTF-8 (surrogates as their invalid 3-byte forms), or any
# bytes at all, invalid UTF-8 among them.
RAW = TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")) | st.binary(max_size=30)
HEADERS = ("HTTP_COOKIE", "HTTP_ACCEPT_LANGUAGE", "HTTP_REFERER", "HTTP_X_FORWARDED_FOR")


def query_string(fields: dict[str, bytes]) -> str:
    return "&".join(f"{quote(name)}={quote_from_bytes(value)}" for name, value in fields.items())


def form_body(fields: dict[str, bytes]) -> bytes:
    return query_string(fields).encode()


@st.composite
def bad_request(draw, names: tuple[str, ...]):
    """Fields named as the view reads them (and one it does not), each with a bad value, and
    headers with bad values: WSGI hands a header's bytes to Django as Latin-1 text."""
    chosen = draw(st.sets(st.sampled_from(names))) if names else set()
    fields = {name: draw(RAW) for name in chosen}
    fields |= draw(st.dictionaries(st.text(min_size=1, max_size=8), RAW, max_size=2))
    headers = {
        header: draw(RAW).decode("latin-1")
        for header in draw(st.sets(st.sampled_from(HEADERS + ("HTTP_HOST",))))
    }
    return fields, headers


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
    return {
        "/": (),
        page.url: (),
        "/search/": ("query", "page"),
        "/sitemap.xml": ("p",),
        "/robots.txt": (),
        "/favicon.ico": (),
        document.url: (),
        "/no-such-page/": (),
    }


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
                ("/admin/login/", ("username", "password", "next")),
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
