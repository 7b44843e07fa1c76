"""Reading other tools' backups: every dated version of every device file (git and filesystem I/O).

* RANCID keeps `<group>/configs/<device>`, committed by rancid after each run that changed
  something (one commit may hold many devices); the commit's author date is the version's.
* Oxidized keeps one file per device at the root of its repository (often bare), or under
  group folders with `single_repo`, one commit per change.
* A folder of dated files: `core-1_20240301.cfg`, `core-1-2024-03-01.cfg`, any depth.

A git source is read with one `git log --raw` over the first-parent history (every changed
blob and its date) and GitPython's object database for the blobs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import git

from netkb.collector.importer import SourceFormat, Version, parse_dated_name

_RANCID_PATH = re.compile(r"^[^/]+/configs/(?P<device>[^/]+)$")
_REGULAR_FILE = ("100644", "100755")


class SourceError(Exception):
    """The source cannot be read at all; the message says what to do."""


@dataclass(frozen=True)
class Unreadable:
    """A file of the source that is not a version of any device (e.g. no date in its name)."""

    origin: str
    reason: str


def detect_format(path: Path) -> SourceFormat:
    """RANCID if the tree has `<group>/configs/<file>`, else Oxidized; a plain folder is files."""
    repo = _open_repo(path)
    if repo is None:
        return SourceFormat.FILES
    listing = repo.git.ls_tree("-r", "--name-only", "HEAD") if repo.head.is_valid() else ""
    if any(_RANCID_PATH.match(p) for p in listing.splitlines()):
        return SourceFormat.RANCID
    return SourceFormat.OXIDIZED


def read_versions(
    path: Path, source: SourceFormat, zone: dt.tzinfo
) -> tuple[list[Version], list[Unreadable]]:
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder; give a RANCID or Oxidized repository or a folder")
    if source is SourceFormat.FILES:
        if not path.is_dir():
            raise SourceError(f"{path}: not a folder of dated configuration files")
        return _read_folder(path, zone)
    repo = _open_repo(path)
    if repo is None:
        raise SourceError(f"{path}: not a git repository (the {source.value} format needs one)")
    if not repo.head.is_valid():
        raise SourceError(f"{path}: the repository has no commit yet")
    return _read_git(repo, source), []


def _open_repo(path: Path) -> git.Repo | None:
    if not path.is_dir():
        return None
    try:
        repo = git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    # A folder inside some other repository is a folder, not that repository.
    top = Path(repo.git_dir if repo.bare else repo.working_tree_dir or path).resolve()
    return repo if top == path.resolve() else None


def _device_key(relpath: str, source: SourceFormat) -> str | None:
    """The device a file of the repository is, as the source names it, or None if it is none."""
    if source is SourceFormat.RANCID:
        match = _RANCID_PATH.match(relpath)
        return match["device"] if match else None
    parts = relpath.split("/")
    if any(part.startswith(".") for part in parts):
        return None  # .gitignore, .git-crypt and the like
    return parts[-1]


def _read_git(repo: git.Repo, source: SourceFormat) -> list[Version]:
    log = repo.git.execute(
        [
            "git",
            "-c",
            "core.quotePath=false",  # non-ASCII device names as they are
            "log",
            "--reverse",
            "--first-parent",
            "-m",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            "--format=@@%H %aI",
            "HEAD",
        ]
    )
    versions: list[Version] = []
    sha, when = "", dt.datetime.min
    for line in log.splitlines():
        if line.startswith("@@"):
            sha, stamp = line[2:].split(" ", 1)
            when = dt.datetime.fromisoformat(stamp)
            continue
        if not line.startswith(":"):
            continue
        meta, _, relpath = line.partition("\t")
        _old_mode, new_mode, _old, blob, status = meta[1:].split()
        if status == "D" or new_mode not in _REGULAR_FILE:
            continue  # a device file deleted: netkb keeps the device's last snapshot
        key = _device_key(relpath, source)
        if key is None:
            continue
        data = repo.odb.stream(bytes.fromhex(blob)).read()
        versions.append(Version(key, when, data, f"{sha[:12]} {relpath}"))
    return versions


def _read_folder(root: Path, zone: dt.tzinfo) -> tuple[list[Version], list[Unreadable]]:
    versions: list[Version] = []
    unreadable: list[Unreadable] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        folder = path.parent.name if path.parent != root else ""
        parsed = parse_dated_name(path.name, folder, zone)
        if isinstance(parsed, str):
            unreadable.append(Unreadable(str(relative), parsed))
            continue
        key, when = parsed
        versions.append(Version(key, when, path.read_bytes(), str(relative)))
    return versions, unreadable
