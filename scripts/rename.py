"""`make rename NAME=acme [TITLE="Acme Corp"]`: give the starter your project's name, once.

Run through scripts/rename.sh (in the test image: it needs Python and git). Usage:
    python scripts/rename.py NAME [TITLE]

- The project folder and the settings package are moved with `git mv` (STARTER/ and
  STARTER/STARTER/ become NAME/ and NAME/NAME/), and every tracked text file is rewritten:
  imports, settings modules, image tags, compose projects, labels, lock files, npm packages.
  The lower-case name becomes NAME, the upper-case one NAME upper-cased (environment
  variables), any other spelling NAME in CamelCase. Where the name is joined to a word by a
  hyphen (container and host names, buckets, Debian packages) an underscore in NAME becomes a
  hyphen, which those names need; in a Debian version suffix it is dropped.
- What people read (the brand link, the site name, the home page's text, the README's title)
  says TITLE (default: NAME). The README keeps one line crediting the starter.
- It refuses, with one line on stderr and nothing changed: a NAME that is not a lowercase
  Python identifier fit for image names, or that shadows a module or app label; a tree that
  was renamed already; uncommitted changes.
- The rename is done once: its own files (this script, rename.sh, its tests) are removed
  with `git rm`, and so are the Makefile's `rename` target and, in the Markdown files, what
  stands between the `<!-- rename: ... -->` and `<!-- rename: end -->` comments (the
  README's instructions for the rename).
- Then the Python files it rewrote are given to ruff (import order, formatting), and it
  prints what it did and what to run next. Nothing is committed.
"""

import html
import importlib.metadata
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path

# The starter's name, in two pieces: the rename rewrites every whole spelling of it, and this
# line must keep naming the starter, so that a renamed tree refuses a second rename.
STARTER = "bf" + "portal"
# The starter's public address, for the README's credit line. Empty: the clone's `origin`,
# when that is a repository called like the starter.
STARTER_URL = ""
# The rename's own files: a renamed tree has nothing left to rename, so they go.
OWN_FILES = ("scripts/rename.sh", "scripts/rename.py", "tests/starter/test_rename.py")
MAKE_TARGET = re.compile(r"^\.PHONY: rename\nrename:.*\n(?:\t.*\n)*\n?", re.MULTILINE)
DOC_NOTES = re.compile(r"^<!-- rename: .*?^<!-- rename: end -->\n", re.MULTILINE | re.DOTALL)

ROOT = Path(__file__).resolve().parent.parent
USAGE = 'usage: make rename NAME=acme [TITLE="Acme Corp"]  (NAME: the new Python package name)'

# Images, compose projects and npm packages take the name too: they need a letter first, a
# letter or digit last, and no runs of separators.
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
IDENTIFIER_RE = re.compile(r"[a-z_][a-z0-9_]*")
# Never a project name, installed or not: the frameworks and the test suite's packages.
RESERVED = {"django", "wagtail", "tests", "test"}
# TITLE lands in HTML, Python and JSON strings and Django templates unquoted.
TITLE_FORBIDDEN = set('"\\<>{}`')
TITLE_MAX = 60
# Licence files keep the starter's copyright line: MIT asks copies to keep the notice.
LICENSE_RE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE)(\.[a-z]+)?", re.IGNORECASE)


class Refusal(Exception):
    """A reason not to rename, said in one line; nothing has been changed."""


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__.replace("STARTER", STARTER))
        return 0
    try:
        if not argv or not argv[0] or len(argv) > 2:
            raise Refusal(USAGE)
        name = argv[0]
        title = (argv[1] if len(argv) > 1 else "").strip() or name
        check_name(name)
        check_title(title)
        check_tree(name)
        check_app_labels(name)
        plan = Plan(name, title)
        plan.prepare()
    except Refusal as refusal:
        print(f"rename: {refusal}", file=sys.stderr)
        return 1
    plan.apply()
    plan.report()
    return 0


# ---------------------------------------------------------------------------
# Checks: each raises Refusal before anything is written.
# ---------------------------------------------------------------------------
def check_name(name: str) -> None:
    if not IDENTIFIER_RE.fullmatch(name):
        raise Refusal(
            f"NAME={name} is not a lowercase Python identifier "
            "(a-z, digits and _, not starting with a digit)"
        )
    if not NAME_RE.fullmatch(name):
        raise Refusal(
            f"NAME={name} cannot name Docker images and npm packages: start with a letter, "
            "end with a letter or digit, no double underscores"
        )
    if keyword.iskeyword(name):
        raise Refusal(f"NAME={name} is a Python keyword")
    if name == STARTER:
        raise Refusal(f"NAME={name} is the starter's own name: pick your project's")
    if name in sys.stdlib_module_names:
        raise Refusal(f"NAME={name} would shadow the standard-library module {name}")
    if name in RESERVED:
        raise Refusal(f"NAME={name} would shadow the module {name}, which the project uses")
    installed = importlib.metadata.packages_distributions()
    if name in installed:
        dists = ", ".join(sorted(set(installed[name])))
        raise Refusal(f"NAME={name} would shadow the installed module {name} ({dists})")
    project = ROOT / STARTER
    if project.is_dir():
        for entry in sorted(project.iterdir()):
            if name in (entry.name, entry.stem if entry.suffix == ".py" else None):
                raise Refusal(f"NAME={name} would shadow the project's own {STARTER}/{entry.name}")


def check_title(title: str) -> None:
    if len(title) > TITLE_MAX:
        raise Refusal(f"TITLE is {len(title)} characters long: at most {TITLE_MAX}")
    bad = sorted({c for c in title if c in TITLE_FORBIDDEN or not c.isprintable()})
    if bad:
        raise Refusal(f"TITLE may not contain {' '.join(map(repr, bad))}")


def check_tree(name: str) -> None:
    top = git("rev-parse", "--show-toplevel", check=False).strip()
    if not top or Path(top).resolve() != ROOT:
        raise Refusal(f"{ROOT} is not the top of a git checkout: the rename is done with git")
    if not (ROOT / STARTER / STARTER).is_dir():
        raise Refusal(
            f"no {STARTER}/{STARTER}/ folder: this tree was renamed already "
            f"(the rename turns the {STARTER} starter into your project, once)"
        )
    for folder in (ROOT / name, ROOT / STARTER / name):
        if folder.exists() or folder.is_symlink():
            raise Refusal(
                f"{folder.relative_to(ROOT)} exists already: this tree was renamed already, "
                "or pick another NAME"
            )
    changes = git("status", "--porcelain", "--untracked-files=all").splitlines()
    if changes:
        first = changes[0][3:]
        more = f" and {len(changes) - 1} more" if len(changes) > 1 else ""
        raise Refusal(
            f"the working tree has uncommitted changes ({first}{more}): commit or stash "
            "first, so that the rename is one change you can review or undo"
        )


def check_app_labels(name: str) -> None:
    """Django app labels (wagtailcore, auth, taggit...) as the project's settings make them."""
    code = (
        "import django; django.setup(); from django.apps import apps; "
        "print(' '.join(config.label for config in apps.get_app_configs()))"
    )
    result = run(
        [sys.executable, "-c", code],
        cwd=ROOT / STARTER,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": f"{STARTER}.settings.test",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise Refusal(f"could not load the project's settings to list its app labels: {last}")
    if name in result.stdout.split():
        raise Refusal(f"NAME={name} is the label of an installed Django app")


# ---------------------------------------------------------------------------
# The rewrite.
# ---------------------------------------------------------------------------
class Plan:
    """Everything the rename will change, worked out before the first write."""

    def __init__(self, name: str, title: str):
        self.name = name
        self.title = title
        self.upper = name.upper()
        self.camel = "".join(part.capitalize() for part in name.split("_"))
        self.slug = name.replace("_", "-")
        self.bare = name.replace("_", "")
        self.contents: dict[str, str] = {}  # old path -> new text
        self.links: dict[str, str] = {}  # old path -> new symlink target
        self.moves: list[tuple[str, str]] = []
        self.binary: list[str] = []
        self.licences: list[str] = []
        self.credit = ""
        self.lint_notes: list[str] = []

    # Spellings -------------------------------------------------------------
    def spell(self, text: str) -> str:
        """Every spelling of the starter's name in `text`, as its context needs it."""

        def replace(match: re.Match) -> str:
            word = match.group()
            before = text[max(0, match.start() - 2) : match.start()]
            after = text[match.end() : match.end() + 1]
            if word.isupper():
                return self.upper
            if not word.islower():
                return self.camel
            if before[-1:] == "+" and after.isdigit():
                return self.bare  # a Debian version suffix: + then letters and digits only
            if after == "-" or (before[-1:] == "-" and before[:1].isalnum()):
                return self.slug  # host, container, bucket and Debian package names
            return self.name

        return re.sub(STARTER, replace, text, flags=re.IGNORECASE)

    def rewrite(self, path: str, text: str) -> str:
        """Display text first (kept out of the generic pass by markers), then every name."""
        shown: list[str] = []

        def show(value: str) -> str:
            shown.append(value)
            return f"\0{len(shown) - 1}\0"

        if path == "Makefile":
            text = MAKE_TARGET.sub("", text)
        if path.endswith(".md"):
            text = DOC_NOTES.sub("", text)
        title = self.title
        for applies, pattern, make in DISPLAY_RULES:
            if applies(path):
                text = re.sub(pattern, lambda m, make=make: show(make(m, title)), text)
        if path == "README.md":
            text = self.readme_title(text, show)
        text = self.spell(text)
        return re.sub("\0([0-9]+)\0", lambda m: shown[int(m.group(1))], text)

    def readme_title(self, text: str, show: Callable[[str], str]) -> str:
        """The first heading says TITLE, followed by the one line that credits the starter."""
        address = STARTER_URL or origin_address()
        self.credit = (
            f"Started from {STARTER} ({address})."
            if address
            else f"Started from {STARTER}, a Wagtail starter."
        )
        text = re.sub(
            r"^A Wagtail starter built", "A Wagtail site built", text, count=1, flags=re.M
        )
        heading = re.search(r"^# .*$", text, flags=re.M)
        if not heading:
            return f"{show(self.credit)}\n\n{text}"
        line = re.sub(STARTER, self.title, heading.group(), flags=re.IGNORECASE)
        return (
            f"{text[: heading.start()]}{show(line)}\n\n{show(self.credit)}{text[heading.end() :]}"
        )

    # Planning --------------------------------------------------------------
    def prepare(self) -> None:
        listing = [
            entry.split("\t", 1) for entry in git("ls-files", "-s", "-z").split("\0") if entry
        ]
        listing = [(stage, path) for stage, path in listing if path not in OWN_FILES]
        for stage, path in listing:
            mode = stage.split(" ", 1)[0]
            file = ROOT / path
            if mode == "120000":
                target = os.readlink(file)
                if re.search(STARTER, target, flags=re.IGNORECASE):
                    self.links[path] = self.spell(target)
                continue
            data = file.read_bytes()
            if LICENSE_RE.fullmatch(Path(path).name):
                if re.search(STARTER.encode(), data, flags=re.IGNORECASE):
                    self.licences.append(path)  # the starter's copyright notice stays
                continue
            try:
                text = None if b"\0" in data else data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if text is None:
                if re.search(STARTER.encode(), data, flags=re.IGNORECASE):
                    self.binary.append(path)
                continue
            new = self.rewrite(path, text)
            if path.endswith("package-lock.json") and new != text:
                new = npm_order(text, new)
            if new != text:
                self.contents[path] = new
        self.plan_moves([path for _, path in listing])

    def plan_moves(self, paths: list[str]) -> None:
        """`git mv` of every folder or file whose own name holds the starter's, outermost
        first; refuses when a destination exists already."""
        pending = {
            tuple(Path(path).parts[: depth + 1])
            for path in paths
            for depth, part in enumerate(Path(path).parts)
            if re.search(STARTER, part, flags=re.IGNORECASE)
        }
        for parts in sorted(pending, key=lambda parts: (len(parts), parts)):
            renamed = self.new_path(Path(*parts[:-1]).as_posix()) if len(parts) > 1 else ""
            source = Path(renamed, parts[-1]).as_posix() if renamed else parts[-1]
            destination = Path(renamed, self.spell(parts[-1])).as_posix()
            if (ROOT / Path(*parts[:-1]) / self.spell(parts[-1])).exists():
                raise Refusal(f"{destination} exists already: pick another NAME")
            self.moves.append((source, destination))

    def new_path(self, path: str) -> str:
        return "/".join(self.spell(part) for part in path.split("/"))

    # Writing ---------------------------------------------------------------
    def apply(self) -> None:
        git("rm", "--quiet", "--", *OWN_FILES)
        for source, destination in self.moves:
            git("mv", source, destination)
        for path, text in self.contents.items():
            # Bytes, so that line endings and the file's mode stay as they are.
            (ROOT / self.new_path(path)).write_bytes(text.encode("utf-8"))
        for path, target in self.links.items():
            link = ROOT / self.new_path(path)
            link.unlink()
            link.symlink_to(target)
        self.lint_notes = tidy_python(
            [self.new_path(path) for path in self.contents if path.endswith(".py")]
        )

    def report(self) -> None:
        slash = {True: "/", False: ""}
        moved = ", ".join(
            f"{source}{slash[d]} -> {destination}{slash[d]}"
            for source, destination in self.moves
            for d in [(ROOT / destination).is_dir()]
        )
        print(f"rename: {STARTER} -> {self.name} (title: {self.title})")
        print(f"  moved with git mv: {moved}")
        print(f"  removed, as the rename is done: {', '.join(OWN_FILES)} and `make rename`")
        print(f"  rewrote {len(self.contents)} files; README.md keeps: {self.credit}")
        for path in self.licences:
            print(f"  {path} keeps the starter's copyright notice, as its licence asks")
        for path in self.binary:
            print(f"  left as is (binary): {self.new_path(path)} still shows {STARTER}")
        for note in self.lint_notes:
            print(f"  {note}")
        for env_file in sorted(ROOT.glob(".env*")):
            if (
                env_file.is_file()
                and not git("ls-files", env_file.name).strip()
                and re.search(STARTER, env_file.read_text(errors="replace"), flags=re.I)
            ):
                print(f"  {env_file.name} is not tracked and still says {STARTER}: edit it")
        print("Next:")
        print(f'  git add -A && git commit -m "Rename the project to {self.name}"')
        print("  make test")


# What people read says TITLE: (applies to path, pattern, replacement of the match).
def _keep_around(match: re.Match, value: str) -> str:
    return f"{match.group(1)}{value}{match.group(2)}"


DISPLAY_RULES: list[tuple[Callable[[str], bool], str, Callable[[re.Match, str], str]]] = [
    # Text of an element in a template: the brand link.
    (
        lambda path: path.endswith(".html"),
        rf"(>\s*){STARTER}(\s*<)",
        lambda m, title: _keep_around(m, html.escape(title)),
    ),
    # Wagtail's site name (WAGTAIL_SITE_NAME, the data migration's Site, og:site_name that
    # tests expect), the site's description, and the admin's heading that tests look for.
    (
        lambda path: path.endswith(".py"),
        rf"""((?i:site_name)["']?\s*[:=]\s*["']){STARTER}(["'])""",
        _keep_around,
    ),
    (
        lambda path: path.endswith(".py"),
        rf"""(SITE_DESCRIPTION\s*=\s*\(?\s*["']){STARTER}\b()""",
        _keep_around,
    ),
    (
        lambda path: path.endswith(".py"),
        rf"""(get_by_role\(\s*["']heading["']\s*,\s*name=["']){STARTER}(["'])""",
        _keep_around,
    ),
    # The home page's text: the site, no longer the starter.
    (
        lambda path: path.endswith(".py"),
        rf"""(["']){STARTER}( is a Wagtail )starter\b""",
        lambda m, title: f"{m.group(1)}{title}{m.group(2)}site",
    ),
    # npm packages' descriptions.
    (
        lambda path: Path(path).name == "package.json",
        r'("description":\s*")((?:[^"\\]|\\.)*)',
        lambda m, title: m.group(1) + re.sub(STARTER, title, m.group(2)),
    ),
]


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=False, **options)  # noqa: S603


def git(*args: str, check: bool = True) -> str:
    # safe.directory: the runner's bind mount may show the checkout under another owner.
    command = [shutil.which("git") or "git", "-c", f"safe.directory={ROOT}", "-C", str(ROOT)]
    result = run([*command, "--no-optional-locks", *args])
    if check and result.returncode != 0:
        raise SystemExit(f"rename: git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def origin_address() -> str:
    """`origin` as an https address, without credentials, when it is the starter's repository."""
    url = git("remote", "get-url", "origin", check=False).strip()
    if re.match(r"(https?|ssh|git)://", url):
        parts = urllib.parse.urlsplit(url)
        host, path = parts.hostname or "", parts.path
    elif re.fullmatch(r"[^@/:]+@[^@/:]+:[^:]+", url):  # scp-like: git@github.com:owner/repo
        host, path = url.split("@", 1)[1].split(":", 1)
    else:
        return ""  # a local path, or none
    path = path.strip("/").removesuffix(".git")
    if not host or path.rsplit("/", 1)[-1].lower() != STARTER:
        return ""
    return f"https://{host}/{path}"


# npm sorts package-lock.json's "packages" with localeCompare("en"): punctuation before
# digits before letters, in this order, case ignored.
_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"


def _collation(key: str) -> tuple:
    primary = tuple(
        (0, _PUNCTUATION.index(c)) if c in _PUNCTUATION else (1 if c.isdigit() else 2, c.lower())
        for c in key
    )
    return primary, key


def npm_order(old: str, new: str) -> str:
    """Re-sort the renamed lock's packages as npm would, when this module writes the lock
    byte for byte as npm did (otherwise leave the order alone)."""
    try:
        before, after = json.loads(old), json.loads(new)
    except ValueError:
        return new
    keys = list(before.get("packages", {}))
    if json.dumps(before, indent=2, ensure_ascii=False) + "\n" != old or keys != sorted(
        keys, key=_collation
    ):
        return new
    packages = after["packages"]
    after["packages"] = {key: packages[key] for key in sorted(packages, key=_collation)}
    return json.dumps(after, indent=2, ensure_ascii=False) + "\n"


def tidy_python(paths: list[str]) -> list[str]:
    """Sort imports and format the rewritten Python files (a longer or shorter name moves
    lines); say what ruff still finds (a line that became too long)."""
    ruff = shutil.which("ruff")
    if not paths:
        return []
    if not ruff:
        return ["ruff is not installed here: run `make lint` before committing"]
    run([ruff, "check", "--no-cache", "--select", "I", "--fix", "--quiet", *paths], cwd=ROOT)
    run([ruff, "format", "--no-cache", "--quiet", *paths], cwd=ROOT)
    check = run([ruff, "check", "--no-cache", "--output-format", "concise", *paths], cwd=ROOT)
    problems = [line for line in check.stdout.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]
    return [f"ruff: {line}" for line in problems]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
