"""What a killed collect leaves in the snapshot repository, and how the next run cleans it
(gitstore.py `SnapshotRepo.locked`): netkb's own files that differ from the branch go back,
those it wrote and never committed go, with the dead fast-import's packs and crash reports.
Other untracked files (a note someone left, `accepted/` markers) are never touched.
"""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path

import git

log = logging.getLogger("netkb.store")

# The files a run writes into the working tree (and their temp files while they are written):
# the only untracked files recovery may remove, and the only changed files it puts back.
OWN_FILES = re.compile(
    r"(devices/[^/]+/(config\.txt|state/[^/]+\.yml)|runs/\d{4}/\d{2}/[^/]+\.json|known_hosts\.d/[^/]+|known_hosts"
    r"|sealed/[^/]+\.(age|yml))"
)
# A file of a run is no older than the run's marker; a second of slack for coarse file times.
MTIME_SLACK = 2.0


def is_own_file(relpath: str) -> bool:
    """Whether a run writes this file (or its temp file) into the snapshot repository."""
    folder, _, name = relpath.rpartition("/")
    if name.startswith(".") and name.endswith(".tmp"):
        relpath = f"{folder}/{name[1:-4]}" if folder else name[1:-4]
    return OWN_FILES.fullmatch(relpath) is not None


def clean_after(repo: git.Repo, root: Path, since: float) -> None:
    """Clean what the run that started at `since` (a file time) left in the repository at
    `root`, and say what."""
    restored: list[str] = []
    if repo.head.is_valid():
        listing = repo.git.diff("--name-only", "-z", "--no-renames", "HEAD", "--")
        gone = set(repo.git.ls_files("--deleted", "-z").split("\0"))
        # netkb's own files go back as committed; any other committed file only when it is
        # gone (an `accepted/` marker a killed run deleted): nobody's edit is lost.
        restored = [p for p in listing.split("\0") if p and (is_own_file(p) or p in gone)]
        if restored:
            repo.git.checkout("-q", "HEAD", "--", *restored)
        repo.git.reset("-q")  # the index as the branch: a killed `git reset` may have left it half
    removed, kept = [], []
    for relpath in filter(None, repo.git.ls_files("--others", "-z").split("\0")):
        path = root / relpath
        try:
            mine = is_own_file(relpath) and path.stat().st_mtime >= since
        except OSError:
            continue
        if mine:
            path.unlink()
            removed.append(relpath)
        else:
            kept.append(relpath)
    _remove_empty_folders(root, removed)
    leftovers, crash_reports = remove_import_leftovers(Path(repo.git_dir), since)
    parts = [
        f"put back {_some(restored)} as last committed" if restored else "",
        f"removed {_some(removed)} it wrote and never committed" if removed else "",
        f"removed {len(leftovers)} unfinished git pack file(s)" if leftovers else "",
        f"removed {len(crash_reports)} fast-import crash report(s)" if crash_reports else "",
    ]
    said = "; ".join(p for p in parts if p) or "nothing to clean"
    others = f"; left alone {_some(kept)}, which netkb did not write" if kept else ""
    log.warning(
        "%s: the last collect did not finish (killed, or stopped by an error); %s%s",
        root,
        said,
        others,
    )


def _remove_empty_folders(root: Path, removed: list[str]) -> None:
    for folder in sorted({str(Path(p).parent) for p in removed}, key=len, reverse=True):
        path = root / folder
        while path != root:
            try:
                path.rmdir()  # only if empty
            except OSError:
                break
            path = path.parent


def remove_import_leftovers(git_dir: Path, since: float) -> tuple[list[Path], list[Path]]:
    """What a fast-import of ours that died (killed with the run, by us, or by a full disk)
    left since `since`: its temp packs (objects no ref reaches) and its crash reports."""
    packs: list[Path] = []
    reports: list[Path] = []
    for found, pattern in (
        (packs, "objects/pack/tmp_pack_*"),
        (packs, "objects/pack/tmp_idx_*"),
        (reports, "fast_import_crash_*"),
    ):
        for path in git_dir.glob(pattern):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime >= since:
                    path.unlink()
                    found.append(path)
    return packs, reports


def _some(paths: list[str], shown: int = 3) -> str:
    """`3 file(s) (a, b, c)`, the first few named."""
    more = f", … {len(paths) - shown} more" if len(paths) > shown else ""
    return f"{len(paths)} file(s) ({', '.join(sorted(paths)[:shown])}{more})"
