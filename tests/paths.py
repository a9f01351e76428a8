"""Where things are in the checkout, and a copy of it for tests that must not touch it."""

import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_DIR = REPO_ROOT / "bfportal"
SCRIPTS = REPO_ROOT / "scripts"
TOOLS = REPO_ROOT / "tools"
DOCS = REPO_ROOT / "docs"


def copy_checkout(destination: Path) -> Path:
    """Copy the working tree's tracked and untracked, not ignored, files to `destination`."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, files):
        source = REPO_ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination
