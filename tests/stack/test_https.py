"""HTTPS through Caddy with production's defaults: the redirect, HSTS, cookie flags, a browser
login, static files, slow clients that hold no gunicorn thread, and bounded request bodies."""

import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import requests
from playwright.sync_api import expect

from tests.browser import signed_in_admin
from tests.containers import AdminClient, eventually
from tests.factories import png_bytes
from tests.stack.conftest import CADDY

# The largest upload, WAGTAILIMAGES_MAX_UPLOAD_SIZE's default: the bound of a request's body.
MAX_BODY = 10 * 1024 * 1024


def test_http_gets_a_permanent_redirect_to_the_same_https_url(stack):
    response = requests.get(f"http://{CADDY}/search/?query=x", allow_redirects=False, timeout=10)

    assert response.status_code in (301, 308)
    assert response.headers["Location"] == f"https://{CADDY}/search/?query=x"


def test_a_client_claiming_https_over_plain_http_is_still_redirected(stack):
    response = requests.get(
        f"http://{CADDY}/",
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
        timeout=10,
    )

    assert response.status_code in (301, 308)
    assert response.headers["Location"] == f"https://{CADDY}/"


def test_the_app_behind_caddy_sees_the_scheme_caddy_saw_not_the_one_a_client_claims(stack):
    # Over HTTPS, a client claims plain HTTP: passed on, Django would redirect to HTTPS for ever.
    response = stack.get("/", headers={"X-Forwarded-Proto": "http"}, allow_redirects=False)

    assert response.status_code == 200, response.headers.get("Location")


def test_https_responses_carry_hsts(stack):
    hsts = stack.get("/").headers["Strict-Transport-Security"]

    assert re.fullmatch(r"max-age=[1-9][0-9]*", hsts), hsts


def test_session_and_csrf_cookies_are_secure_and_samesite_and_the_session_cookie_httponly(
    stack, admin_user
):
    client = AdminClient(stack.url, stack.ca)
    username, password = admin_user
    login = client.post_form("/admin/login/", {"username": username, "password": password})
    assert login.status_code == 302
    cookies = {cookie.name: cookie for cookie in client.session.cookies}

    for name in ("sessionid", "csrftoken"):
        assert cookies[name].secure, f"{name} is not Secure"
        assert cookies[name].get_nonstandard_attr("SameSite") == "Lax", name
    assert cookies["sessionid"].has_nonstandard_attr("HttpOnly")


def test_chromium_logs_into_the_admin_over_https(stack, admin_user, browser):
    with signed_in_admin(browser, stack.url, *admin_user) as page:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
        assert (session["secure"], session["httpOnly"], session["sameSite"]) == (True, True, "Lax")


def test_static_files_through_the_proxy_are_hashed_and_compressed_with_brotli_and_gzip(stack):
    stylesheet = re.search(
        r'href="(/static/css/dist/styles\.[0-9a-f]{12}\.css)"', stack.get("/").text
    ).group(1)

    for encoding in ("br", "gzip"):
        response = stack.get(stylesheet, headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "immutable" in response.headers["Cache-Control"]


SLOW_HEADERS = b"GET / HTTP/1.1\r\nHost: " + CADDY.encode() + b"\r\nX-Slow: "
# A form's POST whose body then trickles: with a CSRF cookie and a matching Origin, Django
# reads the body to look for the token before it refuses the request.
SLOW_BODY = (
    b"POST /search/ HTTP/1.1\r\nHost: " + CADDY.encode() + b"\r\nContent-Length: 1000000\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nCookie: csrftoken=" + b"a" * 32
    + b"\r\nOrigin: https://" + CADDY.encode() + b"\r\n\r\nquery="
)  # fmt: skip


@contextmanager
def slow_clients(count: int, connect, start: bytes = SLOW_HEADERS) -> Iterator[None]:
    """`count` connections that send the `start` of a request, then one byte a second, never
    finishing it, for as long as the block runs."""
    stop = threading.Event()

    def trickle(connection) -> None:
        while not stop.wait(1):
            try:
                connection.sendall(b"x")
            except OSError:
                return

    with ExitStack() as connections:
        threads = []
        for _ in range(count):
            connection = connections.enter_context(connect())
            connection.sendall(start)
            threads.append(threading.Thread(target=trickle, args=(connection,), daemon=True))
        for thread in threads:
            thread.start()
        try:
            yield
        finally:
            stop.set()
            for thread in threads:
                thread.join()


def seconds_for_healthz(stack) -> float:
    started = time.monotonic()
    response = stack.get("/healthz/", timeout=5)
    assert response.status_code == 200
    return time.monotonic() - started


def gunicorn_connections(stack) -> int:
    """Established TCP connections to gunicorn's port 8000 (0x1F40), read in web's kernel tables."""
    tables = stack.exec_web("cat", "/proc/net/tcp", "/proc/net/tcp6")
    return sum(
        1
        for line in tables.splitlines()[1:]
        if (fields := line.split()) and fields[1].endswith(":1F40") and fields[3] == "01"
    )


def through_caddy(stack) -> ssl.SSLSocket:
    tls = ssl.create_default_context(cafile=stack.ca)
    return tls.wrap_socket(socket.create_connection((CADDY, 443)), server_hostname=CADDY)


def test_slow_clients_holding_twice_the_threads_do_not_stop_healthz_answering_in_a_second(
    stack,
):
    count = 2 * stack.workers * stack.threads
    # Idle keep-alive connections from Caddy close after gunicorn's 2 s keep-alive.
    eventually(lambda: gunicorn_connections(stack) == 0, 15, "gunicorn has no connection")
    with slow_clients(count, lambda: through_caddy(stack)):
        time.sleep(2)
        # Caddy holds every slow request until its headers are complete: none reached gunicorn.
        assert gunicorn_connections(stack) == 0
        took = seconds_for_healthz(stack)
    print(f"\n/healthz/ through Caddy with {count} slow clients: {took:.2f} s")

    assert took < 1


def post_file(stack, size: int, chunked: bool = False) -> int:
    """An anonymous POST to the search of a file of `size` zero bytes, with a made-up CSRF
    cookie and a matching Origin: Django's CSRF check refuses it only once it has read the
    body, spooling the file to web's /tmp. The status it got."""
    head = b'--x\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\n'
    tail = b"\r\n--x--\r\n"
    block = b"\0" * 65536
    with through_caddy(stack) as connection:
        length = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % size
        connection.sendall(
            b"POST /search/ HTTP/1.1\r\nHost: " + CADDY.encode() + b"\r\n" + length + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nCookie: csrftoken=" + b"a" * 32
            + b"\r\nOrigin: https://" + CADDY.encode() + b"\r\n\r\n"
        )  # fmt: skip
        parts = [head, *[block] * ((size - len(head) - len(tail)) // len(block)), tail]
        if not chunked:
            parts[-2] += b"\0" * (size - sum(map(len, parts)))
        try:
            for part in parts:
                connection.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
            if chunked:
                connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # refused before the end: the answer is waiting
        status_line = connection.makefile("rb").readline()
    return int(status_line.split()[1])


def web_memory(stack) -> int:
    """The bytes web's container uses, /tmp's tmpfs included (cgroup v2, or v1)."""
    return int(
        stack.exec_web(
            "sh", "-c",
            "cat /sys/fs/cgroup/memory.current 2>/dev/null"
            " || cat /sys/fs/cgroup/memory/memory.usage_in_bytes",
        )
    )  # fmt: skip


def test_anonymous_200_mb_posts_are_refused_and_web_does_not_grow(stack):
    samples = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            samples.append(web_memory(stack))

    before = web_memory(stack)
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        statuses = [post_file(stack, 200 * 2**20), post_file(stack, 200 * 2**20, chunked=True)]
    finally:
        stop.set()
        sampler.join()
    grown = (max(samples) - before) / 2**20
    print(f"\nweb's memory during two 200 MB POSTs: {grown:+.1f} MiB")

    # Too large, or of no declared length (which Django would not read): refused at Caddy.
    assert statuses == [413, 411]
    assert grown < 5


def test_clients_trickling_a_body_hold_no_gunicorn_thread_and_healthz_answers_in_a_second(stack):
    count = 2 * stack.workers * stack.threads
    eventually(lambda: gunicorn_connections(stack) == 0, 15, "gunicorn has no connection")
    with slow_clients(count, lambda: through_caddy(stack), SLOW_BODY):
        time.sleep(2)
        # Caddy reads each body whole before it passes the request on.
        assert gunicorn_connections(stack) == 0
        took = seconds_for_healthz(stack)
    print(f"\n/healthz/ through Caddy with {count} clients trickling a body: {took:.2f} s")

    assert took < 1


def test_an_editor_uploads_a_9_mb_image_through_caddy(stack, admin_user):
    image = png_bytes(1800, 1800)  # random pixels: 9.3 MiB as a PNG
    client = AdminClient(stack.url, stack.ca).log_in(*admin_user)

    response = client.post_form(
        "/admin/images/add/", {"title": "A large photo"}, files={"file": ("large.png", image)}
    )

    assert len(image) > 9 * 2**20
    assert response.status_code == 302, response.text[:2000]
