"""A Python-only change must not reinstall dependencies: their layers come from the cache."""

import re
import uuid

import pytest

from tests.containers import build_target, docker
from tests.paths import copy_checkout


@pytest.fixture
def changed_copy(tmp_path, final_image):
    """The working tree (tracked and untracked, not ignored files) with one Python file edited."""
    copy_checkout(tmp_path)
    views = tmp_path / "bfportal" / "search" / "views.py"
    # Unique per run: the same edit built before would come from the cache as a whole.
    views.write_text(views.read_text() + f"\n# A Python-only change: {uuid.uuid4()}\n")
    return tmp_path


def step_states(log: str) -> dict[str, str]:
    """Map each BuildKit step's title to "CACHED" or "DONE" from a --progress=plain log."""
    titles = dict(re.findall(r"^(#\d+) (\[.+)$", log, re.MULTILINE))
    return {
        titles[step]: state
        for step, state in re.findall(r"^(#\d+) (CACHED|DONE)", log, re.MULTILINE)
        if step in titles
    }


def test_python_only_change_takes_every_dependency_layer_from_cache(changed_copy):
    try:
        log = build_target("final", "bfportal:cache-test", changed_copy)
    finally:
        docker("rmi", "bfportal:cache-test", check=False)
    states = step_states(log)

    def state_of(*fragments):
        matches = [s for title, s in states.items() if all(f in title for f in fragments)]
        assert len(matches) == 1, f"not one build step matching {fragments}:\n" + "\n".join(states)
        return matches[0]

    assert state_of("[builder ", "poetry sync --only main") == "CACHED"
    assert state_of("[builder-dev ", "poetry sync") == "CACHED"
    assert state_of("[dev ", "npm ci") == "CACHED"
    assert state_of("[final ", "--from=builder /venv") == "CACHED"
    assert state_of("[final ", "COPY --link bfportal/") == "DONE"  # the code that changed
