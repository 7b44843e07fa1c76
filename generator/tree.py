"""Writing the Markdown tree: only files whose content changed, and stale files removed.

MkDocs rebuilds everything anyway; writing only what changed keeps `mkdocs serve` from
reloading for nothing and makes the nightly generation cheap on disk.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_tree(root: Path, files: dict[str, str | bytes]) -> tuple[int, int]:
    """Make `root` hold exactly `files` (path -> content). Returns (written, removed)."""
    root.mkdir(parents=True, exist_ok=True)
    written = 0
    for relative, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = root / relative
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        written += 1
    wanted = {root / p for p in files}
    removed = 0
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written, removed
