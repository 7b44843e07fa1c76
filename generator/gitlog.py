"""The snapshot repository read by three git processes, whatever the length of the history.

1. `git log -z --raw` over every commit (`read_commits`): sha, parents, date, message and the
   new blob of every changed path;
2. `git log -p -- devices/` (`read_patches`): the patch of every device commit, split per file,
   one commit in memory at a time;
3. `git cat-file --batch` (`read_blobs`): the blobs asked for, one in memory at a time.
generator/history.py turns what they stream into the model. All text is decoded as strict UTF-8.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

import git

_ZONES: dict[dt.timedelta | None, dt.tzinfo | None] = {}


def instant(text: str) -> dt.datetime:
    """An ISO 8601 time whose zone object is shared with every other time of the same offset:
    pickled, twenty thousand times then cost one zone, not twenty thousand (7x faster to load)."""
    moment = dt.datetime.fromisoformat(text)
    offset = moment.utcoffset()
    zone = _ZONES.setdefault(offset, moment.tzinfo)
    return moment if moment.tzinfo is zone else moment.replace(tzinfo=zone)


class HistoryError(Exception):
    """The history cannot be read (generator.history re-exports it)."""


def utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HistoryError(f"{what} is not UTF-8 (byte {exc.start}): the repository must hold UTF-8") from exc


# --- git: three processes, streamed --------------------------------------------------------

# Pinned so the output does not depend on the reader's git configuration (and matches
# `git show` under the defaults): the root commit's diff, plain a/ b/ prefixes, unquoted UTF-8
# paths, myers with 3 lines of context.
GIT_CONFIG = [
    *("-c", "core.quotePath=false", "-c", "log.showRoot=true", "-c", "log.showSignature=false"),
    *("-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", "-c", "diff.algorithm=myers"),
    *("-c", "diff.context=3", "-c", "diff.interHunkContext=0", "-c", "diff.suppressBlankEmpty=false"),
    *("-c", "i18n.logOutputEncoding=UTF-8"),
    # fast-import (the collector's writer) chains each blob and tree as a delta on the one
    # written before it, up to 50 deep; git's default 96 MiB cache of delta bases re-inflates
    # those chains over and over when `log -p` walks a year of them (26 s -> 11 s, 1,000 devices).
    *("-c", "core.deltaBaseCacheLimit=256m"),
]
# First-parent, so a merge reads as the change it brought to the branch and the per-path blob
# tracking in _build stays exact.
LOG = ["log", "--reverse", "--first-parent", "--diff-merges=first-parent", "--no-renames"]
MARK = b"\x01netkb "  # starts a commit in the patch stream; no patch line can start with \x01


@dataclass(frozen=True, slots=True)
class Entry:
    status: str  # A / M / D / T
    path: str
    blob: str  # the new blob (all zeros when deleted)


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: list[str]
    date: dt.datetime
    message: str
    entries: list[Entry]


def spawn(repo: git.Repo, args: list[str], stdin: bool = False) -> Any:
    return repo.git.execute(
        ["git", *GIT_CONFIG, *args], as_process=True, istream=subprocess.PIPE if stdin else None
    )


def chunks(stream: IO[bytes]) -> Iterator[bytes]:
    return iter(partial(stream.read, 1 << 20), b"")


def read_commits(repo: git.Repo, rev: str) -> list[Commit]:
    """`git log -z --raw`: per commit the header fields, then `:meta` and path tokens per entry.

    Read whole, then split once: a year of nightly runs is megabytes, not gigabytes, and one
    split costs far less than a token at a time."""
    proc = spawn(repo, [*LOG, "-z", "--raw", "--no-abbrev", "--format=%H%x00%P%x00%aI%x00%B", rev, "--"])
    tokens = proc.stdout.read().split(b"\0")
    proc.wait()  # raises GitCommandError with git's message
    if tokens and not tokens[-1]:
        tokens.pop()
    commits = []
    i, count = 0, len(tokens)
    while i < count and tokens[i]:
        sha = tokens[i].strip(b"\n").decode()
        parents = tokens[i + 1].decode().split()
        date = instant(tokens[i + 2].decode())
        message = utf8(tokens[i + 3], f"the message of {sha}").rstrip("\n")
        entries = []
        i += 4
        while i < count and tokens[i].lstrip(b"\n").startswith(b":"):
            _, _, _, blob, status = tokens[i].lstrip(b"\n")[1:].decode().split(" ")
            entries.append(Entry(status[0], utf8(tokens[i + 1], f"a path in {sha}"), blob))
            i += 2
        commits.append(Commit(sha, parents, date, message, entries))
    return commits


def split_before(data: bytes, prefix: bytes) -> list[bytes]:
    """Cut `data` (which starts with `prefix`) before every line that starts with `prefix`."""
    pieces = data.split(b"\n" + prefix)
    last = len(pieces) - 1
    return [(prefix if i else b"") + p + (b"\n" if i < last else b"") for i, p in enumerate(pieces)]


def commit_patches(data: bytes) -> Iterator[tuple[str, list[bytes]]]:
    for part in split_before(data, MARK):
        header, _, body = part.partition(b"\n")
        start = body.find(b"diff --git ")
        yield header[len(MARK) :].decode(), split_before(body[start:], b"diff --git ") if start >= 0 else []


def read_patches(repo: git.Repo, rev: str) -> Iterator[tuple[str, list[bytes]]]:
    """`git log -p -- devices/`: (sha, per-file patches) per commit.

    git starts at once and a thread drains its output into memory (tens of megabytes for a year
    of a thousand devices), so git computes the diffs while the caller parses run records;
    the commits are split out when the caller iterates.
    """
    args = ["-p", "--full-index", "--no-color", "--no-ext-diff", "--no-textconv", "--format=%x01netkb %H"]
    proc = spawn(repo, [*LOG, *args, rev, "--", "devices/"])
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.extend(chunks(proc.stdout)), daemon=True)
    reader.start()
    return _split_commits(proc, reader, received)


def _split_commits(
    proc: Any, reader: threading.Thread, received: list[bytes]
) -> Iterator[tuple[str, list[bytes]]]:
    reader.join()
    proc.wait()  # raises GitCommandError with git's message
    data = b"".join(received)
    received.clear()
    if data:
        yield from commit_patches(data)


def read_blobs(repo: git.Repo, shas: list[str]) -> Iterator[tuple[str, bytes]]:
    """(sha, content) in the order asked, one blob in memory at a time."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return
    proc = spawn(repo, ["cat-file", "--batch"], stdin=True)
    request = "".join(f"{sha}\n" for sha in wanted).encode()

    def feed() -> None:  # a thread, so git can answer while we still ask: no pipe deadlock
        try:
            proc.stdin.write(request)
            proc.stdin.close()
        except OSError:
            pass  # git died; its message comes from wait()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    for sha in wanted:
        header = proc.stdout.readline().split()
        if len(header) != 3:
            raise HistoryError(f"object {sha} is missing from the repository")
        yield sha, proc.stdout.read(int(header[2]))
        proc.stdout.read(1)
    writer.join()
    proc.wait()
