"""What cannot have changed since the last generation, kept by what it was made from.

Most of a nightly rebuild renders what the night did not touch: last year's run pages, the
state tables of devices whose state file is the same blob, the change blocks of old commits,
the months of changes and the service reports of periods that are over.
Each is stored under a key naming its input (a commit, a blob id, a run record) and reused while
the `salt` — the site's language, its device names and the generator's own code — is unchanged.
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

T = TypeVar("T")

FORMAT = 1


def code_salt(*parts: str) -> str:
    """A digest of the generator's code, templates and strings, and of `parts`."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.j2"), root / "strings.yaml"]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


class PageCache:
    def __init__(self, path: Path | None, salt: str) -> None:
        self.path, self.salt = path, salt
        self._old: dict[tuple[str, ...], Any] = {}
        self._used: dict[tuple[str, ...], Any] = {}
        if path is not None:
            try:
                with path.open("rb") as f:
                    stored_salt, entries = pickle.load(f)
                if stored_salt == salt and isinstance(entries, dict):
                    self._old = entries
            except Exception:  # missing, damaged, another netkb: render everything again
                self._old = {}

    def get(self, key: tuple[str, ...], render: Callable[[], T]) -> T:
        found = self._used.get(key)
        if found is None:
            found = self._old.get(key)
            if found is None:
                found = render()
            self._used[key] = found
        return found

    def save(self) -> None:
        """Keep what this generation used: the cache stays the size of one site."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump((self.salt, self._used), f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.path)


def names_digest(names: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()
