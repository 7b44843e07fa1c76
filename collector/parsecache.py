"""What the last run made of each output, by the output's hash: a nightly run re-does the
cleaning, redaction, parsing and YAML of an output only when the output changed.

Most of what a device prints does not change from one night to the next (its config, boards,
VLANs, interfaces…), and turning those outputs into files costs as much CPU as fetching them.
The cache maps a hash of (what was done, the exact input) to the exact result, so a hit gives
byte-for-byte what the work would have given. It lives in the project's cache folder (the
`cache_dir` setting, default `.netkb/cache/`; never committed, kept between nights by CI; secrets
are not in it: only redacted configs and parsed state), keeps only the entries the last run used,
and any problem reading it means an empty cache. A cache made by another netkb — other code,
data or library versions (netkb/fingerprint.py) — or under another redaction key is not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from netkb.fingerprint import fingerprint


def cache_file(folder: Path, shard: str | None = None) -> Path:
    """The cache of a run in `folder` (the `cache_dir` setting): one per shard ("K/N"), so shards
    that share a folder never overwrite each other's entries."""
    return folder / (f"parse-cache-shard{shard.replace('/', 'of')}.json" if shard else "parse-cache.json")


class ParseCache:
    def __init__(self, path: Path | None, salt: bytes) -> None:
        """`salt` separates results that depend on more than the input and the code (the
        redaction key); the fingerprint separates the netkb that made them."""
        self.path = path
        self._salt = hashlib.sha256(salt).digest()
        # The file names the salt by a digest of it, never the salt itself: CI keeps the file
        # in its cache storage, and the salt derives from the redaction key.
        self._salt_id = hashlib.sha256(b"netkb parse cache\0" + self._salt).hexdigest()
        self._fingerprint = fingerprint()
        self._old: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        if path is not None:
            try:
                data = json.loads(path.read_bytes())
                if data.get("fingerprint") == self._fingerprint and data.get("salt") == self._salt_id:
                    self._old = data["entries"]
            except (OSError, ValueError, KeyError, AttributeError):
                self._old = {}

    def key(self, kind: str, text: str) -> str:
        digest = hashlib.sha1(self._salt)
        digest.update(kind.encode())
        digest.update(b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        value = self._used.get(key)
        if value is None:
            value = self._old.get(key)
            if value is not None:
                self._used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    def save(self, keep_unused: bool = False) -> None:
        """Keep what this run used (the cache never grows past one run's outputs), and the
        rest too after a run that read only some devices."""
        if self.path is None:
            return
        entries = {**self._old, **self._used} if keep_unused else self._used
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        data = {"fingerprint": self._fingerprint, "salt": self._salt_id, "entries": entries}
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(self.path)
