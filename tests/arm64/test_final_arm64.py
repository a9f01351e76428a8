"""The production image for linux/arm64 (Apple Silicon, Graviton, Ampere), built as
`make build PLATFORM=linux/arm64` builds it and run on this engine: natively on an arm64 one,
emulated by QEMU on an amd64 one (`make test` registers it for the run where it is missing).
An engine that cannot run arm64 fails the build fixture with the one line that says what to run.
"""

import time

import pytest

from tests.containers import (
    SERVER_ENV,
    build_target,
    docker,
    env_args,
    exported_archive,
    healthy_container,
    inspect,
    migrated_volume,
    modules_without_usable_bytecode,
)

PLATFORM = "linux/arm64"
TAG = "bfportal:final-arm64"
# ELF header: e_ident[EI_DATA] (1 = little-endian) at byte 5, e_machine at bytes 18-19.
ELF_MAGIC = b"\x7fELF"
EM_386, EM_X86_64, EM_AARCH64 = 3, 62, 183
# Emulated, Python runs several times slower, and slower still where QEMU emulates pointer
# authentication in full (the official bases, CI's QEMU): the limits allow for that.
EMULATED = {"migrate": 600, "healthy": 300, "request": 60}
# Emulated containers take the CPU the suites beside them leave (1/8 of the default weight
# when both want it): their timed tests measure the app, not QEMU's share of the machine.
YIELDING = ("--cpu-shares", "128")


@pytest.fixture(scope="module")
def arm64_image(docker_engine) -> str:
    started = time.monotonic()
    build_target("final", TAG, platform=PLATFORM)
    print(f"\nfinal for {PLATFORM}: built in {time.monotonic() - started:.0f} s")
    return TAG


@pytest.fixture(scope="module")
def elf_machines(arm64_image) -> dict[str, int]:
    """e_machine of every regular ELF file in the image, by path."""
    machines = {}
    with exported_archive(arm64_image) as archive:
        for member in archive:
            if not member.isfile() or member.size < 20:
                continue
            head = archive.extractfile(member).read(20)
            if head.startswith(ELF_MAGIC):
                order = "little" if head[5] == 1 else "big"
                machines[member.name] = int.from_bytes(head[18:20], order)
    return machines


def test_arm64_image_config_says_linux_arm64(arm64_image):
    config = inspect(arm64_image)

    assert (config["Os"], config["Architecture"]) == ("linux", "arm64")


def test_arm64_image_holds_arm64_programs_and_libraries(elf_machines):
    arm64 = [path for path, machine in elf_machines.items() if machine == EM_AARCH64]

    assert len(arm64) > 100, f"only {len(arm64)} arm64 ELF files"
    assert any(path.endswith("bin/python3.13") for path in arm64)


def test_arm64_image_contains_no_x86_elf_file(elf_machines):
    x86 = sorted(path for path, m in elf_machines.items() if m in (EM_X86_64, EM_386))

    assert x86 == []


def test_arm64_image_ships_bytecode_its_own_python_loads(arm64_image):
    # Compiled by the build machine's Python (the bytecode stage), loaded by the arm64 one.
    assert modules_without_usable_bytecode(arm64_image, *YIELDING)[:20] == []


def test_arm64_image_turns_healthy_and_serves_the_home_page_and_its_hashed_css(
    arm64_image, final_image
):
    # The database is migrated natively, by the amd64 build of the same release (SQLite's
    # file is the same on both): emulated, that took 140 s of a core. The arm64 image loads
    # every migration and must find none left to apply.
    with migrated_volume(final_image) as volume:
        started = time.monotonic()
        docker(
            "run", "--rm", *YIELDING, "--volume", f"{volume}:/app/data", *env_args(SERVER_ENV),
            arm64_image, "python", "manage.py", "migrate", "--check", "--noinput",
            timeout=EMULATED["migrate"],
        )  # fmt: skip
        print(f"\n{PLATFORM}: no migration left, checked in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        # One worker: emulated, every one is several times slower to start.
        with healthy_container(
            arm64_image,
            *YIELDING,
            "--volume",
            f"{volume}:/app/data",
            env={"WEB_CONCURRENCY": "1"},
            healthy_within=EMULATED["healthy"],
        ) as server:
            print(f"{PLATFORM}: healthy {time.monotonic() - started:.1f} s after docker run")
            server.timeout = EMULATED["request"]
            uname = docker("exec", server.id, "python", "-c", "import os; print(os.uname())")
            assert "machine='aarch64'" in uname.stdout
            css = server.home_stylesheet()
            assert css.headers["Content-Type"].startswith("text/css")
            assert len(css.content) > 1000
