"""The documentation, README.md and docs/*.md, points only at what exists: every relative link at
a file or folder of the checkout and every anchor at a heading of its Markdown file, every
`make X` in code (inline or fenced) at a target that `make help` lists; and every measured
figure in a table names the command that produced it."""

import re
import shutil
import subprocess
from urllib.parse import unquote

import pytest

from tests.paths import DOCS, REPO_ROOT

DOCUMENTS = [REPO_ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
IDS = [str(path.relative_to(REPO_ROOT)) for path in DOCUMENTS]

OPENING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# [text](target), ![alt](target), [text](<target> "title"); and [label]: target definitions.
LINK = re.compile(r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
# `make` as a command: first on its line or after a separator, with VAR=value before the target.
MAKE = re.compile(
    r"(?:^|[\s;&|(])make(?:[ \t]+[A-Za-z_]\w*=(?:\"[^\"]*\"|'[^']*'|\S*))*[ \t]+([a-z][\w-]*)",
    re.MULTILINE,
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# What may run a figure's command: a program the host has, or a script of the checkout.
PROGRAMS = {"make", "bash", "docker"}


# ---------------------------------------------------------------------------
# Reading Markdown
# ---------------------------------------------------------------------------
def split_fences(text: str) -> tuple[str, list[str]]:
    """The text with its fenced code blocks blanked out, and the blocks' lines."""
    prose, code, fence = [], [], ""
    for line in text.splitlines():
        if fence:
            if re.fullmatch(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*", line):
                fence = ""
            else:
                code.append(line)
            prose.append("")
        elif opening := OPENING_FENCE.match(line):
            fence = opening.group(1)
            prose.append("")
        else:
            prose.append(line)
    return "\n".join(prose), code


def code_spans(prose: str) -> list[str]:
    return [match.group(2) for match in CODE_SPAN.finditer(prose)]


def link_targets(text: str) -> list[str]:
    """Every link's and image's target outside code, as written."""
    prose, _ = split_fences(text)
    prose = CODE_SPAN.sub(lambda match: " " * len(match.group()), prose)
    targets = [match.group(1) for match in LINK.finditer(prose)]
    targets += DEFINITION.findall(prose)
    return [target.strip("<>") for target in targets]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text lower-cased, punctuation other than hyphens and
    underscores removed (backticks too, the code inside kept), each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text, not its target
    text = re.sub(r"<[^>]*>", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text: str) -> list[str]:
    """The anchors of a document's headings, in order: a repeated slug gets -1, -2..."""
    seen: dict[str, int] = {}
    found = []
    prose, _ = split_fences(text)
    for heading in HEADING.findall(prose):
        base = anchor = slug(heading)
        while anchor in seen:
            seen[base] += 1
            anchor = f"{base}-{seen[base]}"
        seen[anchor] = 0
        found.append(anchor)
    return found


def make_targets_named(text: str) -> set[str]:
    """The targets of every `make X` in inline code and in code blocks (shell comments left out)."""
    prose, code = split_fences(text)
    commands = code_spans(prose) + [re.sub(r"(^|\s)#.*", "", line) for line in code]
    return {target for command in commands for target in MAKE.findall(command)}


def tables(text: str) -> list[list[list[str]]]:
    """Every table outside code blocks, as rows of cells, the header row first."""
    prose, _ = split_fences(text)
    found, rows = [], []
    for line in [*prose.splitlines(), ""]:
        if line.lstrip().startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip().removeprefix("|").removesuffix("|"))
            rows.append([cell.strip() for cell in cells])
        elif rows:
            found.append([row for row in rows if not re.fullmatch(r"[\s|:-]+", "|".join(row))])
            rows = []
    return found


def runs_a_command(span: str) -> bool:
    """Whether a code span is a command: `make X`, `docker ...`, or a script of the checkout,
    after variable assignments (`[NAME=value]` for optional ones) and `time`."""
    words = span.split()
    while words and re.fullmatch(r"\[?[A-Z_][A-Z0-9_]*=\S*\]?|time", words[0]):
        words.pop(0)
    if not words:
        return False
    return (words[0] in PROGRAMS and len(words) > 1) or (REPO_ROOT / words[0]).is_file()


def figures_tables(text: str) -> list[list[list[str]]]:
    return [table for table in tables(text) if table and "Command" in table[0]]


# ---------------------------------------------------------------------------
# The rules themselves
# ---------------------------------------------------------------------------
def test_anchors_follow_githubs_slug_rules():
    text = "\n".join([
        "# Testing", "## Testing", "## Testing", "## The suites: `tests/`",
        "## One machine → many: Docker Swarm", "### `docker-compose.yml`",
        "## snake_case and kebab-case", "```sh", "# not a heading", "```",
    ])  # fmt: skip

    assert anchors(text) == [
        "testing", "testing-1", "testing-2", "the-suites-tests", "one-machine--many-docker-swarm",
        "docker-composeyml", "snake_case-and-kebab-case",
    ]  # fmt: skip


def test_links_and_make_targets_in_code_blocks_are_told_apart_from_prose():
    text = "\n".join([
        "See [a](a.md#x), ![b](b.png) and `[c](c.md)`; make sure of it.", "[d]: d.md",
        "```sh", "[e](e.md)", "make build PLATFORM=linux/arm64   # make sure", "```",
        "Run `make test ARGS=\"tests/app\" && make lint`.",
    ])  # fmt: skip

    assert link_targets(text) == ["a.md#x", "b.png", "d.md"]
    assert make_targets_named(text) == {"build", "test", "lint"}


# ---------------------------------------------------------------------------
# The documents
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def make_targets() -> set[str]:
    """The targets that `make help` lists, run for real in the checkout."""
    if not shutil.which("make"):
        pytest.fail("make is not installed here (the test image installs it)", pytrace=False)
    result = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    targets = {line.split()[0] for line in ANSI.sub("", result.stdout).splitlines() if line}
    assert {"help", "dev", "test"} <= targets, result.stdout
    return targets


def test_the_readme_and_every_document_in_docs_are_checked():
    assert len(DOCUMENTS) > 1
    assert all(path.read_text().strip() for path in DOCUMENTS)


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_every_relative_link_points_at_a_file_or_folder_and_a_heading_that_exist(document):
    problems = []
    for target in link_targets(document.read_text()):
        if re.match(r"(https?|mailto):", target, flags=re.IGNORECASE):
            continue
        path, _, anchor = target.partition("#")
        base = REPO_ROOT if path.startswith("/") else document.parent
        file = (base / unquote(path).lstrip("/")).resolve() if path else document
        if not file.is_relative_to(REPO_ROOT) or not file.exists():
            problems.append(f"{target}: no such file or folder in the checkout")
        elif anchor and file.suffix != ".md":
            problems.append(f"{target}: an anchor into a file that is not Markdown")
        elif anchor and unquote(anchor) not in anchors(file.read_text()):
            problems.append(f"{target}: no heading of {file.name} has the anchor #{anchor}")

    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_every_make_target_named_is_one_that_make_help_lists(document, make_targets):
    named = make_targets_named(document.read_text())

    assert named - make_targets == set()


def test_the_readme_has_its_table_of_measured_figures():
    found = figures_tables((REPO_ROOT / "README.md").read_text())

    assert found, "README.md has no table with a Command column"
    assert len(found[0]) > 5


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_every_measured_figure_names_the_command_that_produced_it(document):
    problems = []
    for header, *rows in figures_tables(document.read_text()):
        command = header.index("Command")
        for row in rows:
            cells = row + [""] * (len(header) - len(row))
            figures = [cell for i, cell in enumerate(cells) if i not in (0, command) and cell]
            if not figures:
                problems.append(f"{row[0]}: no figure")
            if not any(runs_a_command(span) for span in code_spans(cells[command])):
                problems.append(f"{row[0]}: no command in backticks in the Command column")

    assert problems == [], "\n".join(problems)
