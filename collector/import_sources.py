"""Reading other tools' backups: every dated version of every device file (git and filesystem I/O).

* RANCID keeps `<group>/configs/<device>`, committed by rancid after each run that changed
  something (one commit may hold many devices); the commit's author date is the version's.
  RANCID 3 with git makes one repository per group: `configs/<device>` and `router.db` at its
  root. Stock Debian RANCID keeps CVS: `<cvsroot>/<group>/configs/<device>,v` RCS files, read
  with RCS's `rlog` and `co` (each trunk revision's date is UTC). A new router's first commit
  is an empty file; `router.db`, `routers.*`, `.cvsignore`, `.gitignore` and `CVS/` are no
  devices.
* Oxidized keeps one file per device at the root of its repository (often bare), or under
  group folders with `single_repo`, one commit per change.
* A folder of dated files: `core-1_20240301.cfg`, `core-1-2024-03-01.cfg`, any depth.

A git source is read with one `git log --raw` over the first-parent history (every changed
blob and its date) and GitPython's object database for the blobs.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import git

from netkb.collector.importer import SourceFormat, Version, parse_dated_name

_RANCID_PATH = re.compile(r"^(?:[^/]+/)?configs/(?:Attic/)?(?P<device>[^/]+?)(?:,v)?$")
_RANCID_ROOT = re.compile(r"^configs/[^/]+$")
_RANCID_GROUP = re.compile(r"^[^/]+/configs/[^/]+$")
_NOT_DEVICES = re.compile(r"^(?:\..*|CVS|router\.db|routers\..*|.*~)$")
_TRUNK = re.compile(r"^\d+\.\d+$")
_REGULAR_FILE = ("100644", "100755")


class SourceError(Exception):
    """The source cannot be read at all; the message says what to do."""


@dataclass(frozen=True)
class Unreadable:
    """A file of the source that is not a version of any device (e.g. no date in its name)."""

    origin: str
    reason: str


@dataclass(frozen=True)
class Detected:
    format: SourceFormat
    why: str  # what in the source says so, for the "reading X as …" line
    path: Path  # where the history is: a CVS checkout's repository, else the source itself


def detect_format(path: Path) -> Detected:
    """RANCID if the tree has `configs/<file>` (with `router.db`) or `<group>/configs/<file>`,
    in git or as RCS files of a CVS repository; else Oxidized for a git repository; a plain
    folder holds dated files."""
    repo = _open_repo(path)
    if repo is None:
        checkout = cvs_repository(path)
        layout = _cvs_layout(checkout or path)
        if layout and checkout:
            return Detected(
                SourceFormat.RANCID, f"{layout} of the CVS checkout's repository {checkout}", checkout
            )
        if layout:
            return Detected(SourceFormat.RANCID, layout, path)
        return Detected(SourceFormat.FILES, "a folder that is not a git or CVS repository: dated files", path)
    listing = _listing(repo)
    layout = _git_layout(listing)
    if layout:
        return Detected(SourceFormat.RANCID, layout, path)
    why = "a git repository without configs/ folders: one file per device"
    return Detected(SourceFormat.OXIDIZED, why, path)


def cvs_repository(path: Path) -> Path | None:
    """For a CVS checkout (RANCID's `$BASEDIR/<group>` with `CVS/Root`), the local repository
    folder it was checked out from; None for anything else or a remote CVSROOT."""
    try:
        root = (path / "CVS" / "Root").read_text(encoding="utf-8").strip()
        module = (path / "CVS" / "Repository").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    root = root.removeprefix(":local:")
    if not root.startswith("/"):
        return None  # :pserver:, :ext: — not on this machine
    folder = Path(module) if module.startswith("/") else Path(root) / module
    return folder if folder.is_dir() else None


def _listing(repo: git.Repo) -> list[str]:
    if not repo.head.is_valid():
        return []
    return repo.git.execute(
        ["git", "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", "HEAD"]
    ).splitlines()


def _git_layout(listing: list[str]) -> str | None:
    if any(_RANCID_ROOT.match(p) for p in listing):
        has_db = "router.db" in listing
        return "RANCID in git (root layout: configs/" + (" and router.db" if has_db else "") + " at the top)"
    groups = sorted({p.split("/", 1)[0] for p in listing if _RANCID_GROUP.match(p)})
    if groups:
        return f"RANCID in git (per-group layout: {', '.join(g + '/configs/' for g in groups)})"
    return None


def _rcs_files(path: Path) -> list[Path]:
    """The RCS files of device configs under `path`: `[<group>/]configs/[Attic/]<device>,v`."""
    found = []
    for candidate in sorted(path.rglob("*,v")):
        relative = candidate.relative_to(path).as_posix()
        match = _RANCID_PATH.match(relative)
        if match and not _NOT_DEVICES.match(match["device"]):
            found.append(candidate)
    return found


def _cvs_layout(path: Path) -> str | None:
    if not path.is_dir():
        return None
    files = _rcs_files(path)
    if not files:
        return None
    groups = sorted(
        {f.relative_to(path).parts[0] for f in files if f.relative_to(path).parts[0] != "configs"}
    )
    where = ", ".join(g + "/configs/" for g in groups) if groups else "configs/ at the top"
    return f"RANCID in CVS (RCS files {where}*,v)"


def describe(path: Path) -> str:
    """What a folder holds at its top, for a message saying it is not what was expected."""
    if not path.is_dir():
        return f"{path} is not a folder"
    repo = _open_repo(path)
    if repo is not None:
        names = sorted({p.split("/", 1)[0] + ("/" if "/" in p else "") for p in _listing(repo)})
        kind = "a git repository whose last commit holds"
    else:
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in path.iterdir())
        kind = "a folder (not a git repository) holding"
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    return f"{kind} {shown or 'nothing'}"


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
    if repo is None and source is SourceFormat.RANCID and _rcs_files(path):
        versions = _read_rcs(path)
    elif repo is None:
        raise SourceError(f"{path}: not a git repository (the {source.value} format needs one)")
    elif not repo.head.is_valid():
        raise SourceError(f"{path}: the repository has no commit yet")
    else:
        versions = _read_git(repo, source)
    if not versions and source is SourceFormat.RANCID:
        raise SourceError(
            f"{path}: no RANCID configs found: it is {describe(path)}; RANCID keeps configs/<device> "
            "(and router.db) at the top of a group's repository, <group>/configs/<device> in one "
            "for all groups, or configs/<device>,v in CVS"
        )
    return versions, []


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
        if match is None or relpath.endswith(",v") or _NOT_DEVICES.match(match["device"]):
            return None
        return match["device"]
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
        if source is SourceFormat.RANCID and not data.strip():
            continue  # rancid's "new router" commit: an empty file until the first collection
        versions.append(Version(key, when, data, f"{sha[:12]} {relpath}"))
    return versions


_REVISION = re.compile(r"^revision (?P<rev>\S+)")
_RCS_DATE = re.compile(r"^date: (?P<date>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d);.*?state: (?P<state>[^;]+);")


def _rcs(*args: str) -> str:
    try:
        done = subprocess.run(list(args), capture_output=True, check=True, timeout=120)
    except FileNotFoundError:
        raise SourceError(
            f"reading RANCID's CVS history needs RCS's {args[0]}: apt-get install rcs (make test installs it)"
        ) from None
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(
            f"{args[-1]}: {args[0]} failed: {message[-1] if message else exc.returncode}"
        ) from None
    return done.stdout.decode("utf-8", "surrogateescape")


def _read_rcs(root: Path) -> list[Version]:
    """Every trunk revision of every device's `,v` file (`rlog`, then `co -p`): CVS's own
    storage, so no CVS is needed. RCS dates are UTC; a `dead` revision is a removal."""
    versions: list[Version] = []
    for path in _rcs_files(root):
        relative = path.relative_to(root).as_posix()
        match = _RANCID_PATH.match(relative)
        assert match is not None  # _rcs_files matched it
        revision = ""
        for line in _rcs("rlog", str(path)).splitlines():
            if found := _REVISION.match(line):
                revision = found["rev"]
            elif (found := _RCS_DATE.match(line)) and _TRUNK.match(revision):
                if found["state"].strip() == "dead":
                    continue
                when = dt.datetime.strptime(found["date"], "%Y/%m/%d %H:%M:%S").replace(tzinfo=dt.UTC)
                done = subprocess.run(
                    ["co", "-q", "-p", "-ko", f"-r{revision}", str(path)], capture_output=True, timeout=120
                )
                if done.returncode != 0:
                    raise SourceError(
                        f"{relative}: co -r{revision} failed: {done.stderr.decode(errors='replace')}"
                    )
                if done.stdout.strip():  # an empty first revision: a new router not yet collected
                    versions.append(Version(match["device"], when, done.stdout, f"{relative} {revision}"))
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
