"""A server and a registry of this run's own, and the site deployed there (tests/servers.py),
its backups off-site in moto's S3 server on the runner's network."""

import pytest

from tests.containers import NETWORK
from tests.s3 import BACKUP_BUCKET, CREDENTIALS, moto_server
from tests.servers import client_env, push, registry, server, server_image, site, ssh_env

__all__ = ["client_env", "push", "registry", "server", "server_image", "site", "ssh_env"]


@pytest.fixture(scope="session")
def off_site(dev_image):
    """moto's S3 server with a bucket for the backups; reached by its address, since the
    server's containers resolve no name of the runner's network. Its endpoint."""
    with moto_server(dev_image, NETWORK, BACKUP_BUCKET) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def site_settings(off_site) -> dict[str, str]:
    """The site's backups in the bucket, with S3's credentials (the secret one kept by the
    first deploy as a Docker secret)."""
    return {"BACKUP_REPOSITORY": f"s3:{off_site}/{BACKUP_BUCKET}/site", **CREDENTIALS}
