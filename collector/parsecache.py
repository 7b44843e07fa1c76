"""What the last run made of each output, by the output's hash: a nightly run re-does the
cleaning, redaction, parsing and YAML of an output only when the output changed.

Most of what a device prints does not change from one night to the next (its config, boards,
VLANs, interfaces…), and turning those outputs into files costs as much CPU as fetching them.
The cache maps a hash of (what was done, the exact input) to the exact result, so a hit gives
byte-for-byte what the work would have given. It lives in the snapshot repository's `.git`
(local, never committed; secrets are not in it: only redacted configs and parsed state), keeps
only the entries the last run used, and any problem reading it means an empty cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

FORMAT = 1


def code_version() -> bytes:
    """A digest of the code and data that turn outputs into files: a cache made by another
    version of them is not used (an upgraded parser must re-parse)."""
    root = Path(__file__).resolve().parent
    kernel = root.parent / "netkb" if (root.parent / "netkb").is_dir() else root.parent  # checkout | wheel
    digest = hashlib.sha256()
    files = [root / "clean.py", root / "redact.py", root / "snapshot.py", kernel / "spec.py"]
    files += sorted((root / "parsers").rglob("*.py")) + sorted((root / "parsers").rglob("*.textfsm"))
    files += sorted((kernel / "specs").glob("*.yaml"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


class ParseCache:
    def __init__(self, path: Path | None, salt: bytes) -> None:
        """`salt` separates results that depend on more than the input (the redaction key)."""
        self.path = path
        self._salt = hashlib.sha256(salt).digest()
        self._old: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        if path is not None:
            try:
                data = json.loads(path.read_bytes())
                if data.get("format") == FORMAT and data.get("salt") == self._salt.hex():
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
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        data = {"format": FORMAT, "salt": self._salt.hex(), "entries": entries}
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(self.path)
