"""A server and a registry of this run's own, as `make deploy` meets them in the world, and the
site deployed there: fixtures for the suites that use a server (a conftest imports them).

- The server (tests/server/Dockerfile): Docker Engine and an SSH server in a privileged container on
  the runner's network, its engine's data root in a volume, a key made for this run, password
  logins off. Its engine is reached as DOCKER_HOST=ssh://deploy@<name>, Docker's own transport.
- The registry: registry:2 (or its stand-in) with a login, in the server's network namespace,
  its port published on the host's loopback: `localhost:PORT/...` is then one image name for
  the host's engine, which pushes, and the server's, which pulls. Docker speaks plain HTTP to
  a registry on localhost, so neither engine needs an insecure-registry setting. The client
  (this process, where `make deploy` reads the image's size) finds it at localhost:PORT too:
  a forwarder to the server's port.
- The site: release v1 published with `make publish` and deployed with `make deploy`.
"""

import contextlib
import os
import re
import secrets
import socket
import socketserver
import subprocess
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.containers import (
    CADDY_ROOT_CERTIFICATE,
    LABEL,
    NETWORK,
    RUN,
    django_shell,
    docker,
    eventually,
    server_name,
)
from tests.paths import REPO_ROOT, SCRIPTS

SERVER_DIR = Path(__file__).parent / "server"
SERVER_IMAGE = "bfportal-deploy-server:test"
# A port on the host's loopback that no other run, and no other suite of this run, uses.
SUITE = os.environ.get("BFPORTAL_SUITE", "")
REGISTRY_PORT = 32000 + (int(RUN[:4] or "0", 16) + zlib.crc32(SUITE.encode())) % 1000
REGISTRY_USER = "ci"
# Where both registry:2 and its stand-in keep their configuration.
HTPASSWD = "/etc/docker/registry/htpasswd"


@dataclass(frozen=True)
class Server:
    name: str
    host: str  # DOCKER_HOST, as a user gives it to `make deploy`
    env: dict[str, str]  # the environment in which `ssh` knows this server and its key

    def docker(self, *args: str, env: dict[str, str] | None = None, **options):
        """The docker CLI against the server's engine, over SSH; options as for docker()."""
        return docker(*args, env={**(env or self.env), "DOCKER_HOST": self.host}, **options)


@dataclass(frozen=True)
class Registry:
    address: str  # localhost:PORT
    username: str
    password: str


@pytest.fixture(scope="session")
def server_image(docker_engine) -> str:
    """tests/server/Dockerfile on DEBIAN_IMAGE (the official Debian or its stand-in)."""
    certs = Path("/usr/local/share/ca-certificates")
    subprocess.run(
        [
            "docker", "buildx", "build", "--load", "--quiet",
            "--build-arg", f"DEBIAN_IMAGE={os.environ['DEBIAN_IMAGE']}",
            "--build-context", f"certs={certs if certs.is_dir() else SERVER_DIR}",
            "-t", SERVER_IMAGE, str(SERVER_DIR),
        ],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    return SERVER_IMAGE


@pytest.fixture(scope="session")
def ssh_env(tmp_path_factory) -> dict[str, str]:
    """An environment whose `ssh` logs in with this run's key and knows no host but those
    added to its known_hosts: a wrapper first on PATH (Docker's transport calls `ssh`)."""
    directory = tmp_path_factory.mktemp("ssh")
    key = directory / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"bfportal-{RUN}", "-f", str(key)],
        check=True,
    )
    config = directory / "config"
    config.write_text(
        f"Host *\n  IdentityFile {key}\n  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {directory / 'known_hosts'}\n  StrictHostKeyChecking yes\n"
        "  PasswordAuthentication no\n  BatchMode yes\n  ConnectTimeout 10\n"
    )
    wrapper = directory / "bin" / "ssh"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec /usr/bin/ssh -F {config} "$@"\n')
    wrapper.chmod(0o755)
    return {
        **os.environ,
        "PATH": f"{wrapper.parent}:{os.environ['PATH']}",
        "BFPORTAL_SSH_PUBLIC_KEY": (directory / "id_ed25519.pub").read_text().strip(),
        "BFPORTAL_SSH_DIR": str(directory),
    }


def start_server(image: str, ssh_env: dict[str, str], role: str, *docker_args: str) -> Server:
    name = server_name(role)
    # Labelled, so that the runner removes it after a run that was killed.
    docker("volume", "create", "--label", LABEL, f"{name}-data")
    docker(
        "run", "--detach", "--name", name, "--label", LABEL, "--network", NETWORK,
        "--privileged", "--volume", f"{name}-data:/var/lib/docker",
        "--env", f"AUTHORIZED_KEY={ssh_env['BFPORTAL_SSH_PUBLIC_KEY']}", *docker_args, image,
    )  # fmt: skip
    server = Server(name=name, host=f"ssh://deploy@{name}", env=ssh_env)

    def answers() -> bool:
        keys = subprocess.run(
            ["ssh-keyscan", "-t", "ed25519", name], capture_output=True, text=True, check=False
        ).stdout
        if not keys:
            return False
        (Path(ssh_env["BFPORTAL_SSH_DIR"]) / "known_hosts").write_text(keys)
        version = server.docker("version", "--format", "{{.Server.Version}}", check=False)
        return bool(version.stdout.strip())

    eventually(
        answers, timeout=90, what=f"{name}'s engine answers over SSH", interval=1,
        details=lambda: docker("logs", "--tail", "30", name, check=False).stderr,
    )  # fmt: skip
    return server


def remove_server(server: Server) -> None:
    docker("rm", "--force", "--volumes", server.name, check=False)
    docker("volume", "rm", "--force", f"{server.name}-data", check=False)


@pytest.fixture(scope="session")
def server(server_image, ssh_env):
    """A bare server: Docker and SSH, nothing else; the registry's port published on the
    host's loopback."""
    server = start_server(
        server_image, ssh_env, "server",
        "--publish", f"127.0.0.1:{REGISTRY_PORT}:{REGISTRY_PORT}",
    )  # fmt: skip
    yield server
    remove_server(server)


@pytest.fixture(scope="session")
def registry(server, server_image, tmp_path_factory):
    """REGISTRY_IMAGE with an htpasswd login, in the server's network namespace."""
    password = secrets.token_urlsafe(16)
    htpasswd = docker(
        "run", "--rm", "--entrypoint", "htpasswd", server_image, "-Bbn", REGISTRY_USER, password
    ).stdout  # fmt: skip
    name = server_name("registry")
    docker(
        "create", "--name", name, "--label", LABEL, "--network", f"container:{server.name}",
        "--env", f"REGISTRY_HTTP_ADDR=:{REGISTRY_PORT}", "--env", "REGISTRY_AUTH=htpasswd",
        "--env", "REGISTRY_AUTH_HTPASSWD_REALM=bfportal",
        "--env", f"REGISTRY_AUTH_HTPASSWD_PATH={HTPASSWD}",
        os.environ["REGISTRY_IMAGE"],
    )  # fmt: skip
    try:
        login = tmp_path_factory.mktemp("registry") / "htpasswd"
        login.write_text(htpasswd)
        docker("cp", str(login), f"{name}:{HTPASSWD}")
        docker("start", name)

        def answers() -> bool:
            try:
                url = f"http://{server.name}:{REGISTRY_PORT}/v2/"
                return requests.get(url, timeout=5).status_code == 401
            except requests.RequestException:
                return False

        eventually(answers, timeout=60, what="the registry answers, asking for a login")
        forwarder = forward(REGISTRY_PORT, server.name)
        yield Registry(f"localhost:{REGISTRY_PORT}", REGISTRY_USER, password)
        forwarder.shutdown()
    finally:
        docker("rm", "--force", "--volumes", name, check=False)


def forward(port: int, host: str) -> socketserver.ThreadingTCPServer:
    """Connections to localhost:port in this process's network, relayed to host:port."""

    def pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(1 << 16):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    class Relay(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            with socket.create_connection((host, port), timeout=30) as upstream:
                upstream.settimeout(None)
                back = threading.Thread(target=pump, args=(upstream, self.request), daemon=True)
                back.start()
                pump(self.request, upstream)
                back.join()

    relay = socketserver.ThreadingTCPServer(("127.0.0.1", port), Relay)
    relay.daemon_threads = True
    threading.Thread(target=relay.serve_forever, daemon=True).start()
    return relay


@dataclass(frozen=True)
class Site:
    url: str
    ca: Path
    env: dict[str, str]  # what `make deploy` runs with

    v1: str  # release v1, by digest

    def health(self) -> dict:
        return requests.get(f"{self.url}/healthz/", verify=str(self.ca), timeout=10).json()

    def answers(self) -> bool:
        """Whether the site's health check answers ok now."""
        try:
            return self.health()["status"] == "ok"
        except requests.RequestException:
            return False


def trust_caddy(server: Server, site: Site) -> None:
    """The CA of the server's Caddy (its own, made on its first start) in site.ca."""

    def copied() -> bool:
        caddy = server.docker("ps", "--quiet", "--filter", "name=bfportal_caddy").stdout.split()
        return bool(caddy) and server.docker(
            "cp", f"{caddy[0]}:{CADDY_ROOT_CERTIFICATE}", str(site.ca), check=False
        ).returncode == 0  # fmt: skip

    eventually(copied, timeout=60, what="Caddy made its CA")


def web_container(server) -> str:
    ids = server.docker(
        "ps", "--quiet", "--filter", "name=bfportal_web", "--filter", "health=healthy"
    ).stdout.split()  # fmt: skip
    assert ids, server.docker("service", "ps", "bfportal_web", check=False).stdout
    return ids[0]


def manage(server, code: str) -> str:
    """`manage.py shell -c code` in one of the server's web containers; its last line."""
    return django_shell(web_container(server), code, docker=server.docker)


def make_deploy(env: dict[str, str], **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SCRIPTS / "deploy.sh"], env={**env, **settings}, cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip


@pytest.fixture(scope="session")
def client_env(registry, tmp_path_factory) -> dict[str, str]:
    """A client logged in to the registry (its own DOCKER_CONFIG)."""
    env = {**os.environ, "DOCKER_CONFIG": str(tmp_path_factory.mktemp("docker-config"))}
    docker(
        "login", "--username", registry.username, "--password-stdin", registry.address,
        env=env, input=registry.password,
    )  # fmt: skip
    return env


@pytest.fixture(scope="session")
def push(registry, client_env):
    """push(local image, name): the image in the registry as localhost:PORT/name."""

    def push(source: str, name: str) -> str:
        target = f"{registry.address}/{name}"
        docker("tag", source, target)
        docker("push", "--quiet", target, env=client_env, timeout=600)
        docker("rmi", target)
        return target

    return push


@pytest.fixture(scope="session")
def site_settings() -> dict[str, str]:
    """Settings of the suite's own for the site's deploys (none by default)."""
    return {}


@pytest.fixture(scope="session")
def site(server, site_settings, push, client_env, registry, tmp_path_factory) -> Site:
    """Release v1 and the backup service's image, published with `make publish` and deployed by
    their digests (as CI does) to the bare server, with the stack's PostgreSQL, Caddy and Valkey
    from the registry too; reached over HTTPS by the server's name."""
    directory = tmp_path_factory.mktemp("site")
    env = {
        **server.env, "DOCKER_CONFIG": client_env["DOCKER_CONFIG"], "HOST": server.host,
        "POSTGRES_IMAGE": push(os.environ["POSTGRES_IMAGE"], "postgres:17"),
        "CADDY_IMAGE": push(os.environ["CADDY_IMAGE"], "caddy:2"),
        "VALKEY_IMAGE": push(os.environ["VALKEY_IMAGE"], "valkey:8"),
        "SITE_ADDRESS": server.name, "CADDY_GLOBAL_OPTIONS": "local_certs",
        "SWARM_ENV_FILE": str(directory / "none"), **site_settings,
    }  # fmt: skip
    v1 = f"{registry.address}/bfportal:v1"
    publish = subprocess.run(
        [SCRIPTS / "publish.sh"], env={**env, "IMAGE": v1}, cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    docker("rmi", v1, f"{registry.address}/bfportal-backup:v1", check=False)
    assert publish.returncode == 0, publish.stderr[-4000:]
    digest = re.search(
        r"make deploy IMAGE=(\S+@sha256:[0-9a-f]{64}) BACKUP_IMAGE=(\S+@sha256:[0-9a-f]{64}) ",
        publish.stderr,
    )
    assert digest, publish.stderr
    env["BACKUP_IMAGE"] = digest[2]
    deploy = make_deploy(env, IMAGE=digest[1])
    assert deploy.returncode == 0, deploy.stderr[-4000:]

    site = Site(f"https://{server.name}", directory / "caddy-root.crt", env, digest[1])
    trust_caddy(server, site)
    eventually(site.answers, timeout=60, what="the site answers over HTTPS")
    return site
