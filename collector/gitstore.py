"""The snapshot repository (GitPython): device files, run records, one commit per change.

Layout: `devices/<name>/config.txt`, `devices/<name>/state/<topic>.yml`,
`runs/<yyyy>/<mm>/<timestamp>[-shardKofN].json`, `known_hosts.d/<name>` (and an older
repository's `known_hosts`), `sealed/<name>.age` and `sealed/<name>.yml` (collector/sealed.py).
Files are written atomically (temp file + rename). Commits are streamed to one
`git fast-import` per run, so a run costs in proportion to what changed, not to the size of
the index times the number of commits. What is in HEAD is known from one `git ls-tree` at
the start; a file has changed when its blob id differs.
fast-import moves the branch only at checkpoints and at the end, each an atomic ref update,
so a run killed at any point leaves a valid repository and the next run commits what is
left. A flock on `.git/netkb-collect.lock` refuses a second concurrent run.

After a killed run the next one recovers (`_recover`): it puts back the files netkb writes
(device files, sealed copies, run records, host keys) that differ from the branch, removes those
it wrote and never committed, and the unfinished packs of the dead fast-import, and says what it
cleaned (store_recovery.py). Other untracked files (a note someone left, `accepted/` markers) are
never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import git

from netkb.collector.store_recovery import MTIME_SLACK, clean_after, remove_import_leftovers
from netkb.run_records import records_in

# Commits between two checkpoints: what a killed run can lose (the next run redoes it).
CHECKPOINT_EVERY = 50


class StoreError(Exception):
    pass


class RunInProgress(StoreError):
    pass


def atomic_write(path: Path, data: bytes) -> None:
    """`path` holds `data` or is as it was: a failed write (disk full) leaves no temp file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a failed write names no file
            raise type(exc)(exc.errno, exc.strerror, str(path)) from exc
        raise


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (no git process needed to compare)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _git_date(when: dt.datetime) -> str:
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{int(when.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


class SnapshotRepo:
    def __init__(self, path: Path, author_name: str, author_email: str) -> None:
        self.path = path
        self.author = f"{author_name} <{author_email}>"
        if path.exists() and not path.is_dir():
            raise StoreError(
                f"{path}: the snapshot repository is a file, not a folder; point snapshot_repo in the "
                "settings at a folder, or move the file away"
            )
        try:
            if (path / ".git").exists():
                self.repo = git.Repo(path)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.repo = git.Repo.init(path, initial_branch="main")
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
            raise StoreError(
                f"{path}: not a git repository ({exc}); point snapshot_repo at the snapshot repository, "
                "or move this folder away and let collect start a new one"
            ) from exc
        except git.GitCommandError as exc:
            said = " ".join(str(exc.stderr or exc).split())[:200]
            raise StoreError(
                f"{path}: the snapshot repository cannot be created ({said}); make the folder writable "
                "or point snapshot_repo elsewhere"
            ) from exc
        self.branch = self.repo.head.reference.path  # e.g. refs/heads/main
        self._tree: dict[str, str] = {}  # path -> blob id, as of the branch tip
        self._tip: str | None = None
        self._importer: Any = None
        self._marks = 0
        # Set when fast-import died: its commits since the last checkpoint are gone with it, so
        # nothing more can be committed in this run (the next run starts from the branch again).
        self._broken: str | None = None
        self._writing = False
        self._since = 0.0  # when this run started, as a file time (set by _recover)
        self._imported = False  # a fast-import was started in this run

    # --- locking and recovery -----------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        lock_path = Path(self.repo.git_dir) / "netkb-collect.lock"
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # nothing written yet: the store is as the last run left it
            raise StoreError(
                f"{self.path}: cannot write to the snapshot repository ({exc.strerror}); make it "
                "writable (a read-only mount? the owner?) or point snapshot_repo elsewhere"
            ) from exc
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
            self._read_tip()
            try:
                yield
            except BaseException:
                # Whatever stopped the run, the commits it made are whole device commits: the
                # branch moves to the last one. The working tree is restored by the next run
                # (the unfinished marker stays).
                if not self._writing:  # else the stream ends mid-commit: abort, keep the checkpoints
                    with contextlib.suppress(Exception):
                        self._finish()
                raise
            self._finish()
            (Path(self.repo.git_dir) / "netkb-run-unfinished").unlink(missing_ok=True)
        finally:
            self._abort()
            if self._imported:  # a fast-import that failed on its own (disk full) left these too
                with contextlib.suppress(OSError):
                    remove_import_leftovers(Path(self.repo.git_dir), self._since)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _recover(self) -> None:
        """Undo what a killed run left: we hold the lock, so no git process of ours is alive.

        Its files written after the last checkpoint were never committed: the files netkb
        writes go back to the tip (this run fetches and commits them again), the ones it created
        are removed, with the dead fast-import's unfinished packs. Anything else is left alone.
        """
        git_dir = Path(self.repo.git_dir)
        for stale in (git_dir / "index.lock", git_dir / "HEAD.lock", git_dir / f"{self.branch}.lock"):
            stale.unlink(missing_ok=True)
        marker = git_dir / "netkb-run-unfinished"
        if marker.exists():
            clean_after(self.repo, self.path, marker.stat().st_mtime - MTIME_SLACK)
        marker.touch()
        self._since = marker.stat().st_mtime - MTIME_SLACK

    def _read_tip(self) -> None:
        try:
            self._tip = self.repo.git.rev_parse("--verify", "-q", self.branch)
        except git.GitCommandError:
            self._tip = None  # a new repository: no commit yet
        self._tree = {}
        if self._tip:
            listing = self.repo.git.ls_tree("-r", "-z", "--full-tree", self._tip)
            for entry in filter(None, listing.split("\0")):
                meta, _, path = entry.partition("\t")
                self._tree[path] = meta.split()[2]

    # --- reading --------------------------------------------------------------------------

    def read(self, relpath: str) -> bytes | None:
        try:
            return (self.path / relpath).read_bytes()
        except FileNotFoundError:
            return None

    def has(self, relpath: str) -> bool:
        """Whether the branch tip holds this file (no file is read)."""
        return relpath in self._tree

    def committed(self, relpath: str) -> bytes | None:
        """The file as of the branch tip (what the last good run left), or None."""
        sha = self._tree.get(relpath)
        if sha is None:
            return None
        # The working tree equals the tip until this run writes the device's files, which comes
        # after reading them: the file on disk is the committed one when its blob id says so,
        # and reading it costs a fraction of asking git (the run reads every device's config).
        on_disk = self.read(relpath)
        if on_disk is not None and blob_id(on_disk) == sha:
            return on_disk
        return self.repo.odb.stream(bytes.fromhex(sha)).read()  # type: ignore[no-any-return]

    def run_records_newest_first(self) -> Iterator[bytes]:
        """Run records, newest instant first (not by name: hosts in other time zones wrote some),
        read one at a time (a shard's covers some devices only)."""
        for relpath in records_in(self.path):
            yield (self.path / relpath).read_bytes()

    # --- writing --------------------------------------------------------------------------

    def write_files(self, files: dict[str, bytes]) -> list[str]:
        """Write the files that differ from the tip; returns their paths (what must be committed).

        The working tree equals the tip when a run starts (see `_recover`), so comparing blob
        ids is enough: no file is read back.
        """
        changed = []
        for relpath, data in files.items():
            if self._tree.get(relpath) != blob_id(data):
                atomic_write(self.path / relpath, data)
                changed.append(relpath)
        return changed

    def discard(self, paths: list[str]) -> None:
        """Put these files back as they are at the tip (a device that failed after writing
        some of its files): the working tree keeps the last good snapshot."""
        for relpath in paths:
            sha = self._tree.get(relpath)
            on_disk = self.read(relpath)
            if sha is None:
                if on_disk is not None:
                    (self.path / relpath).unlink()
            elif on_disk is None or blob_id(on_disk) != sha:
                atomic_write(self.path / relpath, self.repo.odb.stream(bytes.fromhex(sha)).read())

    def commit(self, paths: list[str], message: str, when: dt.datetime | None) -> str | None:
        """Commit these paths as they are on disk, if they differ from the tip; the new sha or None."""
        changes = self._changes(paths)
        if not changes:
            return None
        if self._broken:
            raise StoreError(self._broken)
        mark = self._marks + 1  # counted once written: a commit that fails to build leaves no gap
        tip = self._send(self._commit_stream(mark, message, when, changes))
        self._marks, self._tip = mark, tip
        for relpath, data in changes:
            if data is None:
                self._tree.pop(relpath, None)
            else:
                self._tree[relpath] = blob_id(data)
        if self._marks % CHECKPOINT_EVERY == 0:
            self._importer.stdin.write(b"checkpoint\n")
            self._importer.stdin.flush()
        return self._tip

    def _changes(self, paths: list[str]) -> list[tuple[str, bytes | None]]:
        """(path, bytes on disk, or None when deleted) for each path that differs from the tip."""
        changes: list[tuple[str, bytes | None]] = []
        for relpath in paths:
            data = self.read(relpath)
            if data is None:
                if relpath in self._tree:
                    changes.append((relpath, None))
            elif self._tree.get(relpath) != blob_id(data):
                changes.append((relpath, data))
        return changes

    def _commit_stream(
        self, mark: int, message: str, when: dt.datetime | None, changes: list[tuple[str, bytes | None]]
    ) -> bytes:
        """One commit in fast-import's language, asking for its sha back (`get-mark`)."""
        date = _git_date((when or dt.datetime.now().astimezone()).replace(microsecond=0))
        encoded = message.encode("utf-8")
        out = [
            f"commit {self.branch}\nmark :{mark}\n".encode(),
            f"author {self.author} {date}\ncommitter {self.author} {date}\n".encode(),
            b"data %d\n" % len(encoded) + encoded + b"\n",
        ]
        if mark > 1:
            out.append(f"from :{mark - 1}\n".encode())  # this import's own last commit
        elif self._tip:
            out.append(f"from {self._tip}\n".encode())
        for relpath, data in changes:
            quoted = relpath.encode("utf-8")
            if data is None:
                out.append(b"D " + quoted + b"\n")
            else:
                out.append(b"M 100644 inline " + quoted + b"\n" + b"data %d\n" % len(data) + data + b"\n")
        out.append(f"get-mark :{mark}\n".encode())
        return b"".join(out)

    def _send(self, stream: bytes) -> str:
        """Send one commit to fast-import; the sha it answers. A dead importer breaks the run."""
        importer = self._start_import()
        self._writing = True  # an interruption now leaves a half-sent commit: see locked()
        try:
            importer.stdin.write(stream)
            importer.stdin.flush()
            tip = importer.stdout.readline().decode().strip()
            self._writing = False
        except OSError as exc:  # fast-import died (killed, disk full): its stream is broken
            tip = ""
            died: BaseException | None = exc
        else:
            died = None
        if not tip:
            self._broken = (
                f"git fast-import stopped: {self._importer_error() or died or 'no answer'}; "
                "this run's commits since its last checkpoint are lost, the next run makes them again"
            )
            raise StoreError(self._broken) from died
        return str(tip)

    def _start_import(self) -> Any:
        if self._importer is None:
            self._imported = True
            self._importer = self.repo.git.fast_import(
                "--quiet", "--done", as_process=True, istream=subprocess.PIPE
            )
        return self._importer

    def _finish(self) -> None:
        """End the import (the branch moves to the last commit) and align the index with it."""
        if self._broken:
            raise StoreError(self._broken)
        if self._importer is None:
            return
        importer, self._importer = self._importer, None
        self._marks = 0
        importer.stdin.write(b"done\n")
        importer.stdin.close()
        if importer.proc.wait() != 0:
            reason = importer.proc.stderr.read().decode(errors="replace").strip()
            raise StoreError(f"git fast-import failed: {reason}")
        # The working tree already holds these files; only the index lags behind the branch.
        self.repo.git.reset("-q")

    def _importer_error(self) -> str:
        """What a dead fast-import said; it is killed, so nothing more is sent to it."""
        importer, self._importer = self._importer, None
        if importer is None:
            return ""
        importer.proc.kill()
        importer.proc.wait()
        remove_import_leftovers(Path(self.repo.git_dir), self._since)
        return " ".join(importer.proc.stderr.read().decode(errors="replace").split())[:300]

    def _abort(self) -> None:
        if self._importer is not None:
            self._importer.proc.kill()
            self._importer.proc.wait()
            self._importer = None
            remove_import_leftovers(
                Path(self.repo.git_dir), self._since
            )  # killed: its temp pack is of no use
