"""What the production image holds, read from its exported filesystem and its config."""

import os
import re
import tarfile
from pathlib import PurePosixPath

import pytest

from tests.containers import docker, exported_members, inspect, modules_without_usable_bytecode

MAX_IMAGE_MB = int(os.environ.get("BFPORTAL_MAX_IMAGE_MB", "270"))
COMPILERS = {"gcc", "g++", "cc", "c++", "clang", "cc1", "as", "ld", "make"}
NODE_TOOLS = {"node", "npm", "npx", "corepack", "yarn"}


@pytest.fixture(scope="module")
def final_members(final_image) -> list[tarfile.TarInfo]:
    return exported_members(final_image)


@pytest.fixture(scope="module")
def final_files(final_members) -> list[PurePosixPath]:
    return [PurePosixPath(member.name) for member in final_members]


def offenders(paths, predicate) -> list[str]:
    return sorted(str(path) for path in paths if predicate(path))[:20]


def test_final_image_has_no_node_modules(final_files):
    assert offenders(final_files, lambda p: "node_modules" in p.parts) == []


def test_final_image_has_no_node_npm_or_npx(final_files):
    def is_node_tool(path):
        return path.parent.name == "bin" and path.name in NODE_TOOLS

    assert offenders(final_files, is_node_tool) == []


def test_final_image_has_no_compilers_or_dev_headers(final_files):
    def is_build_tool(path):
        in_bin = path.parent.name == "bin" and (
            path.name in COMPILERS or re.fullmatch(r"(gcc|g\+\+|cpp|clang)-\d+", path.name)
        )
        is_header = "include" in path.parts and path.suffix == ".h" and path.parts[0] == "usr"
        return in_bin or is_header or path.parts[:3] == ("usr", "lib", "gcc")

    assert offenders(final_files, is_build_tool) == []


def test_final_image_has_no_poetry_or_package_caches(final_files):
    def is_leftover(path):
        text = str(path)
        return (
            "poetry" in path.name.lower()
            or text.startswith(("root/.cache/", "root/.npm/", "tmp/"))
            or (text.startswith("var/cache/apt/archives/") and path.suffix == ".deb")
            or (text.startswith("var/lib/apt/lists/") and path.name not in {"lock", "partial"})
        )

    assert offenders(final_files, is_leftover) == []


def test_final_image_has_no_git_env_files_or_tests(final_files):
    def is_private_or_test(path):
        return (
            ".git" in path.parts
            or path.name == ".env"
            or (path.parts[0] == "app" and (path.name.startswith("test_") or "tests" in path.parts))
        )

    assert offenders(final_files, is_private_or_test) == []


def test_final_image_has_the_app_venv_and_collected_static_files(final_files):
    paths = {str(path) for path in final_files}

    assert "app/manage.py" in paths
    assert "venv/bin/gunicorn" in paths
    assert any(
        re.fullmatch(r"app/staticfiles/css/dist/styles\.[0-9a-f]{12}\.css\.br", p) for p in paths
    )


def test_every_python_module_of_the_app_and_venv_ships_bytecode_its_python_loads(final_image):
    """The root is read-only and Python writes no bytecode there: a module without a usable
    .pyc is compiled again in every container that starts, which costs a new replica seconds
    of CPU before it can answer (10 s on a busy 2-core machine)."""
    assert modules_without_usable_bytecode(final_image)[:20] == []


def test_final_image_is_under_the_size_threshold(final_image):
    size_mb = inspect(final_image)["Size"] / 1_000_000

    print(f"\nfinal image size: {size_mb:.1f} MB (threshold {MAX_IMAGE_MB} MB)")
    assert size_mb <= MAX_IMAGE_MB


def test_final_image_runs_as_a_fixed_non_root_user(final_image):
    assert inspect(final_image)["Config"]["User"] == "10001:10001"
    uid = docker("run", "--rm", "--entrypoint", "id", final_image, "-u").stdout.strip()
    assert uid == "10001"


def test_final_image_declares_healthcheck_production_settings_and_labels(final_image):
    config = inspect(final_image)["Config"]

    assert config["Healthcheck"]["Test"] == ["CMD", "python", "healthcheck.py"]
    assert "DJANGO_SETTINGS_MODULE=bfportal.settings.production" in config["Env"]
    assert config["Cmd"] == ["gunicorn", "bfportal.wsgi"]
    assert config["Labels"]["org.opencontainers.image.title"] == "bfportal"


def test_final_image_has_no_setuid_or_setgid_files(final_members):
    privileged = [m.name for m in final_members if m.isfile() and m.mode & 0o6000]

    assert privileged == []


def test_final_image_names_its_base_image_in_a_label(final_image):
    labels = inspect(final_image)["Config"]["Labels"]

    assert labels["org.opencontainers.image.base.name"] == os.environ["PYTHON_IMAGE"]
