"""Hand-written record files read and parsed, their problems collected: one file (the step every
record loader takes), and a folder of records that each carry an id (incidents, requests, change
records)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

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


class _WithId(Protocol):
    @property
    def id(self) -> str: ...


Identified = TypeVar("Identified", bound=_WithId)
GUIDES = ("readme.md", "index.md")  # a guide or template next to the records, not a record


def read_records_with_ids(
    folder: Path, parse: Callable[..., tuple[Identified | None, list[str]]], *args: object
) -> tuple[list[Identified], list[str]]:
    """Every `*.md` record under `folder` as `parse(text, shown, *args)` makes it (in path order),
    and every problem; a record whose id an earlier file already has is a problem, not a record."""
    found: list[Identified] = []
    problems: list[str] = []
    first_file: dict[str, str] = {}
    paths = sorted(folder.rglob("*.md")) if folder.is_dir() else []
    for path in (p for p in paths if p.name.lower() not in GUIDES):
        shown = path.relative_to(folder.parent).as_posix()
        record = read_record(path, shown, problems, parse, shown, *args)
        if record is None:
            continue
        if record.id in first_file:
            problems.append(f"{shown}: id: {record.id!r} is also the id of {first_file[record.id]}")
            continue
        first_file[record.id] = shown
        found.append(record)
    return found, problems
