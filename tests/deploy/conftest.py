"""A server and a registry of this run's own, and the site deployed there (tests/servers.py)."""

from tests.servers import (
    client_env,
    push,
    registry,
    server,
    server_image,
    site,
    site_settings,
    ssh_env,
)

__all__ = [
    "client_env",
    "push",
    "registry",
    "server",
    "server_image",
    "site",
    "site_settings",
    "ssh_env",
]
