"""Emulation for tests/arm64 on an amd64 engine. `make binfmt` (scripts/binfmt.sh) registers
QEMU through a privileged container, so any user who can run Docker can do it; `make test`
registers it only where it is missing, and removes it again when it ends.

The registration is the kernel's, shared by every container: these tests read it through a
privileged container, and put back whatever they take away. Where it was there before the
run (a user's own, Docker Desktop's, or an arm64 engine), it is not theirs to touch: then they
show that nothing changes it.
"""

import os
import subprocess
import tempfile

from tests.containers import LABEL, docker
from tests.paths import REPO_ROOT, SCRIPTS, TOOLS

BINFMT = SCRIPTS / "binfmt.sh"
# scripts/test.sh says so when it registered the emulation for this run.
REGISTERED_FOR_THIS_RUN = os.environ.get("BFPORTAL_BINFMT_REGISTERED") == "1"


def registration() -> str:
    """What the kernel shows of qemu-aarch64; empty if nothing is registered under that name."""
    read = (
        "[[ -e /proc/sys/fs/binfmt_misc/register ]] || "
        "mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; "
        "cat /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null || true"
    )
    return docker(
        "run", "--rm", "--privileged", "--label", LABEL, "--entrypoint", "bash", "bfportal:test",
        "-c", read,
    ).stdout  # fmt: skip


def as_ordinary_user(*command) -> subprocess.CompletedProcess:
    """Run `command` as a user who is not root but may use the Docker socket (as root: as
    nobody, with the socket's group), with a home of its own."""
    prefix = []
    if os.getuid() == 0:
        socket_group = os.stat("/var/run/docker.sock").st_gid
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", f"--groups={socket_group}"]
    home = tempfile.mkdtemp()
    # Its own home: the runner's /tmp/.docker may be root's.
    os.chmod(home, 0o777)  # noqa: S103 (a throw-away folder for the user set below)
    try:
        return subprocess.run(
            [*prefix, *map(str, command)], cwd=REPO_ROOT, env={**os.environ, "HOME": home},
            capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
    finally:
        subprocess.run([*prefix, "rm", "-rf", home], check=False)


def test_make_binfmt_registers_arm64_emulation_as_an_ordinary_user_only_where_it_is_missing():
    before = registration()
    if REGISTERED_FOR_THIS_RUN:
        assert as_ordinary_user(BINFMT, "remove").returncode == 0
        assert registration() == ""
        assert as_ordinary_user(BINFMT, "check").returncode == 1

        result = as_ordinary_user(BINFMT)

        assert result.returncode == 0, result.stderr
        after = registration()
        assert after.splitlines()[0] == "enabled", after
        flags = next(line for line in after.splitlines() if line.startswith("flags: "))
        assert "F" in flags, "without F, containers cannot find the interpreter"
    else:
        result = as_ordinary_user(BINFMT)

        assert result.returncode == 0, result.stderr
        assert "nothing to register" in result.stderr
        assert registration() == before
    assert as_ordinary_user(BINFMT, "check").returncode == 0


def test_a_test_run_that_registers_emulation_removes_it_when_it_ends():
    before = registration()
    if REGISTERED_FOR_THIS_RUN:
        assert as_ordinary_user(BINFMT, "remove").returncode == 0
    # A run of its own, from the host's side of scripts/test.sh, on the test below.
    nested = {k: v for k, v in os.environ.items() if not k.startswith("BFPORTAL_") and k != "CI"}
    try:
        result = subprocess.run(
            [SCRIPTS / "test.sh", f"{__file__}::test_this_engine_runs_arm64_programs", "-q"],
            cwd=REPO_ROOT, env=nested, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip

        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "1 passed" in result.stdout
        assert registration() == ("" if REGISTERED_FOR_THIS_RUN else before)
    finally:
        if REGISTERED_FOR_THIS_RUN:
            as_ordinary_user(BINFMT)


def test_this_engine_runs_arm64_programs(docker_engine, tmp_path):
    bases = subprocess.run(
        [TOOLS / "offline" / "base-images.sh"],
        env={**os.environ, "BFPORTAL_PLATFORM": "linux/arm64"},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    python_image = next(
        line.split("=", 1)[1] for line in bases.splitlines() if line.startswith("PYTHON_IMAGE=")
    )
    (tmp_path / "Dockerfile").write_text(
        f'FROM {python_image}\nRUN test "$(uname -m)" = aarch64 && python3 -c "print(6 * 7)"\n'
    )

    result = docker(
        "buildx", "build", "--platform", "linux/arm64", "--no-cache", "--progress=plain",
        str(tmp_path), timeout=600,
    )  # fmt: skip

    assert "42" in result.stderr


def test_binfmt_refuses_an_unknown_command_in_one_line():
    result = as_ordinary_user(BINFMT, "install")

    assert result.returncode == 2
    assert result.stderr.strip() == "binfmt: usage: scripts/binfmt.sh [check|remove]"
