"""The files contributors expect: a license, an .editorconfig the tree follows, pre-commit."""

import subprocess
import tomllib

import yaml

from tests.paths import REPO_ROOT

# Whitespace rules do not apply to these: images and other binary files.
BINARY = (".png", ".ico", ".jpg", ".webp", ".woff2")
# Indented with tabs, as .editorconfig says.
TABS = ("Makefile", "Caddyfile")


def tracked_text_files() -> list[str]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    return [name for name in names if name and not name.endswith(BINARY)]


def test_the_license_is_mit_as_the_package_metadata_and_the_image_label_say():
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())

    assert (REPO_ROOT / "LICENSE").read_text().startswith("MIT License\n")
    assert pyproject["project"]["license"] == "MIT"
    assert 'org.opencontainers.image.licenses="MIT"' in (REPO_ROOT / "Dockerfile").read_text()


def test_tracked_text_files_follow_the_editorconfig():
    offenders = []
    for name in tracked_text_files():
        text = (REPO_ROOT / name).read_bytes()
        lines = text.split(b"\n")
        if b"\r\n" in text:
            offenders.append(f"{name}: CRLF line endings")
        if text and not text.endswith(b"\n"):
            offenders.append(f"{name}: no final newline")
        if not name.endswith(".md") and any(line.rstrip() != line for line in lines):
            offenders.append(f"{name}: trailing whitespace")
        if name.endswith(TABS):
            continue
        if any(line.startswith(b"\t") for line in lines):
            offenders.append(f"{name}: indented with tabs")

    assert offenders == []


def test_pre_commit_runs_the_same_checks_as_make_lint():
    config = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]

    assert [hook["entry"] for hook in hooks] == ["make lint"]
    assert hooks[0]["pass_filenames"] is False
