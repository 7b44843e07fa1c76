"""Records written by hand as Markdown with YAML front matter: on-site inspections, incidents,
runbooks. Reading one is the same for all: the file as UTF-8, the front matter split off and
parsed with timestamps left as text (a record's own validation turns an impossible or zone-less
time into a field error naming the file, not a ValueError from inside PyYAML), and each problem
as one line that starts with the file's path."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError


class TextTimesLoader(yaml.SafeLoader):
    """SafeLoader without timestamp resolution: dates and times stay strings for the model."""


TextTimesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(YAML, Markdown) of a file that opens with a `---` line and closes it with another."""
    match = re.match(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", text, re.DOTALL | re.MULTILINE)
    return (match.group(1), text[match.end() :]) if match else None


def read_text(path: Path, shown: str) -> tuple[str | None, list[str]]:
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start}): save it as UTF-8"]


def parse_front_matter(
    text: str, shown: str, fields: str, *, required: bool = True
) -> tuple[dict[str, Any] | None, str, list[str]]:
    """(fields, Markdown body, problems). `fields` names the expected fields for the messages,
    e.g. "date, engineer, devices/rooms, items". Without `required`, a file with no front matter
    is all body."""
    parts = split_front_matter(text)
    if parts is None:
        if not required:
            return {}, text, []
        return (
            None,
            text,
            [
                f"{shown}: no front matter: start the file with a '---' line, then the fields "
                f"({fields}), then a closing '---' line"
            ],
        )
    front, body = parts
    try:
        data = yaml.load(front, Loader=TextTimesLoader)  # a SafeLoader subclass (see above)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 2}" if mark else ""  # +1 for counting from 1, +1 for the '---'
        problem = getattr(exc, "problem", exc)
        return None, body, [f"{shown}:{where}: front matter is not valid YAML: {problem}"]
    if data is None and not required:
        return {}, body, []
    if not isinstance(data, dict):
        return None, body, [f"{shown}: front matter must be fields ({fields}), not {type(data).__name__}"]
    return data, body, []


M = TypeVar("M", bound=BaseModel)


def field_path(loc: tuple[Any, ...]) -> str:
    """`parts[0].device`: where in a record's fields a problem is."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def unknown_devices(devices: Any, inventory: Collection[str]) -> list[str]:
    """A problem for each name in a record's `devices` list that the inventory does not hold."""
    return [
        f"devices[{i}]: {name!r} is not in the inventory (check the spelling)"
        for i, name in enumerate(devices if isinstance(devices, list) else [])
        if isinstance(name, str) and name not in inventory
    ]


def validated_record(
    text: str,
    shown: str,
    fields: str,
    model: type[M],
    message: Callable[[Any], str],
    known: Callable[[dict[str, Any]], list[str]] = lambda data: [],
    consistent: Callable[[M], list[str]] = lambda record: [],
) -> tuple[M | None, str, list[str]]:
    """(record, Markdown body, problems) of a record file's text, the steps every record kind takes:
    its front matter read; the values checked against the inventory and settings (`known`); the
    fields validated by `model` (pydantic's errors told by `message`); the whole record checked
    (`consistent`). Each problem starts with `shown`; the record is None when there is one."""
    data, body, problems = parse_front_matter(text, shown, fields)
    if data is None:
        return None, body, problems
    problems = [f"{shown}: {p}" for p in known(data)]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        return None, body, problems + [f"{shown}: {field_path(e['loc'])}: {message(e)}" for e in exc.errors()]
    problems += [f"{shown}: {p}" for p in consistent(record)]
    return (None if problems else record), body, problems
