"""`make rename NAME=acme TITLE="Acme Corp"` (scripts/rename.sh) on copies of the checkout: what
a renamed tree holds, that its app suite passes and its final image serves, and what the rename
refuses without changing anything."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.containers import RUNNER, docker, healthy_container, inspect, migrated_volume
from tests.paths import SCRIPTS, copy_checkout

STARTER = "bfportal"
NAME, TITLE = "acme", "Acme Corp"


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def git(tree: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(
        ["git", *args], cwd=tree, capture_output=True, text=True, check=check
    ).stdout


def commit_all(tree: Path, message: str) -> None:
    git(tree, "add", "-A")
    git(tree, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", message)


def rename(tree: Path, *args: str) -> subprocess.CompletedProcess:
    """The tree's own scripts/rename.sh, as `make rename` runs it, already in the runner.
    A renamed tree's scripts look for the runner under the new name: both are set."""
    env = {**os.environ, f"{STARTER.upper()}_RUNNER": RUNNER, f"{NAME.upper()}_RUNNER": RUNNER}
    return subprocess.run(
        [tree / "scripts" / "rename.sh", *args],
        cwd=tree, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def clone(tree: Path, destination: Path) -> Path:
    """A copy of a tree with its .git: another checkout in the same state."""
    return Path(shutil.copytree(tree, destination, symlinks=True))


def snapshot(tree: Path) -> tuple[str, str]:
    """What git sees, and a hash of every folder, file, mode and link outside .git."""
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(tree):
        folders[:] = sorted(name for name in folders if name != ".git")
        for name in sorted(folders + files):
            path = Path(folder, name)
            stat = path.lstat()
            digest.update(f"{path.relative_to(tree)}\0{stat.st_mode}\0".encode())
            if path.is_symlink():
                digest.update(os.readlink(path).encode())
            elif path.is_file():
                digest.update(path.read_bytes())
    status = git(tree, "status", "--porcelain", "--ignored", "--untracked-files=all")
    return status, digest.hexdigest()


def status_lines(tree: Path) -> list[str]:
    return git(tree, "status", "--porcelain", "--ignored", "--untracked-files=all").splitlines()


def lint_problems(tree: Path, renamed_to: str = "") -> set[str]:
    """ruff and shellcheck findings as `path code` (paths spelt as after a rename to
    `renamed_to`), to compare a renamed tree with the starter it came from."""
    scripts = [str(p.relative_to(tree)) for p in sorted(tree.glob("scripts/*.sh"))]
    scripts += [str(p.relative_to(tree)) for p in sorted(tree.glob("tools/**/*.sh"))]
    position = r"^(\S+):\d+:\d+: "
    runs = [
        (["ruff", "check", "--no-cache", "--output-format", "concise", "."], position + r"(\S+)"),
        (["ruff", "format", "--no-cache", "--check", "."], r"^Would reformat: (\S+)()"),
        (["shellcheck", "-x", "-f", "gcc", *scripts], position + r".*\[(SC\d+)\]$"),
    ]
    found = set()
    for command, pattern in runs:
        result = subprocess.run(command, cwd=tree, capture_output=True, text=True)
        assert result.returncode in (0, 1), result.stderr  # 1: findings; more: it failed
        for match in re.finditer(pattern, result.stdout, flags=re.MULTILINE):
            path = match.group(1)
            if renamed_to:
                path = path.replace(STARTER, renamed_to)
            found.add(f"{path} {match.group(2)}")
    return found


# ---------------------------------------------------------------------------
# Fixtures: one committed copy of the checkout, and one renamed clone of it.
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    """The working tree as a fresh repository with one commit, as a clone would be."""
    tree = copy_checkout(tmp_path_factory.mktemp("starter") / "tree")
    git(tree, "init", "-q")
    commit_all(tree, "base")
    return tree


@pytest.fixture(scope="module")
def renamed(starter, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A clone of the starter after `make rename NAME=acme TITLE="Acme Corp"` (read only)."""
    tree = clone(starter, tmp_path_factory.mktemp("renamed") / "tree")
    return tree, rename(tree, NAME, TITLE)


@pytest.fixture
def tree(renamed) -> Path:
    path, result = renamed
    assert result.returncode == 0, result.stderr
    return path


# ---------------------------------------------------------------------------
# A renamed tree
# ---------------------------------------------------------------------------
def test_the_rename_succeeds_and_says_what_it_moved_and_what_to_run_next(renamed):
    _, result = renamed

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"{STARTER}/ -> {NAME}/" in result.stdout
    assert f"{NAME}/{STARTER}/ -> {NAME}/{NAME}/" in result.stdout
    assert "git add -A && git commit" in result.stdout
    assert "make test" in result.stdout


def test_the_old_name_is_left_only_in_the_readme_credit_and_the_licence_notice(tree):
    found = git(tree, "grep", "-i", "-n", STARTER, "--", ".", ":!LICENSE").splitlines()

    assert len(found) == 1, found
    assert re.fullmatch(rf"README\.md:3:Started from {STARTER}\b.*", found[0]), found
    # MIT asks that the starter's copyright notice stay in every copy.
    licence = git(tree, "grep", "-i", STARTER, "--", "LICENSE", check=False).splitlines()
    assert all("Copyright" in line for line in licence), licence


def test_the_folders_are_moved_with_git_so_that_it_records_renames(tree):
    status = status_lines(tree)

    assert (tree / NAME / NAME / "settings").is_dir()
    assert not (tree / STARTER).exists()
    for path in ("settings/base.py", "settings/production.py", "wsgi.py"):
        old, new = f"{STARTER}/{STARTER}/{path}", f"{NAME}/{NAME}/{path}"
        assert any(re.fullmatch(rf"R. {old} -> {new}", line) for line in status), status
    assert any(line.startswith(f"R  {STARTER}/home/") for line in status), status


def test_nothing_is_created_only_moved_rewritten_or_removed(tree):
    kinds = {line[:2] for line in status_lines(tree)}

    assert kinds <= {"R ", "RM", " M", "D "}, kinds


def test_the_rename_removes_itself_once_done(tree):
    removed = {line[3:] for line in status_lines(tree) if line.startswith("D ")}

    assert removed == {"scripts/rename.sh", "scripts/rename.py", "tests/starter/test_rename.py"}
    assert "rename" not in (tree / "Makefile").read_text()
    readme = (tree / "README.md").read_text()
    assert "make rename" not in readme
    assert "## Make it yours\n\nWhat to delete or change next:" in readme


def test_what_people_read_says_the_title(tree):
    project = tree / NAME
    base_html = (project / NAME / "templates" / "base.html").read_text()
    migration = (project / "home" / "migrations" / "0002_create_homepage.py").read_text()
    settings = (project / NAME / "settings" / "base.py").read_text()
    readme = (tree / "README.md").read_text().splitlines()

    assert f'data-testid="brand">{TITLE}</a>' in base_html
    assert f'site_name="{TITLE}"' in migration
    assert f'"{TITLE} is a Wagtail site' in migration
    assert f'WAGTAIL_SITE_NAME = "{TITLE}"' in settings
    assert readme[0] == f"# {TITLE}"
    assert readme[2].startswith(f"Started from {STARTER}")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pyproject.toml", f'name = "{NAME}"'),
        ("pyproject.toml", f'DJANGO_SETTINGS_MODULE = "{NAME}.settings.test"'),
        ("pyproject.toml", f'pythonpath = ["{NAME}"]'),
        ("pyproject.toml", f'known-first-party = ["{NAME}", '),
        ("Dockerfile", f"DJANGO_SETTINGS_MODULE={NAME}.settings.production"),
        ("Dockerfile", f'CMD ["gunicorn", "{NAME}.wsgi"]'),
        ("docker-compose.yml", f"name: {NAME}\n"),
        ("docker-compose.prod.yml", f"name: {NAME}-prod\n"),
        ("docker-stack.yml", f"name: ${{STACK_NAME:-{NAME}}}_${{POSTGRES_VOLUME:-postgres}}\n"),
        ("Makefile", f"{NAME}:final"),
        ("package.json", f'"name": "{NAME}"'),
        ("package.json", f"--workspace={NAME}-theme"),
        ("package-lock.json", f'"node_modules/{NAME}-theme"'),
        (f"{NAME}/theme/static_src/package.json", f'"name": "{NAME}-theme"'),
        (f"{NAME}/manage.py", f'"{NAME}.settings.dev"'),
        ("scripts/runner.sh", f"{NAME.upper()}_RUNNER"),
        ("scripts/runner.sh", f"{NAME}.run="),
        ("tools/offline/base-images.sh", f"{NAME}-base/python:"),
        ("deploy/prometheus/alerts.yml", f"time() - {NAME}_backup_last_success_timestamp_seconds"),
        ("tests/stack/conftest.py", f"{NAME}-prodtest"),
        ("docs/architecture.md", f"[`{NAME}/settings/`](../{NAME}/{NAME}/settings)"),
        ("docs/testing.md", f"(`{NAME.upper()}_MAX_IMAGE_MB`)"),
        ("docs/arm64.md", f"loaded as {NAME}:final-arm64"),
    ],
)
def test_every_name_the_project_goes_by_follows_the_new_name(tree, path, expected):
    assert expected in (tree / path).read_text()


def test_npm_would_write_the_renamed_lockfile_as_it_is(tree, tmp_path):
    workspace = f"{NAME}/theme/static_src/package.json"
    for name in ("package.json", "package-lock.json", workspace):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tree / name, tmp_path / name)

    result = subprocess.run(
        ["npm", "install", "--package-lock-only", "--ignore-scripts", "--offline",
         "--no-audit", "--no-fund"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "package-lock.json").read_text() == (tree / "package-lock.json").read_text()


def test_the_renamed_tree_adds_no_lint_findings_to_the_starters(starter, tree):
    before = lint_problems(starter, renamed_to=NAME)

    assert lint_problems(tree) - before == set()


def test_the_renamed_documentation_passes_the_documentation_test(tree, tmp_path):
    copy = clone(tree, tmp_path / "tree")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/starter/test_docs.py", "-q",
         "-p", "no:cacheprovider"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


def test_the_renamed_app_suite_passes(tree, tmp_path):
    copy = clone(tree, tmp_path / "tree")  # the suite writes built CSS into its tree
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/app", "-q", "-p", "no:cacheprovider"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip

    summary = result.stdout.strip().splitlines()[-1:]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert re.search(r"\d+ passed", summary[0]), summary
    assert not re.search(r"failed|error", summary[0]), summary


def test_the_renamed_final_image_serves_the_home_page_with_the_title(docker_engine, tree):
    image = f"{NAME}:final"
    build = subprocess.run(
        [tree / "scripts" / "build-image.sh", "final", image, str(tree), "--progress=plain"],
        capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-6000:]
    try:
        assert (
            f"DJANGO_SETTINGS_MODULE={NAME}.settings.production" in inspect(image)["Config"]["Env"]
        )
        with (
            migrated_volume(image) as volume,
            healthy_container(image, "--volume", f"{volume}:/app/data") as server,
        ):
            response = server.get("/")

        assert response.status_code == 200
        assert f'data-testid="brand">{TITLE}</a>' in response.text
        assert f"· {TITLE}</title>" in response.text
    finally:
        docker("image", "rm", "--force", image, check=False)


def test_a_name_with_an_underscore_takes_a_hyphen_where_names_are_joined_by_hyphens(
    starter, tmp_path
):
    tree = clone(starter, tmp_path / "tree")

    result = rename(tree, "my_site")

    assert result.returncode == 0, result.stderr
    joined = "[a-z0-9]-my_site|my_site-"
    assert git(tree, "grep", "-n", "-E", joined, "--", ".", ":!tests/starter", check=False) == ""
    assert "my-site-prod" in (tree / "docker-compose.prod.yml").read_text()
    assert "MY_SITE_RUNNER" in (tree / "scripts" / "runner.sh").read_text()
    assert (tree / "my_site" / "my_site" / "settings").is_dir()


def test_the_readme_credits_the_starter_at_its_origin_without_credentials(starter, tmp_path):
    tree = clone(starter, tmp_path / "tree")
    git(tree, "remote", "add", "origin", f"https://someone:t0ken@github.com/owner/{STARTER}.git")

    result = rename(tree, NAME)

    assert result.returncode == 0, result.stderr
    credit = (tree / "README.md").read_text().splitlines()[2]
    assert credit == f"Started from {STARTER} (https://github.com/owner/{STARTER})."


# ---------------------------------------------------------------------------
# Refusals: one line on stderr, and the tree exactly as it was.
# ---------------------------------------------------------------------------
def no_change(tree: Path) -> None:
    pass


def renamed_with_the_rename_brought_back(tree: Path) -> None:
    """A renamed tree (which no longer holds the rename) into which someone copied it again."""
    assert rename(tree, NAME).returncode == 0
    for script in ("rename.sh", "rename.py"):
        shutil.copy2(SCRIPTS / script, tree / "scripts" / script)
    commit_all(tree, "renamed, and the rename copied back")


def with_a_committed_folder(name: str) -> Callable[[Path], None]:
    def make(tree: Path) -> None:
        (tree / name).mkdir()
        (tree / name / "notes.txt").write_text("mine\n")
        commit_all(tree, f"a folder called {name}")

    return make


def with_a_changed_file(tree: Path) -> None:
    with (tree / "README.md").open("a") as readme:
        readme.write("A change not yet committed.\n")


def with_an_untracked_file(tree: Path) -> None:
    (tree / "notes.txt").write_text("not yet added\n")


@pytest.mark.parametrize(
    ("prepare", "args", "says"),
    [
        (no_change, ["Acme"], "not a lowercase Python identifier"),
        (no_change, ["1abc"], "not a lowercase Python identifier"),
        (no_change, ["my-site"], "not a lowercase Python identifier"),
        (no_change, ["_acme"], "start with a letter"),
        (no_change, ["class"], "Python keyword"),
        (no_change, ["json"], "standard-library module json"),
        (no_change, ["django"], "shadow the module django"),
        (no_change, ["home"], f"shadow the project's own {STARTER}/home"),
        (no_change, ["tests"], "shadow the module tests"),
        (no_change, ["wagtailcore"], "label of an installed Django app"),
        (no_change, [], "usage: make rename NAME="),
        (no_change, ["", ""], "usage: make rename NAME="),
        (no_change, [NAME, 'Acme "Best" Corp'], "TITLE may not contain"),
        (renamed_with_the_rename_brought_back, ["other"], "renamed already"),
        (with_a_committed_folder(NAME), [NAME], f"{NAME} exists already"),
        (with_a_changed_file, [NAME], "commit or stash first"),
        (with_an_untracked_file, [NAME], "commit or stash first"),
    ],
    ids=[
        "capitals", "leading-digit", "hyphen", "leading-underscore", "keyword", "stdlib",
        "django", "project-app", "tests", "app-label", "no-name", "empty-name", "title-quotes",
        "second-run", "name-folder-exists", "changed-file", "untracked-file",
    ],
)  # fmt: skip
def test_refuses_in_one_line_and_changes_nothing(starter, tmp_path, prepare, args, says):
    tree = clone(starter, tmp_path / "tree")
    prepare(tree)
    before = snapshot(tree)

    result = rename(tree, *args)

    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rename: ")
    assert says in lines[0]
    assert snapshot(tree) == before
