"""HTTPS through Caddy with production's defaults: the redirect, HSTS, cookie flags, a browser
login, static files, and slow clients that hold no gunicorn thread."""

import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import requests
from playwright.sync_api import expect

from tests.containers import AdminClient, eventually
from tests.stack.conftest import CADDY


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
    username, password = admin_user
    # Caddy's own CA signs the test site; this test alone takes its certificate unverified.
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(f"https://{CADDY}/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

        page.wait_for_url(f"https://{CADDY}/admin/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        session = next(c for c in context.cookies() if c["name"] == "sessionid")
        assert (session["secure"], session["httpOnly"], session["sameSite"]) == (True, True, "Lax")
    finally:
        context.close()


def test_static_files_through_the_proxy_are_hashed_and_compressed_with_brotli_and_gzip(stack):
    stylesheet = re.search(
        r'href="(/static/css/dist/styles\.[0-9a-f]{12}\.css)"', stack.get("/").text
    ).group(1)

    for encoding in ("br", "gzip"):
        response = stack.get(stylesheet, headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "immutable" in response.headers["Cache-Control"]


@contextmanager
def slow_clients(count: int, connect) -> Iterator[None]:
    """`count` connections that send the start of a request, then one header byte a second,
    never finishing it, for as long as the block runs."""
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
            connection.sendall(b"GET / HTTP/1.1\r\nHost: " + CADDY.encode() + b"\r\nX-Slow: ")
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


def test_slow_clients_holding_twice_the_threads_do_not_stop_healthz_answering_in_a_second(
    stack,
):
    count = 2 * stack.workers * stack.threads
    tls = ssl.create_default_context(cafile=stack.ca)

    def through_caddy():
        return tls.wrap_socket(socket.create_connection((CADDY, 443)), server_hostname=CADDY)

    # Idle keep-alive connections from Caddy close after gunicorn's 2 s keep-alive.
    eventually(lambda: gunicorn_connections(stack) == 0, 15, "gunicorn has no connection")
    with slow_clients(count, through_caddy):
        time.sleep(2)
        # Caddy holds every slow request until its headers are complete: none reached gunicorn.
        assert gunicorn_connections(stack) == 0
        took = seconds_for_healthz(stack)
    print(f"\n/healthz/ through Caddy with {count} slow clients: {took:.2f} s")

    assert took < 1
