"""A server and a registry of this run's own, and the site deployed there (tests/servers.py):
the stack whose data `make backup` keeps, and whose volumes no everyday command deletes."""

from tests.servers import client_env, push, registry, server, server_image, site, ssh_env

__all__ = ["client_env", "push", "registry", "server", "server_image", "site", "ssh_env"]
