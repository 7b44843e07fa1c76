"""Where a netkb project is, and which snapshot repository and redaction key a run may create.

The project root is the folder named by `NETKB_PROJECT`, else the nearest folder holding
`netkb.yml`, searched upward from the current directory (as git finds `.git`). The default
`inventory.yml` and `netkb.yml` are looked up there, and the settings' relative paths
(`snapshot_repo`, `redaction_key_file`) resolve against the settings file's folder, so a cron
job started from another folder reaches the same store.

A store or a key that does not exist where the settings say is created only when the run asked
for it (`netkb collect --new-store`), or on the first collect of a project: a settings file is
there, and neither the store nor its key exists yet. Anything else is refused, saying what was
expected where (`new_files_refusal`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from netkb.inventory import ConfigFileError
from netkb.settings import Settings, anchored, load_settings

ENV_PROJECT = "NETKB_PROJECT"
ENV_KEY = "NETKB_REDACTION_KEY"
SETTINGS_NAME = "netkb.yml"
INVENTORY_NAME = "inventory.yml"


@dataclass(frozen=True)
class Project:
    root: Path  # absolute; the current directory when no project was found
    found_by: str | None  # "NETKB_PROJECT", "netkb.yml", or None: none found (the cwd stands in)
    cwd: Path

    def path(self, name: str) -> Path:
        """`name` in the project's folder; relative when that is the current directory, so
        messages name files as the user sees them (`inventory.yml: devices[3]…`)."""
        return Path(name) if self.root == self.cwd else self.root / name

    @property
    def settings_file(self) -> Path | None:
        path = self.path(SETTINGS_NAME)
        return path if path.is_file() else None

    def where(self) -> str:
        """How the project was found, for messages."""
        if self.found_by == ENV_PROJECT:
            return f"{ENV_PROJECT}={self.root}"
        if self.found_by == SETTINGS_NAME:
            return f"project {self.root}"
        return f"no {SETTINGS_NAME} in {self.cwd} or a folder above it, {ENV_PROJECT} unset"


def find_project(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Project:
    cwd = (cwd or Path.cwd()).resolve()
    environ = os.environ if environ is None else environ
    named = environ.get(ENV_PROJECT)
    if named:
        root = (cwd / Path(named).expanduser()).resolve()
        if not root.is_dir():
            raise ConfigFileError([f"{ENV_PROJECT}={named}: no such folder"])
        return Project(root, ENV_PROJECT, cwd)
    for folder in (cwd, *cwd.parents):
        if (folder / SETTINGS_NAME).is_file():
            return Project(folder, SETTINGS_NAME, cwd)
    return Project(cwd, None, cwd)


def settings_path(explicit: Path | None, project: Project) -> Path | None:
    """The settings file to read: the one named (which must exist), else the project's."""
    if explicit is None:
        return project.settings_file
    if explicit.is_dir():
        raise ConfigFileError([f"{explicit}: is a folder (named by --settings); name the YAML file itself"])
    if not explicit.is_file():
        raise ConfigFileError(
            [
                f"{explicit}: settings file not found (named by --settings); check the path, or leave "
                f"--settings out to use the project's {SETTINGS_NAME}"
            ]
        )
    return explicit


def project_settings(explicit: Path | None, project: Project) -> tuple[Settings, Path | None]:
    """The settings and the file they came from; without a file, the defaults anchored at the
    project root (the current directory when there is no project)."""
    path = settings_path(explicit, project)
    if path is None:
        return anchored(Settings(), project.root), None
    return load_settings(path), path


def default_inventory(project: Project) -> Path:
    """The project's inventory.yml; without one, the running lab's (`.lab/inventory.yml`)."""
    own = project.path(INVENTORY_NAME)
    lab = project.path(".lab") / INVENTORY_NAME
    if not own.exists() and lab.exists():
        return lab
    return own  # reported as missing by the loader when it is not there


def inventory_said(project: Project | None = None, say: Callable[[str], object] = print) -> Path:
    """`default_inventory` of the project found from here, saying so when it is the running lab's
    (every subcommand that reads an inventory uses it)."""
    path = default_inventory(project or find_project())
    if path.parent.name == ".lab":
        say(f"using the running lab's inventory: {path}")
    return path


@dataclass(frozen=True)
class StoreLayout:
    """What a run would write to and what is already there."""

    store: Path
    store_exists: bool
    key: Path | None  # None: the key comes from NETKB_REDACTION_KEY
    key_exists: bool
    settings_file: Path | None
    project: Project


def layout_of(
    settings: Settings, settings_file: Path | None, project: Project, environ: Mapping[str, str] | None = None
) -> StoreLayout:
    environ = os.environ if environ is None else environ
    store = (project.root / settings.snapshot_repo).resolve()
    key = None if environ.get(ENV_KEY) else (project.root / settings.redaction_key_file).resolve()
    return StoreLayout(
        store, (store / ".git").exists(), key, key is not None and key.exists(), settings_file, project
    )


def new_files_refusal(layout: StoreLayout, new_store: bool) -> str | None:
    """Why this run must not create a snapshot repository or a redaction key, or None if it may.

    `new_store` is the run asking for them. Without it, the first collect of a project (its
    settings file there, neither store nor key yet) may create both; a store whose key is gone,
    a key whose store is gone, or a store where no project says one belongs, are refused.
    """
    if new_store:
        return None
    store, key = layout.store, layout.key
    source = f"snapshot_repo in {layout.settings_file}" if layout.settings_file else "default snapshot_repo"
    retry = "netkb collect --new-store"
    if layout.store_exists:
        if key is None or layout.key_exists:
            return None
        return (
            f"the redaction key {key} is missing, but the snapshot repository {store} exists: a new key "
            f"would change every secret marker in it; restore the key file (or set {ENV_KEY}), or accept "
            f"a new key with: {retry}"
        )
    if layout.key_exists:
        return (
            f"no snapshot repository at {store} ({source}), but its redaction key {key} exists: is the "
            f"store elsewhere? Point snapshot_repo at it; to start a new store there: {retry}"
        )
    if layout.settings_file is None:
        return (
            f"no snapshot repository at {store} ({layout.project.where()}): run from the project's "
            f"folder, set {ENV_PROJECT} or pass --settings; to start a new store at {store}: {retry}"
        )
    return None  # the first collect of the project the settings file describes
