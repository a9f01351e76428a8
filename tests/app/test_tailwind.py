"""The built CSS holds exactly the classes the templates use (Tailwind's explicit @source)."""

import subprocess

import pytest

from tests.paths import PROJECT_DIR, REPO_ROOT
from theme.context_processors import stylesheet_version

BUILT_CSS = PROJECT_DIR / "theme" / "static" / "css" / "dist" / "styles.css"
TEMPLATES = list(PROJECT_DIR.glob("*/templates/**/*.html"))


def templates_use(css_class: str) -> bool:
    return any(css_class in template.read_text() for template in TEMPLATES)


@pytest.fixture(scope="module")
def built_css() -> str:
    subprocess.run(["npm", "run", "build"], cwd=REPO_ROOT, check=True, capture_output=True)
    return BUILT_CSS.read_text()


def test_built_css_contains_a_class_that_a_template_uses(built_css):
    assert templates_use("bg-indigo-600")
    assert ".bg-indigo-600" in built_css


def test_built_css_leaves_out_a_class_that_no_template_uses(built_css):
    assert not templates_use("bg-fuchsia-900")
    assert "bg-fuchsia-900" not in built_css


def test_built_css_is_minified(built_css):
    assert built_css.count("\n") < 5


def test_django_tailwind_build_command_writes_the_same_stylesheet(run_python, built_css):
    BUILT_CSS.unlink()

    result = run_python("manage.py", "tailwind", "build", env={})

    assert result.returncode == 0, result.stderr
    assert BUILT_CSS.read_text() == built_css


def test_development_pages_version_the_stylesheet_by_its_modification_time(built_css, rf):
    version = stylesheet_version(rf.get("/"))["stylesheet_version"]

    assert version == BUILT_CSS.stat().st_mtime_ns
