"""One hand-written record file read and parsed, its problems collected: the step every record
loader (incidents, runbooks, …) takes for each file it finds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from netkb.records.frontmatter import read_text

R = TypeVar("R")


def read_record(
    path: Path,
    shown: str,
    problems: list[str],
    parse: Callable[..., tuple[R | None, list[str]]],
    *args: object,
) -> R | None:
    """The record in `path` (named `shown` in messages), as `parse(text, *args)` makes it, or None;
    each problem with the file, unreadable or invalid, is appended to `problems`."""
    text, unreadable = read_text(path, shown)
    if text is None:
        problems += unreadable
        return None
    record, found = parse(text, *args)
    problems += found
    return record
