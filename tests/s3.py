"""moto's S3 server as the suites run it (tests/image/test_s3_media.py, tests/swarm,
tests/backup, tests/deploy): on the test's network, with one bucket, accepting any
credentials."""

from collections.abc import Iterator
from contextlib import contextmanager

import boto3
import requests

from tests.containers import LABEL, docker, eventually

ENDPOINT = "http://s3:5000"
BUCKET = "bfportal-media"
BACKUP_BUCKET = "bfportal-backups"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
# The settings that point the production image's uploads at it.
STORAGE_SETTINGS = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_ENDPOINT_URL": ENDPOINT,
    "AWS_S3_REGION_NAME": "us-east-1",
    **CREDENTIALS,
}


def s3_client(endpoint: str):
    """A client for the server at `endpoint`. From the runner, by address or a name no other
    suite's network has: the runner joins every suite's network, and each has an "s3"."""
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )  # fmt: skip


@contextmanager
def moto_server(image: str, network: str, bucket: str, *docker_args: str) -> Iterator[str]:
    """moto's S3 server from `image` (the dev image) on `network`, answering, with `bucket`;
    yields its endpoint by address (for clients that resolve no name of the network)."""
    container = docker(
        "run", "--detach", "--label", LABEL, "--network", network, *docker_args, image,
        # All interfaces of the container's own network namespace, so that others reach it.
        "moto_server", "--host", "0.0.0.0", "--port", "5000",  # noqa: S104
    ).stdout.strip()  # fmt: skip
    try:
        address = docker(
            "inspect", "--format",
            f'{{{{(index .NetworkSettings.Networks "{network}").IPAddress}}}}', container,
        ).stdout.strip()  # fmt: skip

        def answers() -> bool:
            try:
                return requests.get(f"http://{address}:5000", timeout=2).ok
            except requests.ConnectionError:
                return False

        eventually(answers, timeout=30, what="moto's server answers", interval=0.3)
        endpoint = f"http://{address}:5000"
        requests.put(f"{endpoint}/{bucket}", timeout=10).raise_for_status()
        yield endpoint
    finally:
        docker("rm", "--force", container, check=False)
