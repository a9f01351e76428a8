"""Helpers for tests that drive the real Docker engine through its CLI.

BuildKit features the Dockerfile uses (cache mounts, COPY --link) need the CLI
(`docker buildx build`); everything else is plain `docker` commands with JSON output.

The suites run in the test image (scripts/runner.sh), which is given its own network: the
containers a test starts join it (or the runner joins theirs) and are reached by name, never
through ports published on the host. Everything a test creates carries this run's label, so
the runner removes what a killed test leaves behind.
"""

import fcntl
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests

from tests.factories import PRODUCTION_ENV
from tests.paths import REPO_ROOT, SCRIPTS, TOOLS

# Set by scripts/runner.sh: this run's id, the runner container's name and its network.
RUN = os.environ.get("BFPORTAL_RUN", "")
RUNNER = os.environ.get("BFPORTAL_RUNNER", "")
NETWORK = os.environ.get("BFPORTAL_NETWORK", "")
LABEL = f"bfportal.run={RUN}"

# The stylesheet as the final image's pages link it: collectstatic's 12-digit content hash.
HASHED_STYLESHEET_LINK = re.compile(r'href="(/static/css/dist/styles\.[0-9a-f]{12}\.css)"')

# What the final image needs to serve plain HTTP on a test machine (run_container adds the
# name the container is reached by to ALLOWED_HOSTS).
SERVER_ENV = {**PRODUCTION_ENV, "PLAIN_HTTP": "true", "WEB_CONCURRENCY": "2"}


def docker(
    *args: str,
    timeout: float = 300,
    check: bool = True,
    env: dict[str, str] | None = None,
    details: Callable[[], str] = str,
    input: str | None = None,
) -> subprocess.CompletedProcess:
    """Run the docker CLI; a failure (with `check`) shows its output and `details()` (logs)."""
    result = subprocess.run(
        ["docker", *args], env=env, input=input, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(
            f"docker {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n{details()}"
        )
    return result


def compose(project: str, compose_file: Path, *args: str, **options):
    """`docker compose` on one project; options as for docker()."""
    return docker(
        "compose", "--project-name", project, "--file", str(compose_file), *args, **options
    )


def build_target(target: str, tag: str, context=REPO_ROOT, *extra: str, platform: str = "") -> str:
    """Build a Dockerfile target as `make build` does (for `platform`, e.g. linux/arm64, as
    `make build PLATFORM=...` does); returns the plain BuildKit log."""
    result = subprocess.run(
        [SCRIPTS / "build-image.sh", target, tag, str(context), "--progress=plain", *extra],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
        env={**os.environ, "BFPORTAL_PLATFORM": platform},
    )
    if result.returncode != 0:
        raise AssertionError(f"building {target} failed:\n{result.stderr[-6000:]}")
    return result.stderr


def eventually(
    check: Callable[[], bool],
    timeout: float,
    what: str,
    interval: float = 0.5,
    details: Callable[[], str] | None = None,
):
    """Poll `check` until it returns true; fail with `what` after `timeout` seconds, plus
    `details()` (logs, state), read only then. `check` may raise to give up early."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise AssertionError(
        f"not within {timeout:.0f} s: {what}" + (f"\n{details()}" if details else "")
    )


@contextmanager
def own_network(prefix: str) -> Iterator[str]:
    """A network of the test's own, which the runner joins; removed after."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    docker("network", "create", "--label", LABEL, name)
    join(name)
    try:
        yield name
    finally:
        leave(name)
        docker("network", "rm", name, check=False)


def join(network: str) -> None:
    """Connect the runner to `network`: the containers on it answer by name from here."""
    result = docker("network", "connect", network, RUNNER, check=False)
    if result.returncode != 0 and "already exists" not in result.stderr:
        raise AssertionError(f"joining {network}: {result.stderr}")


def leave(network: str) -> None:
    """Disconnect the runner, so that whoever owns `network` can remove it."""
    docker("network", "disconnect", "--force", network, RUNNER, check=False)


def remove_stale_run_folders(folder: Path) -> None:
    """Remove the folders in `folder` named by a run's id whose runner is gone: a run that was
    killed left them."""
    for run_folder in folder.glob("*"):
        if docker("inspect", f"bfportal-runner-{run_folder.name}", check=False).returncode != 0:
            shutil.rmtree(run_folder, ignore_errors=True)


@contextmanager
def exported_archive(image: str) -> Iterator[tarfile.TarFile]:
    """The image's filesystem as `docker export` streams it: read members in order, once."""
    container = docker("create", image).stdout.strip()
    try:
        export = subprocess.Popen(["docker", "export", container], stdout=subprocess.PIPE)
        with tarfile.open(fileobj=export.stdout, mode="r|") as archive:
            yield archive
        assert export.wait() == 0
    finally:
        docker("rm", container)


def exported_members(image: str) -> list[tarfile.TarInfo]:
    """Every entry of the image's filesystem, as `docker export` writes it."""
    with exported_archive(image) as archive:
        members = list(archive)
    assert len(members) > 1000, "the export looks empty"
    return members


# Run by the image's own Python: each module of /app and /venv whose .pyc that Python would not
# load as it is (missing, another version's magic number, or the source's mtime or size not the
# ones it was compiled from), so that it would compile the module again in memory at every start.
UNUSABLE_BYTECODE = """
import importlib.util
from pathlib import Path

for root in ("/app", "/venv"):
    for source in sorted(Path(root).rglob("*.py")):
        if "{{" in str(source):  # project templates' placeholder files are no modules
            continue
        try:
            header = Path(importlib.util.cache_from_source(source)).read_bytes()[:16]
        except OSError:
            print(source, "has no bytecode")
            continue
        stat = source.stat()
        expected = importlib.util.MAGIC_NUMBER + b"".join(
            (value & 0xFFFFFFFF).to_bytes(4, "little")
            for value in (0, int(stat.st_mtime), stat.st_size)
        )
        if header != expected:
            print(source, "has bytecode this Python ignores")
"""


def modules_without_usable_bytecode(image: str, *docker_args: str) -> list[str]:
    result = docker(
        "run", "--rm", *docker_args, "--entrypoint", "python", image, "-c", UNUSABLE_BYTECODE
    )  # fmt: skip
    return result.stdout.splitlines()


def moment(timestamp: str) -> datetime:
    """Docker's RFC 3339 timestamps, to the microsecond (they carry nanoseconds)."""
    seconds, _, fraction = timestamp.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{seconds}.{(fraction or '0')[:6]:0<6}+00:00")


def inspect(ref: str) -> dict:
    return json.loads(docker("inspect", ref).stdout)[0]


def health_status(state: dict) -> str:
    """The HEALTHCHECK status in `docker inspect`'s State: starting, healthy, unhealthy, none."""
    return state.get("Health", {}).get("Status", "none")


def env_args(env: dict[str, str]) -> list[str]:
    return [arg for name, value in env.items() for arg in ("--env", f"{name}={value}")]


# Prints the id of the page the default site starts at (the data migration's home page).
HOME_PAGE_ID = (
    "from wagtail.models import Site; print(Site.objects.get(is_default_site=True).root_page_id)"
)
# Prints the id of the page whose slug is given to format().
PAGE_ID = "from wagtail.models import Page; print(Page.objects.get(slug={slug!r}).id)"


# What the app's database role may do, as JSON: whether it is a superuser, whether the server
# runs a program for it (COPY ... TO PROGRAM), and the tables of the app's schema it does not
# own (after a restore, say, which would leave it unable to migrate them).
DATABASE_ROLE = """
import json
from django.db import DatabaseError, connection, transaction
with connection.cursor() as cursor:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    superuser = cursor.fetchone()[0]
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> current_user"
    )
    foreign = [row[0] for row in cursor.fetchall()]
    try:
        with transaction.atomic():
            cursor.execute("COPY (SELECT 1) TO PROGRAM 'true'")
        program = "ran"
    except DatabaseError as error:
        program = type(error.__cause__).__name__
print(json.dumps({"superuser": superuser, "program": program, "not_owned": foreign}))
"""
# What DATABASE_ROLE prints for a role of least privilege.
LEAST_PRIVILEGE = {"superuser": False, "program": "InsufficientPrivilege", "not_owned": []}


def django_shell(
    container: str, code: str, env: dict[str, str] | None = None, docker: Callable = docker
) -> str:
    """The last line `code` prints, run by `manage.py shell` in `container` (the shell first
    says how many objects it imported); `docker`: the CLI of the engine it runs on."""
    result = docker(
        "exec", *env_args(env or {}), container, "python", "manage.py", "shell", "-c", code
    )
    return result.stdout.strip().splitlines()[-1]


@dataclass
class Container:
    id: str
    url: str = ""
    # Seconds a request may take: more where the image runs emulated.
    timeout: float = 10

    def health(self) -> str:
        return health_status(inspect(self.id)["State"])

    def wait_healthy(self, timeout: float = 90) -> None:
        def healthy() -> bool:
            state = inspect(self.id)["State"]
            if not state["Running"]:
                raise AssertionError(f"container stopped before it was healthy:\n{self.logs()}")
            return health_status(state) == "healthy"

        eventually(
            healthy, timeout, "container healthy", details=lambda: f"{self.health()}\n{self.logs()}"
        )

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=self.timeout, **kwargs)

    def home_stylesheet(self) -> requests.Response:
        """The hashed stylesheet that the home page links, uncompressed; both answer 200."""
        home = self.get("/")
        assert home.status_code == 200
        link = HASHED_STYLESHEET_LINK.search(home.text)
        assert link, "no hashed stylesheet link in the home page"
        css = self.get(link.group(1), headers={"Accept-Encoding": "identity"})
        assert css.status_code == 200
        return css

    def logs(self) -> str:
        result = docker("logs", "--tail", "60", self.id, check=False)
        return result.stdout + result.stderr

    def remove(self) -> None:
        docker("rm", "--force", "--volumes", self.id, check=False)


# Its CPU time so far, from inside, as cgroup v2 (cpu.stat, microseconds) or v1 (nanoseconds).
CPU_TIME_SCRIPT = """
try:
    stat = dict(line.split() for line in open("/sys/fs/cgroup/cpu.stat"))
    print(int(stat["usage_usec"]) / 1e6)
except FileNotFoundError:
    print(int(open("/sys/fs/cgroup/cpuacct/cpuacct.usage").read()) / 1e9)
"""


def cpu_seconds(container: str) -> float:
    """The CPU time that every process of `container` has used since it started."""
    return float(docker("exec", container, "python", "-c", CPU_TIME_SCRIPT).stdout)


def server_name(role: str) -> str:
    """The name of this run's container for `role`, known before it starts; of this suite's,
    where `make test` runs the suites side by side (each starts its own)."""
    suite = os.environ.get("BFPORTAL_SUITE")
    return f"bfportal-{role}-{RUN}" + (f"-{suite}" if suite else "")


# The dev stack the browser suite starts: never the developer's own (project "bfportal").
DEV_PROJECT = "bfportal-e2e"
DEV_NETWORK = f"{DEV_PROJECT}_default"
DEV_WEB = f"{DEV_PROJECT}-web-1"


def run_container(
    image: str,
    *docker_args: str,
    env: dict[str, str | None] | None = None,
    network="",
    name="",
) -> Container:
    """Start a detached container on `network` (default: the runner's), reached by its name
    (default: a random one) on port 8000. `env` adds to SERVER_ENV; None removes a variable."""
    name = name or f"bfportal-test-{uuid.uuid4().hex[:8]}"
    if network:
        join(network)
    env = {**SERVER_ENV, "ALLOWED_HOSTS": f"{name},localhost", **(env or {})}
    container_id = docker(
        "run", "--detach", "--name", name, "--label", LABEL, "--network", network or NETWORK,
        *env_args({variable: value for variable, value in env.items() if value is not None}),
        *docker_args, image,
    ).stdout.strip()  # fmt: skip
    return Container(id=container_id, url=f"http://{name}:8000")


@contextmanager
def healthy_container(
    image: str, *docker_args: str, healthy_within: float = 90, **options
) -> Iterator[Container]:
    """A container started as run_container does, healthy before the block, removed after."""
    container = run_container(image, *docker_args, **options)
    try:
        container.wait_healthy(healthy_within)
        yield container
    finally:
        container.remove()


def migrated_template(image: str, timeout: float = 300) -> str:
    """A volume for /app/data that a one-off container of `image` migrated: once per run and
    image, whichever suite asks first (a full migration takes 15 CPU seconds), the others
    waiting on a lock in the runner's /tmp. The runner removes it when the run ends."""
    image_id = inspect(image)["Id"].removeprefix("sha256:")[:12]
    name = f"bfportal-migrated-{RUN}-{image_id}"
    with open(Path(tempfile.gettempdir()) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if docker("volume", "inspect", name, check=False).returncode == 0:
            return name
        docker("volume", "create", "--label", LABEL, name)
        try:
            docker(
                "run", "--rm", "--label", LABEL, "--volume", f"{name}:/app/data",
                *env_args(SERVER_ENV), image,
                "python", "manage.py", "migrate", "--noinput", timeout=timeout,
            )  # fmt: skip
        except BaseException:
            docker("volume", "rm", "--force", name, check=False)
            raise
    return name


@contextmanager
def migrated_volume(image: str) -> Iterator[str]:
    """A fresh named volume for /app/data with a migrated database of its own (a copy of
    migrated_template's), removed after."""
    template = migrated_template(image)
    volume = docker("volume", "create", "--label", LABEL).stdout.strip()
    try:
        docker(
            "run", "--rm", "--label", LABEL, "--volume", f"{template}:/template:ro",
            "--volume", f"{volume}:/app/data", "--entrypoint", "cp", image,
            "-a", "/template/.", "/app/data/",
        )  # fmt: skip
        yield volume
    finally:
        docker("volume", "rm", "--force", volume, check=False)


# Where Caddy keeps the root certificate of its own CA (`local_certs`, or a site on localhost).
CADDY_ROOT_CERTIFICATE = "/data/caddy/pki/authorities/local/root.crt"


def copy_caddy_root_certificate(container: str, destination: Path, details=str) -> None:
    """Copy the root certificate of Caddy's own CA out of `container` once Caddy has made
    it: what HTTPS clients of a test stack verify against."""
    eventually(
        lambda: docker("cp", f"{container}:{CADDY_ROOT_CERTIFICATE}", str(destination),
                       check=False).returncode == 0,
        timeout=60, what="Caddy made its CA", details=details,
    )  # fmt: skip


@dataclass
class AdminClient:
    """A browser-like session on the stack's Wagtail admin, over HTTPS through Caddy."""

    url: str
    ca: Path
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, path: str, **kwargs) -> requests.Response:
        # Per request: REQUESTS_CA_BUNDLE in the environment overrides a session's `verify`.
        return self.session.get(self.url + path, timeout=10, verify=str(self.ca), **kwargs)

    def post_form(
        self, path: str, data: dict, files: dict | None = None, headers: dict | None = None
    ) -> requests.Response:
        """Submit the form at `path` as a browser would: with the CSRF token it was served."""
        page = self.get(path)
        assert page.status_code == 200, f"GET {path}: {page.status_code}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.session.post(
            self.url + path,
            data={"csrfmiddlewaretoken": token, **data},
            files=files,
            # Over HTTPS, Django's CSRF check wants the page the form came from.
            headers={"Referer": self.url + path, **(headers or {})},
            allow_redirects=False,
            timeout=30,
            verify=str(self.ca),
        )

    def log_in(self, username: str, password: str) -> "AdminClient":
        """Through the login form, as a person would."""
        response = self.post_form(
            "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
        )
        assert response.status_code == 302, "login failed"
        assert self.is_logged_in()
        return self

    def is_logged_in(self) -> bool:
        response = self.get("/admin/", allow_redirects=False)
        return response.status_code == 200

    def publish_page(self, parent_id: int, title: str, slug: str, introduction: str) -> str:
        """Publish a StandardPage under `parent_id` through the page editor; return its path."""
        response = self.post_form(
            f"/admin/pages/add/home/standardpage/{parent_id}/",
            {
                "title": title,
                "slug": slug,
                "introduction": introduction,
                "body-count": "0",
                "action-publish": "publish",
            },
        )
        assert response.status_code == 302, f"publishing failed: {response.status_code}"
        return f"/{slug}/"

    def upload_image(self, name: str, content: bytes) -> str:
        """Upload a PNG through the image library; return the URL of the original file."""
        response = self.post_form(
            "/admin/images/add/",
            {"title": name},
            files={"file": (f"{name}.png", content, "image/png")},
        )
        assert response.status_code == 302, f"upload failed: {response.status_code}"
        return f"/media/original_images/{name}.png"


def postgres_18() -> str:
    """postgres:18-trixie, or where no registry is reachable its stand-in (from Debian sid)."""
    env = {k: v for k, v in os.environ.items() if k != "POSTGRES_IMAGE"}
    bases = subprocess.run(
        [TOOLS / "offline" / "base-images.sh", "postgres"], env={**env, "POSTGRES_MAJOR": "18"},
        capture_output=True, text=True, timeout=900, check=True,
    ).stdout  # fmt: skip
    return re.search(r"^POSTGRES_IMAGE=(\S+)$", bases, re.MULTILINE)[1]
