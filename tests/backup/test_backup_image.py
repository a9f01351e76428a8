"""The backup service's image (deploy/backup) against a real PostgreSQL and real volumes: a
backup restores every row and every upload byte for byte; a wrong key or a damaged repository
is refused in one line and the database stays byte for byte what it was; the retention keeps
exactly the snapshots restic's policy names; off-site to S3 (moto's server), the bucket holds
no plaintext; uploads kept in S3 come back, the bucket as it was."""

import hashlib
import os
import re
import secrets
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.containers import LABEL, docker, eventually, own_network
from tests.s3 import BACKUP_BUCKET, CREDENTIALS, ENDPOINT, moto_server, s3_client

PASSWORD = secrets.token_hex(16)
KEY = secrets.token_hex(16)
# A title that the database and an upload hold, and that no encrypted byte may show.
MARKER = "Quarterly report of the Zanzibar office"
# The site's uploads bucket, with MEDIA_STORAGE=s3.
MEDIA_BUCKET = "bfportal-uploads"


@pytest.fixture(scope="module")
def network():
    with own_network("bfportal-backup") as name:
        yield name


class Site:
    """A database server and an uploads volume, as the stacks' postgres and media."""

    def __init__(self, network: str, secrets: Path):
        self.network = network
        self.secrets = secrets
        self.media = f"bfportal-backup-media-{uuid.uuid4().hex[:8]}"
        docker("volume", "create", "--label", LABEL, self.media)
        self.postgres = docker(
            "run", "--detach", "--label", LABEL, "--network", network,
            "--env", "POSTGRES_USER=bfportal", "--env", f"POSTGRES_PASSWORD={PASSWORD}",
            "--env", "POSTGRES_DB=bfportal", "--volume", f"{self.media}:/media",
            "--network-alias", "postgres", os.environ["POSTGRES_IMAGE"],
        ).stdout.strip()  # fmt: skip
        eventually(
            lambda: self.sql("SELECT 1", check=False).returncode == 0,
            timeout=60, what="PostgreSQL answers over TCP",
        )  # fmt: skip
        self.sql(
            "CREATE TABLE report (id serial PRIMARY KEY, title text, body bytea);"
            "INSERT INTO report (title, body) SELECT :'marker' || ' ' || n,"
            " decode(md5(n::text), 'hex') FROM generate_series(1, 200) AS n;",
            "--set",
            f"marker={MARKER}",
        )
        self.shell(
            f"mkdir -p /media/documents && echo '{MARKER}' > /media/documents/report.txt"
            " && head -c 300000 /dev/urandom > /media/original.png"
            " && chown -R 10001:10001 /media"
        )

    def sql(self, statement: str, *options: str, check: bool = True):
        """psql's output of `statement`, its variables set by `options` (--set name=value)."""
        return docker(
            "exec", "--interactive", "--env", f"PGPASSWORD={PASSWORD}", self.postgres, "psql",
            "--host=127.0.0.1", "--username=bfportal", "--dbname=bfportal", "--tuples-only",
            "--set=ON_ERROR_STOP=1", *options, input=statement, check=check,
        )  # fmt: skip

    def shell(self, script: str) -> str:
        return docker("exec", self.postgres, "sh", "-c", script).stdout

    def fingerprint(self) -> tuple[str, dict[str, str]]:
        """The database as a plain pg_dump's digest, and each upload's SHA-256."""
        dump = docker(
            "exec", "--env", f"PGPASSWORD={PASSWORD}", self.postgres, "pg_dump", "--host=127.0.0.1",
            "--restrict-key=fingerprint", "--username=bfportal",
            "bfportal",
        ).stdout  # fmt: skip
        files = self.shell("cd /media && find . -type f -exec sha256sum {} + | sort -k 2")
        hashes = {name: digest for digest, name in (line.split() for line in files.splitlines())}
        return hashlib.sha256(dump.encode()).hexdigest(), hashes

    def remove(self) -> None:
        docker("rm", "--force", "--volumes", self.postgres, check=False)
        docker("volume", "rm", "--force", self.media, check=False)


@pytest.fixture(scope="module")
def site(network, tmp_path_factory):
    site = Site(network, tmp_path_factory.mktemp("secrets"))
    yield site
    site.remove()


@pytest.fixture
def repository():
    """A restic repository in a volume of its own."""
    name = f"bfportal-backup-repo-{uuid.uuid4().hex[:8]}"
    docker("volume", "create", "--label", LABEL, name)
    yield name
    docker("volume", "rm", "--force", name, check=False)


@contextmanager
def backup_container(
    image: str,
    site: Site,
    *args: str,
    repository: str = "",
    key: str = KEY,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """A container of the image, created to run `bfportal-backup ARGS` as the stacks run it:
    the database by the name postgres, the uploads at /media, the repository's volume at
    /backups, the secrets as files (readable, as Docker's secrets are, by the image's user)."""
    settings = {
        "POSTGRES_PASSWORD_FILE": "/var/tmp/postgres_password",
        "BACKUP_PASSWORD_FILE": "/var/tmp/backup_password", **(env or {}),
    }  # fmt: skip
    container = docker(
        "create", "--label", LABEL, "--network", site.network, "--volume", f"{site.media}:/media",
        *(["--volume", f"{repository}:/backups"] if repository else []),
        *[arg for name, value in settings.items() for arg in ("--env", f"{name}={value}")],
        image, *args,
    ).stdout.strip()  # fmt: skip
    try:
        for name, value in (("postgres_password", PASSWORD), ("backup_password", key)):
            secret = site.secrets / name
            secret.write_text(value)
            secret.chmod(0o644)
            docker("cp", str(secret), f"{container}:/var/tmp/{name}")
        yield container
    finally:
        # With the anonymous volume of the PostgreSQL base's VOLUME.
        docker("rm", "--force", "--volumes", container, check=False)


def bfportal_backup(image: str, site: Site, *args: str, **options) -> subprocess.CompletedProcess:
    """`bfportal-backup ARGS` run to its end in a backup_container."""
    with backup_container(image, site, *args, **options) as container:
        return docker("start", "--attach", container, check=False, timeout=300)


def refused_in_a_line(result: subprocess.CompletedProcess, says: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert says in result.stderr


def backup(image: str, site: Site, repository: str, *args: str, **options) -> str:
    """A backup's snapshot ID."""
    made = bfportal_backup(image, site, "backup", *args, repository=repository, **options)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def test_a_restore_brings_back_every_row_and_every_upload_byte_for_byte(
    backup_image, site, repository
):
    before = site.fingerprint()
    snapshot = backup(backup_image, site, repository)
    site.sql("DELETE FROM report WHERE id > 100; INSERT INTO report (title) VALUES ('after')")
    site.shell("rm /media/original.png && echo later > /media/later.txt")
    assert site.fingerprint() != before

    restored = bfportal_backup(backup_image, site, "restore", snapshot, repository=repository)

    assert restored.returncode == 0, restored.stderr
    assert site.fingerprint() == before
    owners = site.shell("find /media -mindepth 1 -printf '%u:%g\\n' | sort -u").split()
    assert owners == ["10001:10001"]


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (
            'printf XXXX | dd of="$pack" bs=1 seek=40 conv=notrunc 2>/dev/null',
            "repository is damaged",
        ),
        ('truncate -s 20 "$pack"', "repository is damaged"),
    ],
    ids=["a-flipped-byte", "a-truncated-file"],
)
def test_a_damaged_backup_is_refused_in_one_line_and_the_database_is_unchanged(
    backup_image, site, repository, damage, says
):
    snapshot = backup(backup_image, site, repository)
    docker(
        "run", "--rm", "--user", "0", "--volume", f"{repository}:/backups", "--entrypoint", "sh",
        backup_image, "-c", f"for pack in $(find /backups/data -type f); do {damage}; done",
    )  # fmt: skip
    site.sql("INSERT INTO report (title) VALUES ('written after the backup')")
    before = site.fingerprint()

    restore = bfportal_backup(backup_image, site, "restore", snapshot, repository=repository)

    refused_in_a_line(restore, says)
    assert site.fingerprint() == before


def test_a_wrong_key_is_refused_in_one_line_and_the_database_is_unchanged(
    backup_image, site, repository
):
    snapshot = backup(backup_image, site, repository)
    before = site.fingerprint()

    restore = bfportal_backup(
        backup_image, site, "restore", snapshot, repository=repository, key="not-the-key"
    )

    refused_in_a_line(restore, "the key does not open the repository")
    assert site.fingerprint() == before


def snapshot_times(image: str, site: Site, repository: str) -> list[str]:
    listed = bfportal_backup(image, site, "snapshots", repository=repository)
    assert listed.returncode == 0, listed.stderr
    return re.findall(r"^[0-9a-f]{8} +(\S+) ", listed.stdout, re.MULTILINE)


# Backups on simulated days of 2026, oldest first, and the ones restic's policy keeps with the
# defaults (7 daily, 4 weekly, 6 monthly): the last 7 days with a backup (December 4 to 10),
# the last backup of each of the last 4 ISO weeks with one (December 10 and 6, November 29 and
# 22), and of each of the last 6 months with one (December 10, November 29, the 15th of
# October, September, August and July).
DAYS = (
    [f"2026-{month:02}-15" for month in range(4, 11)]
    + [f"2026-11-{day:02}" for day in (1, 8, 15, 22, 29)]
    + [f"2026-12-{day:02}" for day in range(1, 11)]
)
KEPT = ["2026-07-15", "2026-08-15", "2026-09-15", "2026-10-15", "2026-11-22", "2026-11-29"] + [
    f"2026-12-{day:02}" for day in range(4, 11)
]


def test_after_backups_on_simulated_days_exactly_the_daily_weekly_and_monthly_ones_remain(
    backup_image, site, repository
):
    for day in DAYS:
        backup(backup_image, site, repository, "--time", f"{day} 03:00:00")

    assert snapshot_times(backup_image, site, repository) == KEPT


def test_the_schedule_makes_a_backup_at_its_time_of_day_and_goes_on_running(
    backup_image, site, repository
):
    # The next whole minute at least 5 s away, so that the container has started by then.
    when = datetime.now(UTC) + timedelta(seconds=65)
    at = when.strftime("%H:%M")

    def backed_up() -> bool:
        listed = bfportal_backup(backup_image, site, "snapshots", repository=repository)
        return listed.returncode == 0 and snapshot_times(backup_image, site, repository) != []

    env = {"BACKUP_SCHEDULE": at}
    with backup_container(backup_image, site, "schedule", repository=repository, env=env) as daemon:
        docker("start", daemon)
        eventually(backed_up, timeout=120, what=f"the backup scheduled at {at} UTC")
        time.sleep(1)
        state = docker("inspect", "--format", "{{.State.Status}}", daemon).stdout.strip()
        logs = docker("logs", daemon).stderr

    assert state == "running", logs
    assert f"a backup every day at {at} UTC" in logs
    assert snapshot_times(backup_image, site, repository) == [when.date().isoformat()]


@pytest.mark.parametrize("schedule", ["25:00", "3am"])
def test_a_schedule_that_is_no_time_of_day_is_refused_in_one_line(
    backup_image, site, repository, schedule
):
    refused = bfportal_backup(
        backup_image, site, "schedule", repository=repository, env={"BACKUP_SCHEDULE": schedule}
    )

    refused_in_a_line(refused, "give a time of day, HH:MM (UTC)")


@pytest.fixture(scope="module")
def s3(dev_image, network):
    """moto's S3 server, by the name s3 on the network, with a bucket for the backups."""
    with moto_server(dev_image, network, BACKUP_BUCKET, "--network-alias", "s3") as endpoint:
        yield s3_client(endpoint)


def test_off_site_to_s3_the_bucket_holds_no_plaintext_and_the_backup_restores(
    backup_image, site, s3
):
    off_site = {"BACKUP_REPOSITORY": f"s3:{ENDPOINT}/{BACKUP_BUCKET}/site", **CREDENTIALS}
    before = site.fingerprint()
    snapshot = backup(backup_image, site, "", env=off_site)

    objects = s3.list_objects_v2(Bucket=BACKUP_BUCKET)["Contents"]
    stored = [s3.get_object(Bucket=BACKUP_BUCKET, Key=o["Key"])["Body"].read() for o in objects]
    assert sum(len(body) for body in stored) > 300_000  # the uploads are in there
    assert not [body for body in stored if MARKER.encode() in body]

    site.sql("DELETE FROM report")
    restored = bfportal_backup(backup_image, site, "restore", snapshot, env=off_site)
    assert restored.returncode == 0, restored.stderr
    assert site.fingerprint() == before


def bucket_contents(s3, bucket: str) -> dict[str, str]:
    """Each object's key and SHA-256."""
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        o["Key"]: hashlib.sha256(
            s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
        ).hexdigest()
        for o in listed
    }


def test_uploads_in_s3_are_backed_up_and_a_restore_puts_the_bucket_back_as_it_was(
    backup_image, site, repository, s3
):
    s3.create_bucket(Bucket=MEDIA_BUCKET)
    s3.put_object(Bucket=MEDIA_BUCKET, Key="original_images/harbour.png", Body=os.urandom(200_000))
    s3.put_object(Bucket=MEDIA_BUCKET, Key="documents/report.txt", Body=MARKER.encode())
    before = bucket_contents(s3, MEDIA_BUCKET)
    uploads = {
        "MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
        "AWS_S3_ENDPOINT_URL": ENDPOINT, "AWS_S3_REGION_NAME": "us-east-1", **CREDENTIALS,
    }  # fmt: skip
    snapshot = backup(backup_image, site, repository, env=uploads)
    # What an editor's deletions and later uploads do to the bucket.
    s3.delete_object(Bucket=MEDIA_BUCKET, Key="original_images/harbour.png")
    s3.put_object(Bucket=MEDIA_BUCKET, Key="documents/report.txt", Body=b"overwritten")
    s3.put_object(Bucket=MEDIA_BUCKET, Key="documents/later.txt", Body=b"after the backup")

    restored = bfportal_backup(
        backup_image, site, "restore", snapshot, repository=repository, env=uploads
    )

    assert restored.returncode == 0, restored.stderr
    assert bucket_contents(s3, MEDIA_BUCKET) == before
