"""How final is built: a Python-only change reinstalls no dependency (their layers come from the
cache), and nothing of the dev group or the dev and test images is part of the build."""

import re
import uuid

import pytest

from tests.containers import build_target, docker
from tests.paths import copy_checkout


@pytest.fixture(scope="module")
def python_change_states(tmp_path_factory, final_image) -> dict[str, str]:
    """Build final from a copy of the working tree with one Python file edited, after a
    build of the tree itself: each build step's title mapped to CACHED or DONE."""
    copy = copy_checkout(tmp_path_factory.mktemp("tree"))
    views = copy / "bfportal" / "search" / "views.py"
    # Unique per run: the same edit built before would come from the cache as a whole.
    views.write_text(views.read_text() + f"\n# A Python-only change: {uuid.uuid4()}\n")
    try:
        return step_states(build_target("final", "bfportal:cache-test", copy))
    finally:
        docker("rmi", "bfportal:cache-test", check=False)


def step_states(log: str) -> dict[str, str]:
    """Map each BuildKit step's title to "CACHED" or "DONE" from a --progress=plain log."""
    titles = dict(re.findall(r"^(#\d+) (\[.+)$", log, re.MULTILINE))
    return {
        titles[step]: state
        for step, state in re.findall(r"^(#\d+) (CACHED|DONE)", log, re.MULTILINE)
        if step in titles
    }


def test_python_only_change_takes_every_dependency_layer_from_cache(python_change_states):
    def state_of(*fragments):
        titles = [title for title in python_change_states if all(f in title for f in fragments)]
        assert len(titles) == 1, f"not one build step matching {fragments}: {titles}"
        return python_change_states[titles[0]]

    assert state_of("[builder ", "poetry sync --only main") == "CACHED"
    assert state_of("[node-deps ", "npm ci") == "CACHED"
    assert state_of("[bytecode ", "compileall") == "CACHED"
    assert state_of("[final ", "--from=bytecode /venv") == "CACHED"
    assert state_of("[final ", "COPY --link bfportal/") == "DONE"  # the code that changed


def test_final_is_built_without_the_dev_dependency_group_or_the_dev_and_test_images(
    python_change_states,
):
    stages = {title.split()[0].lstrip("[") for title in python_change_states}

    assert {"builder", "bytecode", "assets"} <= stages
    assert not stages & {"builder-dev", "dev", "test"}, sorted(stages)
