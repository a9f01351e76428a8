"""What the build context lets into the image, and what a build says about its base."""

import os
import re
import uuid

import pytest

from tests.containers import build_target, docker, exported_members
from tests.paths import copy_checkout

SECRET = f"leaked-{uuid.uuid4().hex}"
STAND_IN_WARNING = "WARNING: final is built on a local stand-in base"


@pytest.fixture(scope="module")
def built_with_env_files(tmp_path_factory, docker_engine):
    """final built from a copy of the tree with .env files in the project and in an app."""
    copy = copy_checkout(tmp_path_factory.mktemp("tree"))
    for folder in ("bfportal", "bfportal/home"):
        (copy / folder / ".env").write_text(f"SECRET_KEY={SECRET}\\n")
        (copy / folder / ".env.production").write_text(f"SECRET_KEY={SECRET}\\n")
    tag = f"bfportal:context-{uuid.uuid4().hex[:8]}"
    try:
        log = build_target("final", tag, copy)
        yield tag, log
    finally:
        docker("image", "rm", "--force", tag, check=False)


def test_env_files_at_any_depth_never_reach_the_image(built_with_env_files):
    tag, _ = built_with_env_files
    names = [member.name for member in exported_members(tag)]

    assert [name for name in names if name.rsplit("/", 1)[-1].startswith(".env")] == []


def test_a_build_on_a_stand_in_base_says_so_and_one_on_an_official_base_does_not(
    built_with_env_files,
):
    _, log = built_with_env_files
    on_stand_in = os.environ["PYTHON_IMAGE"].startswith("bfportal-base/")

    assert (STAND_IN_WARNING in log) == on_stand_in


def test_a_poetry_requirement_whose_hash_does_not_match_fails_the_build(tmp_path, docker_engine):
    copy = copy_checkout(tmp_path)
    requirements = copy / "requirements-poetry.txt"
    head, _, rest = requirements.read_text().partition("\npoetry==")
    block, _, tail = rest.partition("\n    # via")
    # Each of Poetry's own hashes (its wheel's and its sdist's) changed in its last digit.
    block = re.sub(
        r"([0-9a-f]{63})([0-9a-f])", lambda m: m[1] + ("0" if m[2] != "0" else "1"), block
    )
    requirements.write_text(f"{head}\npoetry=={block}\n    # via{tail}")

    with pytest.raises(AssertionError, match="DO NOT MATCH THE HASHES"):
        build_target("poetry", f"bfportal:hashes-{uuid.uuid4().hex[:8]}", copy)
