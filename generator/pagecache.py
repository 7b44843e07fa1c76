"""What cannot have changed since the last generation, kept by what it was made from.

Most of a nightly rebuild renders what the night did not touch: last year's run pages, the
state tables of devices whose state file is the same blob, the change blocks of old commits,
the months of changes and the service reports of periods that are over.
Each is stored under a key naming its input (a commit, a blob id, a run record) and reused while
netkb's fingerprint (netkb/fingerprint.py: its code, data and libraries) and the `salt` (the
settings and the device names, `site_salt`) are unchanged.
The file is our own build output (build/cache/), so unpickling it is as safe as the tree; a
file that cannot be read is an empty cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from netkb.fingerprint import fingerprint
from netkb.generator.discard import replace_later

T = TypeVar("T")


def site_salt(*parts: str) -> str:
    """A digest of what every page may read besides its key (the settings, the device names)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


class PageCache:
    """Stored as a base file and a journal: a generation appends what it rendered anew (a night's
    few changes) instead of writing the whole cache again; every MAX_JOURNAL generations, or when
    a quarter of what is stored went unused, the base is written afresh from what was used."""

    MAX_JOURNAL = 10

    def __init__(self, path: Path | None, salt: str) -> None:
        """`salt` names what the pages read besides their keys; the cache adds netkb's
        fingerprint to it, so pages another netkb rendered are never served."""
        self.path, self.salt = path, (fingerprint(), salt)
        self._old: dict[tuple[str, ...], Any] = {}
        self._used: dict[tuple[str, ...], Any] = {}
        self._new = 0  # entries rendered by this generation
        self._appended = 0  # journal records read
        self._rewrite = True  # the base is missing, stale or the journal damaged
        if path is not None:
            self._read(path)

    @property
    def journal(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".journal")

    def _read(self, path: Path) -> None:
        try:
            with path.open("rb") as f:
                if pickle.load(f) != self.salt:  # read first: another netkb's pages stay unread
                    return
                entries = pickle.load(f)
            if not isinstance(entries, dict):
                return
        except Exception:  # missing, damaged, another netkb: render everything again
            return
        self._old, self._rewrite = entries, False
        try:
            with self.journal.open("rb") as f:
                while f.peek(1):
                    stored_salt, added = pickle.load(f)
                    if stored_salt != self.salt or not isinstance(added, dict):
                        raise ValueError("a journal record of another generator")
                    self._old.update(added)
                    self._appended += 1
        except FileNotFoundError:
            pass
        except Exception:  # a record torn by a killed generation: keep what came before it
            self._rewrite = True

    def get(self, key: tuple[str, ...], render: Callable[[], T]) -> T:
        found = self._used.get(key)
        if found is None:
            found = self._old.get(key)
            if found is None:
                found = render()
                self._new += 1
            self._used[key] = found
        return found

    def save(self) -> None:
        """Append what was rendered anew, or write the base again from what this generation used
        (so the cache stays the size of one site)."""
        if self.path is None:
            return
        unused = len(self._old) - (len(self._used) - self._new)
        if self._rewrite or self._appended >= self.MAX_JOURNAL or unused * 4 > len(self._old):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(self.salt, f, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(self._used, f, protocol=pickle.HIGHEST_PROTOCOL)
            self.journal.unlink(missing_ok=True)  # first: a base is never read with an older journal
            replace_later(tmp, self.path)
        elif self._new:
            added = {k: v for k, v in self._used.items() if k not in self._old}
            with self.journal.open("ab") as f:
                f.write(pickle.dumps((self.salt, added), protocol=pickle.HIGHEST_PROTOCOL))


def names_digest(names: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()
