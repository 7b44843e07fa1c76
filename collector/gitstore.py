"""The snapshot repository (GitPython): device files, run records, one commit per change.

Layout: `devices/<name>/config.txt`, `devices/<name>/state/<topic>.yml`,
`runs/<yyyy>/<mm>/<timestamp>.json`, `known_hosts`. Files are written atomically (temp file +
rename); commits go through GitPython's index, which writes its own lock files, so a run
killed at any point leaves a valid repository: the next run rewrites what it finds and
commits it. A flock on `.git/netkb-collect.lock` refuses a second concurrent run.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import git


class StoreError(Exception):
    pass


class RunInProgress(StoreError):
    pass


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)


class SnapshotRepo:
    def __init__(self, path: Path, author_name: str, author_email: str) -> None:
        self.path = path
        self.actor = git.Actor(author_name, author_email)
        if (path / ".git").exists():
            self.repo = git.Repo(path)
        else:
            path.mkdir(parents=True, exist_ok=True)
            self.repo = git.Repo.init(path, initial_branch="main")
        self._lock_file: int | None = None

    # --- locking and recovery -----------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        lock_path = Path(self.repo.git_dir) / "netkb-collect.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise RunInProgress(
                f"another collect is running on {self.path} ({holder}); wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {dt.datetime.now().isoformat(timespec='seconds')}".encode())
        try:
            self._recover()
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _recover(self) -> None:
        """Clear what a killed run left: we hold the lock, so no git process of ours is alive."""
        git_dir = Path(self.repo.git_dir)
        for stale in (
            git_dir / "index.lock",
            git_dir / "HEAD.lock",
            git_dir / "refs" / "heads" / "main.lock",
        ):
            stale.unlink(missing_ok=True)
        for tmp in self.path.glob("devices/*/**/.*.tmp"):
            tmp.unlink(missing_ok=True)

    # --- reading --------------------------------------------------------------------------

    def read(self, relpath: str) -> bytes | None:
        try:
            return (self.path / relpath).read_bytes()
        except FileNotFoundError:
            return None

    def committed(self, relpath: str) -> bytes | None:
        """The file as of HEAD (what the last good run left), or None."""
        if not self.repo.head.is_valid():
            return None
        try:
            blob = self.repo.head.commit.tree / relpath
        except KeyError:
            return None
        return blob.data_stream.read()  # type: ignore[no-any-return]

    def latest_run_record(self) -> bytes | None:
        runs = sorted((self.path / "runs").glob("*/*/*.json"))
        return runs[-1].read_bytes() if runs else None

    # --- writing --------------------------------------------------------------------------

    def write_files(self, files: dict[str, bytes]) -> list[str]:
        """Write these files; returns the paths that differ from HEAD (what must be committed).

        Compared with HEAD, not with the disk: a run killed after writing and before
        committing leaves new files on disk, and the next run must still commit them.
        """
        changed = []
        for relpath, data in files.items():
            if self.read(relpath) != data:
                atomic_write(self.path / relpath, data)
            if self.committed(relpath) != data:
                changed.append(relpath)
        return changed

    def commit(self, paths: list[str], message: str, when: dt.datetime | None) -> str | None:
        """Commit these paths if they differ from HEAD; returns the new commit's sha or None."""
        index = self.repo.index
        present = [p for p in paths if (self.path / p).exists()]
        gone = [p for p in paths if not (self.path / p).exists()]
        if present:
            index.add(present)
        if gone:
            tracked = {e[0] for e in index.entries}
            drop = [p for p in gone if p in tracked]
            if drop:
                index.remove(drop)
        if self.repo.head.is_valid() and not index.diff("HEAD"):
            return None
        date = (when or dt.datetime.now().astimezone()).replace(microsecond=0)
        commit = index.commit(
            message, author=self.actor, committer=self.actor, author_date=date, commit_date=date
        )
        return commit.hexsha  # type: ignore[no-any-return]
