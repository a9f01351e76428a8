"""tools/offline/ensure-docker-engine.sh installs an engine only where that is safe.

The real script runs in throwaway containers where no engine answers. Where it must not act
(not Debian bookworm/trixie, not root, Docker CE installed but stopped, an install that would
upgrade or remove packages that are not Docker's) it refuses with one line; when the install
fails it removes the apt files it wrote. Either way apt's state (installed packages, /etc/apt)
is left as it was. Everything apt sees comes from dummy packages and file-based repositories
built inside the container, which has no network.
"""

import subprocess
from dataclasses import dataclass

import pytest

from tests.containers import LABEL, docker
from tests.paths import REPO_ROOT

SCRIPT = REPO_ROOT / "tools" / "offline" / "ensure-docker-engine.sh"
SCRIPT_IN_CONTAINER = "/opt/ensure-docker-engine.sh"
TRIXIE_SOURCE = "/etc/apt/sources.list.d/bfportal-trixie.sources"
TRIXIE_PIN = "/etc/apt/preferences.d/bfportal-trixie"
SECTION = "@@bfportal-engine-bootstrap-section@@"
AS_NOBODY = "setpriv --reuid=65534 --regid=65534 --clear-groups"

# Shell helpers every container run starts with.
HELPERS = r"""
set -euo pipefail
arch=$(dpkg --print-architecture)

# What the script must leave alone: installed packages and apt's configuration.
state() {
  dpkg-query -W -f='${Package} ${Version} ${Status}\n'
  find /etc/apt -printf '%p %y %m\n' | sort
  find /etc/apt -type f -exec sha256sum {} + | sort -k 2
}

# fake_os_release ID CODENAME: /etc/os-release as on that system.
fake_os_release() {
  rm -f /etc/os-release
  printf 'ID=%s\nVERSION_CODENAME=%s\nPRETTY_NAME="%s %s"\n' "$1" "$2" "$1" "$2" >/etc/os-release
  if [[ $1 != debian ]]; then echo 'ID_LIKE=debian' >>/etc/os-release; fi
}

# dummy_deb NAME VERSION [CONTROL-LINE...]: /tmp/debs/NAME_VERSION.deb, shipping whatever
# was placed in /tmp/build/NAME beforehand.
dummy_deb() {
  local name=$1 version=$2 dir=/tmp/build/$1
  shift 2
  mkdir -p "$dir/DEBIAN" /tmp/debs
  {
    printf 'Package: %s\nVersion: %s\nArchitecture: all\n' "$name" "$version"
    printf 'Maintainer: bfportal tests <tests@example.invalid>\n'
    if (($#)); then printf '%s\n' "$@"; fi
    printf 'Description: dummy %s for the engine bootstrap tests\n' "$name"
  } >"$dir/DEBIAN/control"
  dpkg-deb --root-owner-group --build "$dir" "/tmp/debs/${name}_$version.deb" >/dev/null
}

# only_local_repo SUITE: apt's only source is file:/srv/repo SUITE, holding /tmp/debs/*.deb.
only_local_repo() {
  local suite=$1 dir=/srv/repo/dists/$1/main/binary-$arch deb
  mkdir -p "$dir" /srv/repo/pool /tmp/debs
  : >"$dir/Packages"
  for deb in /tmp/debs/*.deb; do
    [[ -e $deb ]] || continue
    cp "$deb" /srv/repo/pool/
    {
      dpkg-deb -f "$deb"
      echo "Filename: pool/${deb##*/}"
      echo "Size: $(stat -c %s "$deb")"
      echo "SHA256: $(sha256sum <"$deb" | cut -d ' ' -f 1)"
      echo
    } >>"$dir/Packages"
  done
  {
    printf 'Suite: %s\nCodename: %s\nArchitectures: %s\nComponents: main\n' \
      "$suite" "$suite" "$arch"
    printf 'Date: %s\nSHA256:\n' "$(date -Ru)"
    printf ' %s %s main/binary-%s/Packages\n' \
      "$(sha256sum <"$dir/Packages" | cut -d ' ' -f 1)" "$(stat -c %s "$dir/Packages")" "$arch"
  } >"/srv/repo/dists/$suite/Release"
  rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*
  printf 'Types: deb\nURIs: file:/srv/repo\nSuites: %s\nComponents: main\nTrusted: yes\n' \
    "$suite" >/etc/apt/sources.list.d/debian.sources
}

# Dummy trixie packages named as those the script installs; docker.io adds $docker_io_field.
engine_debs() {
  dummy_deb docker.io 99.0 "$docker_io_field"
  dummy_deb docker-cli 99.0
  dummy_deb docker-buildx 99.0
  dummy_deb docker-compose 99.0
}
"""


def in_container(image: str, commands: str) -> subprocess.CompletedProcess:
    """Run HELPERS + `commands` (bash, as root) in a throwaway container with the script."""
    return docker(
        "run", "--rm", "--label", LABEL, "--network", "none",
        "-v", f"{SCRIPT}:{SCRIPT_IN_CONTAINER}:ro",
        image, "bash", "-c", HELPERS + commands,
        timeout=120,
    )  # fmt: skip


@dataclass
class Outcome:
    returncode: int
    stderr: str
    before: str
    after: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.strip().splitlines()

    def refusal(self) -> str:
        """The one line the script refused with; fails unless it exited 1 with just that."""
        assert self.returncode == 1, self.stderr
        assert len(self.lines) == 1, self.stderr
        return self.lines[0]


def bootstrap(image: str, setup: str = "", as_user: str = "") -> Outcome:
    """Run the script after `setup` (as root) between two snapshots of apt's state, and
    check they are equal. `as_user` prefixes the script's command (e.g. AS_NOBODY)."""
    result = in_container(
        image,
        f"""
{setup}
state >/tmp/before
set +e
{as_user} {SCRIPT_IN_CONTAINER} >/dev/null 2>/tmp/stderr
echo $? >/tmp/rc
set -e
state >/tmp/after
for f in rc stderr before after; do echo '{SECTION}'; cat /tmp/$f; echo; done
""",
    )
    sections = [part.removesuffix("\n") for part in result.stdout.split(f"{SECTION}\n")[1:]]
    assert len(sections) == 4, result.stdout + result.stderr
    rc, stderr, before, after = sections
    outcome = Outcome(int(rc), stderr, before, after)
    assert outcome.after == outcome.before, f"apt's state changed; the script said:\n{stderr}"
    return outcome


@pytest.mark.parametrize(
    ("os_id", "codename"),
    [("ubuntu", "noble"), ("linuxmint", "wilma"), ("raspbian", "bookworm"), ("debian", "bullseye")],
    ids=["ubuntu", "linux-mint", "raspberry-pi-os", "debian-bullseye"],
)
def test_refuses_on_systems_other_than_debian_bookworm_or_trixie_and_changes_nothing(
    image, os_id, codename
):
    outcome = bootstrap(image, f"fake_os_release {os_id} {codename}")

    line = outcome.refusal()
    assert "install Docker Engine" in line
    assert "https://docs.docker.com/engine/install/" in line
    assert f"{os_id} {codename}" in line


def test_refuses_as_non_root_on_debian_trixie_and_changes_nothing(image):
    outcome = bootstrap(image, as_user=AS_NOBODY)

    line = outcome.refusal()
    assert "only as root" in line
    assert "install Docker Engine" in line


@pytest.mark.parametrize("package", ["docker-ce", "containerd.io"])
def test_refuses_when_docker_ce_is_installed_but_stopped_and_says_to_start_it(image, package):
    outcome = bootstrap(image, f"dummy_deb {package} 27.0.0-1\ndpkg -i /tmp/debs/*.deb >/dev/null")

    line = outcome.refusal()
    assert package in line
    assert "start that Docker" in line
    assert "systemctl start docker" in line


@pytest.mark.parametrize(
    ("dependency", "change"),
    [
        (
            "newer=\"$(dpkg-query -W -f='${Version}' tzdata)+bfportal1\"\n"
            'dummy_deb tzdata "$newer"\n'
            'docker_io_field="Depends: tzdata (>= $newer)"',
            "tzdata (upgrade)",
        ),
        ('docker_io_field="Conflicts: netbase"', "netbase (remove)"),
    ],
    ids=["upgrade", "removal"],
)
def test_refuses_when_the_install_would_change_a_package_that_is_not_dockers(
    image, dependency, change
):
    outcome = bootstrap(image, f"{dependency}\nengine_debs\nonly_local_repo trixie")

    assert outcome.returncode == 1, outcome.stderr
    assert "refusing" in outcome.lines[-1], outcome.stderr
    assert change in outcome.lines[-1], outcome.stderr
    assert [line for line in outcome.lines if "refusing" in line] == [outcome.lines[-1]]
    assert "docker.io" not in outcome.after


def test_installs_when_only_the_engines_own_packages_change_or_dependencies_are_new(image):
    # Installed: a dummy containerd 1.0. docker.io needs containerd 2.0 (the engine's own
    # upgrade) and a package not installed yet. The dummy client answers every command, so
    # the script ends as if an engine had come up.
    result = in_container(
        image,
        rf"""
dummy_deb containerd 1.0
dpkg -i /tmp/debs/containerd_1.0.deb >/dev/null
dummy_deb containerd 2.0
dummy_deb bfportal-new-dependency 1.0
mkdir -p /tmp/build/docker-cli/usr/bin
printf '#!/bin/sh\necho 99.0\n' >/tmp/build/docker-cli/usr/bin/docker
chmod 755 /tmp/build/docker-cli/usr/bin/docker
docker_io_field="Depends: containerd (>= 2.0), bfportal-new-dependency"
engine_debs
only_local_repo trixie
{SCRIPT_IN_CONTAINER} 2>&1 >/dev/null | sed 's/^/script: /' >&2
dpkg-query -W -f='${{Package}} ${{Version}}\n' docker.io containerd bfportal-new-dependency
""",
    )

    assert sorted(result.stdout.splitlines()) == [
        "bfportal-new-dependency 1.0",
        "containerd 2.0",
        "docker.io 99.0",
    ], result.stderr


def test_a_failed_bookworm_install_removes_the_trixie_pin_and_source_it_wrote_pin_first(image):
    # The host's only suite is an empty local bookworm one; the trixie suite the script
    # derives from that mirror does not exist, so apt cannot install the engine.
    outcome = bootstrap(image, "fake_os_release debian bookworm\nonly_local_repo bookworm")

    assert outcome.returncode != 0, outcome.stderr
    assert TRIXIE_SOURCE not in outcome.after
    assert TRIXIE_PIN not in outcome.after
    wrote = [
        line.split()[-1]
        for line in outcome.lines
        if line.startswith("ensure-docker-engine: wrote /")
    ]
    assert wrote == [TRIXIE_PIN, TRIXIE_SOURCE], outcome.stderr
    removed = {line.split()[2] for line in outcome.lines if line.endswith(" again")}
    assert removed == {TRIXIE_PIN, TRIXIE_SOURCE}, outcome.stderr
