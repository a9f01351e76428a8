"""`make backup` and `make restore` on the server's stack, its backups off-site in S3: the
disaster case. Content of every kind is backed up under load; the stack taken down keeps its
database through a development checkout's `make clean`; then every volume and secret of the
stack is deleted, and a fresh stack restored from the bucket with the owner's key has it all
back: the same rows, the same files by hash, and the page in Chromium. Then the upgrade from
PostgreSQL 17 to 18, by `make deploy POSTGRES_MAJOR=18`, keeps all of it."""

import json
import re
import subprocess
import time

import pytest
import requests

from tests.containers import DATABASE_ROLE, LEAST_PRIVILEGE, docker, eventually, postgres_18
from tests.paths import REPO_ROOT, SCRIPTS, copy_checkout
from tests.servers import make_deploy, manage, trust_caddy
from tests.swarm.load import Load

CONTENT = """
import io
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from axes.models import AccessAttempt
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction, Page
from home.models import StandardPage
get_user_model().objects.create_user("kept-editor", "editor@example.com", "a-kept-password")
buffer = io.BytesIO()
PILImage.new("RGB", (640, 400), "teal").save(buffer, "PNG")
image = Image.objects.create(title="Harbour at dawn", file=ImageFile(buffer, name="harbour.png"))
for spec in ("fill-800x600", "width-320"):
    image.get_rendition(spec)
home = Page.objects.get(depth=2).specific
home.hero_image = image
home.save_revision().publish()
report = home.add_child(instance=StandardPage(title="Annual report", introduction="draft 1"))
for n in (2, 3):
    report.introduction = f"draft {n}"
    report.save_revision()
report.introduction = "The final text"
report.save_revision().publish()
board = Collection.get_first_root_node().add_child(name="Board papers")
CollectionViewRestriction.objects.create(
    collection=board, restriction_type=CollectionViewRestriction.LOGIN
)
Document.objects.create(
    title="Salaries", collection=board, file=ContentFile(b"private figures", name="salaries.txt")
)
AccessAttempt.objects.create(
    username="intruder", ip_address="203.0.113.9", user_agent="curl", path_info="/admin/login/",
    get_data="", post_data="", failures_since_start=3,
)
print("ok")
"""

# Everything that must come back, as rows and file hashes.
STATE = """
import hashlib, json
from django.contrib.auth import get_user_model
from axes.models import AccessAttempt
from wagtail.documents.models import Document
from wagtail.images.models import Image, Rendition
from wagtail.models import CollectionViewRestriction, Page, Revision
def digest(field):
    with field.storage.open(field.name) as stored:
        return hashlib.sha256(stored.read()).hexdigest()
print(json.dumps({
    "users": sorted(get_user_model().objects.values_list("username", "password")),
    "pages": sorted(Page.objects.values_list("id", "title", "live", "latest_revision_id")),
    "revisions": Revision.objects.count(),
    "images": sorted((i.title, i.file.name, digest(i.file)) for i in Image.objects.all()),
    "renditions": sorted(
        (r.filter_spec, r.file.name, digest(r.file)) for r in Rendition.objects.all()
    ),
    "documents": sorted(
        (d.title, d.collection.name, digest(d.file)) for d in Document.objects.all()
    ),
    "restrictions": CollectionViewRestriction.objects.count(),
    "attempts": sorted(
        AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")
    ),
}))
"""


def scripts(command: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SCRIPTS / command, *args], env=env, cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def content(server, site) -> dict:
    """The site's content of every kind, as STATE reads it."""
    assert manage(server, CONTENT) == "ok"
    # The renditions that serving the pages makes (the social-card image among them).
    for path in ("/", "/annual-report/"):
        requests.get(f"{site.url}{path}", verify=str(site.ca), timeout=30).raise_for_status()
    state = json.loads(manage(server, STATE))
    assert len(state["renditions"]) >= 2 and state["revisions"] >= 4
    return state


@pytest.fixture(scope="module")
def kept() -> dict[str, str]:
    """What the owner keeps away from the server: the backup's ID and the backups' key."""
    return {}


def test_a_backup_under_load_fails_no_request_and_is_listed(server, site, content, kept):
    with Load(site.url, site.ca) as load:
        made = scripts("backup.sh", site.env, "backup")
    assert made.returncode == 0, made.stderr
    failures = load.failures()
    print(f"\n{made.stderr.strip()}, under {load.connections} clients: {load.summary(failures)}")
    assert failures == [], load.summary(failures)
    assert load.kept_up(), load.summary(failures)
    kept["backup"] = made.stdout.strip()
    listed = scripts("backup.sh", site.env, "backups")
    assert listed.returncode == 0 and kept["backup"] in listed.stdout, listed.stderr
    print(listed.stdout)
    key = scripts("backup.sh", site.env, "key")
    assert key.returncode == 0, key.stderr
    kept["key"] = key.stdout.strip()


def test_make_clean_in_a_dev_checkout_beside_the_stack_taken_down_leaves_its_database(
    server, site, tmp_path
):
    down = scripts("swarm-down.sh", {**site.env, "DOCKER_HOST": server.host})
    assert down.returncode == 0, down.stderr
    # A checkout of this project whose .env turns on the dev stack's PostgreSQL.
    checkout = copy_checkout(tmp_path)
    (checkout / ".env").write_text(
        "COMPOSE_PROFILES=postgres\n"
        "DATABASE_URL=postgres://bfportal:bfportal@postgres:5432/bfportal\n"
    )
    clean = subprocess.run(
        [checkout / "scripts" / "clean.sh"], cwd=checkout,
        env={**site.env, "DOCKER_HOST": server.host}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert clean.returncode == 0, clean.stderr

    assert server.docker("volume", "inspect", "bfportal_postgres", check=False).returncode == 0, (
        f"make clean deleted the stack's database volume:\n{clean.stderr}"
    )


def test_on_a_wiped_server_a_fresh_stack_restores_everything_from_s3_with_the_kept_key(
    server, site, content, kept, browser
):
    # The disaster: the stack, its volumes and its secrets gone. swarm-down keeps the backups'
    # key, which the off-site backups need; a lost server takes that too.
    on_server = {**site.env, "DOCKER_HOST": server.host}
    gone = scripts("swarm-down.sh", on_server, "--volumes", "--yes-delete-data")
    assert gone.returncode == 0, gone.stderr
    assert not server.docker("volume", "ls", "--quiet", "--filter", "name=bfportal_").stdout.split()
    secrets = server.docker("secret", "ls", "--format", "{{.Name}}").stdout.split()
    assert secrets == ["bfportal_backup_password"], gone.stderr
    server.docker("secret", "rm", "bfportal_backup_password")
    # A fresh stack, with the key the owner kept: an empty site.
    fresh = make_deploy({**site.env, "BACKUP_PASSWORD": kept["key"]}, IMAGE=site.v1)
    assert fresh.returncode == 0, fresh.stderr[-4000:]
    trust_caddy(server, site)  # the fresh stack's Caddy has a CA of its own
    eventually(site.answers, timeout=120, what="the fresh stack answers")
    assert json.loads(manage(server, STATE)) != content

    started = time.monotonic()
    restored = scripts("backup.sh", site.env, "restore", kept["backup"])
    print(f"make restore: {time.monotonic() - started:.0f} s")

    assert restored.returncode == 0, restored.stderr
    print(restored.stderr.strip())
    eventually(site.answers, timeout=120, what="the site answers after the restore")
    assert json.loads(manage(server, STATE)) == content
    assert json.loads(manage(server, DATABASE_ROLE)) == LEAST_PRIVILEGE
    page = browser.new_context(ignore_https_errors=True).new_page()
    page.goto(f"{site.url}/annual-report/")
    assert "The final text" in page.content()
    page.goto(f"{site.url}/")
    hero = page.locator("img[src*='harbour']").first
    assert hero.evaluate("image => image.complete && image.naturalWidth") > 0


def test_a_deploy_that_gives_another_backup_key_than_the_stacks_is_refused_in_a_line(server, site):
    before = server.docker("service", "inspect", "bfportal_web", "--format", "{{.Version.Index}}")

    deploy = make_deploy({**site.env, "BACKUP_PASSWORD": "another-key"}, IMAGE=site.v1)

    assert deploy.returncode == 1, deploy.stderr[-4000:]
    said = deploy.stderr.strip().splitlines()
    assert len(said) == 1 and "BACKUP_PASSWORD is not the key of" in said[0], deploy.stderr
    after = server.docker("service", "inspect", "bfportal_web", "--format", "{{.Version.Index}}")
    assert after.stdout == before.stdout


def test_raising_postgres_major_to_18_restores_everything_into_a_new_server_or_stays_on_17(
    server, site, content, push, browser
):
    local = postgres_18()
    image = push(local, "postgres:18")
    server_version = "from django.db import connection; print(connection.pg_version // 10000)"
    # What `make publish POSTGRES_MAJOR=18` pushes: the release again, and a backup image built
    # on PostgreSQL 18.
    settings = {**site.env, "POSTGRES_MAJOR": "18", "POSTGRES_IMAGE": image}
    release = site.v1.split("@")[0] + ":v1"
    publish = scripts("publish.sh", {**settings, "IMAGE": release})
    docker("rmi", release, release.replace("/bfportal:", "/bfportal-backup:"), check=False)
    assert publish.returncode == 0, publish.stderr[-4000:]
    backup_image = re.search(r"BACKUP_IMAGE=(\S+@sha256:[0-9a-f]{64}) ", publish.stderr)[1]

    # A PostgreSQL 18 that cannot start: the deploy puts the stack back on 17, as it was.
    docker("buildx", "build", "--load", "--quiet", "--tag", "bfportal-postgres:broken", "-",
           input=f'FROM {local}\nCMD ["false"]\n')  # fmt: skip
    broken = push("bfportal-postgres:broken", "postgres:18-broken")
    docker("rmi", "bfportal-postgres:broken")
    failed = make_deploy(
        {**settings, "POSTGRES_IMAGE": broken, "BACKUP_IMAGE": backup_image}, IMAGE=site.v1
    )
    assert failed.returncode == 1, failed.stderr[-4000:]
    assert "the stack is back on PostgreSQL 17" in failed.stderr.strip().splitlines()[-1], (
        failed.stderr
    )
    eventually(site.answers, timeout=120, what="the site answers on PostgreSQL 17 again")
    assert manage(server, server_version) == "17"
    assert json.loads(manage(server, STATE)) == content

    upgrade = make_deploy({**settings, "BACKUP_IMAGE": backup_image}, IMAGE=site.v1)

    assert upgrade.returncode == 0, upgrade.stderr[-4000:]
    print(upgrade.stderr.strip())
    assert manage(server, server_version) == "18"
    assert json.loads(manage(server, STATE)) == content
    assert json.loads(manage(server, DATABASE_ROLE)) == LEAST_PRIVILEGE
    page = browser.new_context(ignore_https_errors=True).new_page()
    page.goto(f"{site.url}/annual-report/")
    assert "The final text" in page.content()
    # PostgreSQL 17's volume stays; a deploy that forgets the new major is refused.
    assert server.docker("volume", "inspect", "bfportal_postgres", check=False).returncode == 0
    version = ("service", "inspect", "bfportal_postgres", "--format", "{{.Version.Index}}")
    before = server.docker(*version)
    back = make_deploy(site.env, IMAGE=site.v1)
    assert back.returncode == 1, back.stderr[-4000:]
    said = back.stderr.strip().splitlines()
    assert len(said) == 1 and "the database runs PostgreSQL 18" in said[0], back.stderr
    assert server.docker(*version).stdout == before.stdout
    # Backups go on, with PostgreSQL 18's pg_dump.
    made = scripts("backup.sh", site.env, "backup")
    assert made.returncode == 0, made.stderr
