"""The dev image: what `make dev` runs has the Node toolchain and builds the CSS."""

from tests.containers import docker


def test_dev_image_has_node_npm_and_node_modules(dev_image):
    result = docker(
        "run", "--rm", "--workdir", "/srv", dev_image,
        "sh", "-c", "node --version && npm --version && npx --version && ls node_modules/.bin",
    )  # fmt: skip

    assert result.stdout.startswith("v26.")
    assert "tailwindcss" in result.stdout


def test_dev_image_builds_the_css(dev_image):
    result = docker(
        "run", "--rm", "--workdir", "/srv", dev_image,
        "sh", "-c", "npm run build >&2 && cat bfportal/theme/static/css/dist/styles.css",
    )  # fmt: skip

    assert ".bg-indigo-600" in result.stdout


def test_dev_image_has_the_dev_dependency_group(dev_image):
    result = docker(
        "run", "--rm", dev_image, "python", "-c", "import pytest, django_browser_reload"
    )

    assert result.returncode == 0
