"""Fixtures for the browser suite: pages in Chromium (the `browser` of tests/conftest.py), a
collector of what went wrong in a page, editors in the final container, and a dev stack of the
suite's own."""

import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.containers import (
    DEV_NETWORK,
    DEV_PROJECT,
    DEV_WEB,
    RUN,
    Container,
    compose,
    docker,
    eventually,
    healthy_container,
    inspect,
    join,
    leave,
    migrated_volume,
    remove_stale_run_folders,
    server_name,
)
from tests.paths import REPO_ROOT, copy_checkout

# Copies of the checkout that dev stacks run from. Inside the checkout, because the engine
# must find the files that the dev stack bind-mounts at the same path as the runner.
DEV_COPIES = REPO_ROOT / ".cache" / "e2e-dev"
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
# The asset kinds whose failures count against a page: CSS, JS, images and fonts.
ASSET_TYPES = {"stylesheet", "script", "image", "font"}

# Bounded waits everywhere; generous enough for a loaded two-core CI runner.
expect.set_options(timeout=10_000)

TEST_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember whether the test body failed, so that `page` can keep a picture of it."""
    report = yield
    if report.when == "call":
        item.stash[TEST_FAILED] = report.failed
    return report


# ---------------------------------------------------------------------------
# The browser and its pages
# ---------------------------------------------------------------------------
@dataclass
class PageProblems:
    """What went wrong while a page was open: console errors, uncaught exceptions, and CSS,
    JS, image or font requests that failed or answered with an error status."""

    console_errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)
    # Every asset response: (resource type, status, URL).
    assets: list[tuple[str, int, str]] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def _on_request_failed(self, request) -> None:
        if request.resource_type in ASSET_TYPES:
            self.failed_assets.append(f"{request.resource_type} {request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        kind = response.request.resource_type
        if kind in ASSET_TYPES:
            self.assets.append((kind, response.status, response.url))
            if response.status >= 400:
                self.failed_assets.append(f"{kind} {response.url}: HTTP {response.status}")


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def new_page(browser, problems, request):
    """Open pages at a given viewport, watched by `problems`; a failing test leaves a
    full-page screenshot of each in artifacts/screenshots/failures/."""
    contexts = []

    def open_page(viewport=DESKTOP, **context_options) -> Page:
        context = browser.new_context(viewport=viewport, **context_options)
        context.set_default_timeout(15_000)
        context.set_default_navigation_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    failed = request.node.stash.get(TEST_FAILED, False)
    for number, context in enumerate(contexts):
        for page in context.pages if failed else []:
            path = SCREENSHOTS / "failures" / f"{request.node.name}-{number}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=path, full_page=True)
            except PlaywrightError as error:  # a crashed page must not hide the failure
                print(f"\nno failure screenshot: {error}")
        context.close()


@pytest.fixture(autouse=True)
def final_server_log_on_failure(request):
    """A failed test that used the final container prints the end of its log (tracebacks)."""
    yield
    if request.node.stash.get(TEST_FAILED, False) and "final_server" in request.fixturenames:
        print(f"\nfinal_server's log:\n{request.getfixturevalue('final_server').logs()}")


@pytest.fixture
def page(new_page) -> Page:
    """A desktop-sized page (1280x800)."""
    return new_page()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# ---------------------------------------------------------------------------
# The production image and its editors
# ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pristine_final_server(final_image):
    """A second final container whose database no test edits: the site as a new visitor
    first sees it, for pictures that must not show other tests' pages in the menu."""
    with (
        migrated_volume(final_image) as volume,
        healthy_container(
            final_image, "--volume", f"{volume}:/app/data", name=server_name("pristine")
        ) as container,
    ):
        yield container


@dataclass(frozen=True)
class Editor:
    username: str
    password: str


@pytest.fixture(scope="session")
def create_editor():
    """create_editor(container): a Wagtail superuser made inside a running final container,
    the way an operator would (createsuperuser with DJANGO_SUPERUSER_* variables)."""

    def create(container: Container) -> Editor:
        editor = Editor(f"editor-{secrets.token_hex(3)}", secrets.token_urlsafe(16))
        docker(
            "exec",
            "--env", f"DJANGO_SUPERUSER_USERNAME={editor.username}",
            "--env", f"DJANGO_SUPERUSER_PASSWORD={editor.password}",
            "--env", "DJANGO_SUPERUSER_EMAIL=editor@example.com",
            container.id, "python", "manage.py", "createsuperuser", "--noinput",
        )  # fmt: skip
        return editor

    return create


@pytest.fixture(scope="session")
def editor(final_server, create_editor) -> Editor:
    return create_editor(final_server)


@pytest.fixture
def sign_in():
    """sign_in(page, site, editor): through the admin's login form, as a person would."""

    def sign_in(page: Page, site: Container, editor: Editor) -> None:
        page.goto(site.url + "/admin/login/")
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill(editor.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(site.url + "/admin/")

    return sign_in


@pytest.fixture
def admin_page(page, final_server, editor, sign_in) -> Page:
    """A page signed in to the final container's admin, on the dashboard."""
    sign_in(page, final_server, editor)
    return page


# ---------------------------------------------------------------------------
# The dev stack (`make dev`), run from a copy of the checkout that tests may edit
# ---------------------------------------------------------------------------
@dataclass
class DevStack:
    directory: Path
    url: str = f"http://{DEV_WEB}:8000"

    def compose(self, *args: str, check: bool = True, timeout: float = 300):
        return compose(
            DEV_PROJECT, self.directory / "docker-compose.yml", *args, check=check, timeout=timeout
        )

    def started_at(self) -> dict[str, str]:
        """When each service's container last started: a restart changes it."""
        return {
            name: inspect(self.compose("ps", "--quiet", name).stdout.strip())["State"]["StartedAt"]
            for name in ("web", "tailwind")
        }

    def logs(self, *services: str, tail: int = 40) -> str:
        result = self.compose("logs", "--no-color", "--tail", str(tail), *services, check=False)
        return result.stdout + result.stderr

    def health_checks(self, service: str = "web") -> str:
        """The last health checks of `service`: when each ran, its exit code and output."""
        container = self.compose("ps", "--all", "--quiet", service, check=False).stdout.strip()
        if not container:
            return f"no {service} container"
        checks = (inspect(container)["State"].get("Health") or {}).get("Log", [])
        return "\n".join(
            f"{c['Start']} exit {c['ExitCode']}: {c['Output'].strip()[-300:]}" for c in checks
        )

    def stylesheet_url(self) -> str:
        html = requests.get(self.url + "/", timeout=10).text
        start = html.index('href="/static/css/dist/styles.css') + len('href="')
        return self.url + html[start : html.index('"', start)]

    def wait_for_stylesheet(self, timeout: float = 90) -> None:
        """Web is healthy before the watcher is ready. Wait for its first "Done in": Tailwind
        prints it once the initial build is written and its file watchers are set up (a CSS
        file left in the tree by an earlier build would otherwise pass for it, and an edit
        made before the watchers exist is never seen)."""

        def built() -> bool:
            try:
                css = requests.get(self.stylesheet_url(), timeout=10)
            except (requests.RequestException, ValueError):
                return False
            watching = "Done in" in self.logs("tailwind", tail=200)
            return watching and css.status_code == 200 and ".bg-indigo-600" in css.text

        eventually(built, timeout, "the dev stack serves its built CSS", details=self.logs)


@pytest.fixture(scope="session")
def dev_stack(docker_engine):
    """The stack `make dev` starts (scripts/dev-up.sh), from a copy of the checkout, as compose
    project bfportal-e2e, so it never meets a developer's own; reached by web's name on its
    network; removed with its volumes and the copy afterwards."""
    remove_stale_run_folders(DEV_COPIES)
    directory = copy_checkout(DEV_COPIES / RUN)
    # The dev settings' ALLOWED_HOSTS, read from .env: the name the tests reach web by.
    (directory / ".env").write_text(f"ALLOWED_HOSTS={DEV_WEB}\n")
    stack = DevStack(directory)
    # Published on a port the engine picks: none of the host's can clash.
    env = {**os.environ, "COMPOSE_PROJECT_NAME": DEV_PROJECT, "DEV_PORT": "0"}
    try:
        started = time.monotonic()
        up = subprocess.run(
            [directory / "scripts" / "dev-up.sh"],
            cwd=directory, env=env, capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
        assert up.returncode == 0, (
            f"dev-up.sh failed after {time.monotonic() - started:.0f} s:\n{up.stderr[-4000:]}\n"
            f"{stack.logs('web', tail=80)}\nweb's health checks:\n{stack.health_checks()}"
        )
        join(DEV_NETWORK)
        stack.wait_for_stylesheet()
        print(f"\ndev stack up in {time.monotonic() - started:.1f}s at {stack.url}")
        yield stack
    finally:
        leave(DEV_NETWORK)
        stack.compose("down", "--volumes", "--timeout", "5", check=False)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def edit_project_file(dev_stack):
    """edit(path, old, new): replace the one `old` in the dev stack's bfportal/<path> with
    `new`; the file's bytes are put back after the test."""
    originals: dict[Path, bytes] = {}

    def edit(relative: str, old: str, new: str) -> None:
        path = dev_stack.directory / "bfportal" / relative
        original = path.read_bytes()
        assert original.count(old.encode()) == 1, f"{relative}: expected {old!r} exactly once"
        originals.setdefault(path, original)
        path.write_bytes(original.replace(old.encode(), new.encode()))

    yield edit
    for path, original in originals.items():
        path.write_bytes(original)
