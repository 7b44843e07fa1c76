"""`netkb init DIR`: a project for a real network, ready to fill in.

It writes the inventory (a commented example per platform), the credentials file (0600,
placeholders), netkb.yml (every setting at its default, generated from the model), the team's
own mkdocs.yml (inheriting the one `netkb generate` writes), the starter runbooks, a guide
with a template in incidents/, requests/ and inspections/, docs/, .gitignore and, when asked, the nightly
CI example. It never overwrites a file: in a folder that is not empty it refuses unless
`--force`, and even then it keeps every file already there, saying which.

Templates are package data (templates/<language>/, templates/common/). The starter runbooks
and the CI examples are the repository's own `runbooks/` and `.ci/examples/` (a wheel carries
copies under netkb/scaffold/, see pyproject.toml), so there is one copy of each to maintain.
This is a top-floor command on the kernel only: it imports no collector, generator or lab.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from netkb.errors import OneLineError
from netkb.scaffold.settings_file import settings_file

LANGUAGES = ("zh", "en")
CI_EXAMPLES = {  # --ci -> (the example in .ci/examples/, where the project keeps it)
    "github": ("github-actions-nightly.yml", ".github/workflows/netkb-nightly.yml"),
    "gitlab": ("gitlab-ci-nightly.yml", ".gitlab-ci.yml"),
}
_CHECKOUT = Path(__file__).resolve().parents[2]  # a source checkout's root (netkb/scaffold/ -> ..)


class InitError(OneLineError):
    """The folder cannot be made a project (not empty without --force, a file in the way)."""


@dataclass(frozen=True)
class Planned:
    path: str  # relative to the project folder, POSIX
    content: bytes
    mode: int = 0o644


def _library(packaged: str, checkout: str) -> Traversable:
    """A folder shipped with netkb: the wheel's copy under netkb/scaffold/, else the checkout's."""
    inside = resources.files("netkb.scaffold").joinpath(packaged)
    return inside if inside.is_dir() else _CHECKOUT / checkout


def _files(folder: Traversable, prefix: str) -> list[Planned]:
    planned: list[Planned] = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name.startswith((".", "__")):
            continue
        if item.is_dir():
            planned += _files(item, f"{prefix}{item.name}/")
        else:
            planned.append(Planned(f"{prefix}{item.name}", item.read_bytes()))
    return planned


def starter_runbooks() -> list[Planned]:
    """The starter library of runbooks, as `runbooks/…` files of the new project."""
    return _files(_library("runbooks", "runbooks"), "runbooks/")


def plan(language: str, ci: str) -> list[Planned]:
    """Every file of a new project, in the order they are written."""
    templates = resources.files("netkb.scaffold").joinpath("templates")
    own = templates.joinpath(language)

    def template(name: str) -> bytes:
        return own.joinpath(name).read_bytes()

    planned = [
        Planned("inventory.yml", template("inventory.yml")),
        Planned("credentials.yml", template("credentials.yml"), 0o600),
        Planned("netkb.yml", settings_file(language).encode("utf-8")),
        Planned("mkdocs.yml", template("mkdocs.yml")),
        Planned(".gitignore", templates.joinpath("common", "gitignore").read_bytes()),
        Planned("incidents/README.md", template("incidents-README.md")),
        Planned("spares.yml", template("spares.yml")),  # the spare-parts ledger, commented
        Planned("requests/README.md", template("requests-README.md")),
        Planned("change-requests/README.md", template("change-requests-README.md")),
        Planned("inspections/README.md", template("inspections-README.md")),
        # Not README.md: docs/ is copied into the site, where README.md would stand for index.md.
        Planned("docs/README.txt", template("docs-README.txt")),
        *starter_runbooks(),
    ]
    if ci in CI_EXAMPLES:
        example, target = CI_EXAMPLES[ci]
        planned.append(Planned(target, _library("ci", ".ci/examples").joinpath(example).read_bytes()))
    return planned


def write_project(folder: Path, language: str = "zh", ci: str = "none", force: bool = False) -> list[str]:
    """Writes the project into `folder`; returns the files kept because they were already there."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder}: is a file; name a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InitError(
            f"{folder}: not empty; name a new or empty folder, or add --force to add the missing files "
            "(existing files are never overwritten)"
        )
    planned = plan(language, ci)  # everything read before anything is written
    kept = []
    for item in planned:
        target = folder / item.path
        if target.exists() or target.is_symlink():
            kept.append(item.path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Created with its final mode: the credentials file is never readable by others, even briefly.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, item.mode)
        with os.fdopen(fd, "wb") as f:
            f.write(item.content)
        os.chmod(target, item.mode)  # the umask may have taken bits off the ordinary files' mode
    return kept


NEXT_STEPS = """\
Next:
  cd {folder}
  edit inventory.yml        your devices (the commented examples show every key)
  edit credentials.yml      the login profiles the inventory names (or NETKB_CRED_* variables)
  netkb check               checks the files and records, logs in to each device
  netkb collect             the first snapshot, into configs/
  netkb generate && mkdocs build     the site, into site/  (mkdocs serve to browse it)
{ci}"""


def run(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    kept = write_project(folder, args.language, args.ci, args.force)
    for path in kept:
        print(f"kept {folder / path} (already there; not overwritten)")
    print(f"netkb project in {folder}")
    ci = (
        f"  nightly: {CI_EXAMPLES[args.ci][1]} (read its header for the secrets it needs)\n"
        if args.ci in CI_EXAMPLES
        else "  nightly CI: netkb init --ci github|gitlab --force adds the example\n"
    )
    print(NEXT_STEPS.format(folder=folder, ci=ci), end="")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "init",
        help="create a project for your network in a folder",
        description="Create a netkb project: inventory, credentials, settings, mkdocs.yml, runbooks, "
        "records folders and, with --ci, the nightly CI example. Never overwrites a file.",
    )
    p.add_argument("dir", type=Path, help="the project folder (new or empty; see --force)")
    p.add_argument("--language", choices=LANGUAGES, default="zh", help="comments and site (default zh)")
    p.add_argument(
        "--ci",
        choices=(*CI_EXAMPLES, "none"),
        default="none",
        help="add a nightly CI example (default none)",
    )
    p.add_argument(
        "--force", action="store_true", help="write into a folder that is not empty, keeping every file there"
    )
    p.set_defaults(handler=run)
