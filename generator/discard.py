"""Removing the old cache files of a generation without waiting for it.

Freeing a 100 MB file takes a noticeable part of a nightly rebuild on a file system mounted with
`discard` (each unlink trims the device); the generation need not wait for it. The removals run
in a thread (the system call releases the GIL) that the interpreter joins before it exits, so
nothing is left half done.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path


def remove_later(paths: Iterable[Path]) -> None:
    doomed = list(paths)
    if doomed:
        threading.Thread(target=_remove, args=(doomed,), name="netkb-discard").start()


def replace_later(tmp: Path, target: Path) -> None:
    """`tmp.replace(target)`, the old target's data freed in the background: a second name keeps
    it alive through the rename, then goes."""
    keep = target.with_name(f".{target.name}.{os.getpid()}.old")
    try:
        os.link(target, keep)
        linked = True
    except OSError:
        linked = False  # no old file (or no hard links here): a plain replace
    tmp.replace(target)
    if linked:
        remove_later([keep])


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
