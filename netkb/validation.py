"""Reading the YAML files people write, and validating them into models with every problem at once.

Each problem is one line, `file: key.path: what is wrong`; unknown keys are errors (a typo in a
key must not silently drop a setting), and values of the wrong type are refused even where
pydantic would convert them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from netkb.yamlsafe import safe_load


class ConfigFileError(Exception):
    """A file the user wrote is invalid; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


M = TypeVar("M", bound=BaseModel)


def _key_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigFileError([f"{path}: file not found"]) from None
    except IsADirectoryError:
        raise ConfigFileError([f"{path}: is a folder, not a file; name the YAML file itself"]) from None
    except OSError as exc:  # permissions, an unreadable disk: the file is there but cannot be read
        raise ConfigFileError(
            [f"{path}: cannot be read ({exc.strerror or exc}); check its permissions"]
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigFileError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        return safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigFileError([f"{path}:{where}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from None
    except ValueError as exc:  # PyYAML builds dates itself: `until: 2027-02-30` fails there
        raise ConfigFileError([f"{path}:{_bad_date_line(text)}: {exc}: not a real date"]) from None


def _bad_date_line(text: str) -> str:
    """` line N` of the first date written that is not a real day ("" when none is found)."""
    for number, line in enumerate(text.splitlines(), 1):
        for written in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", line):
            try:
                dt.date(*map(int, written.split("-")))
            except ValueError:
                return f" line {number} ({written})"
    return ""


# A number, a yes/no or a text where the model wants another of them: pydantic's lax mode would
# take `retries: yes` as 1 and `workers: '5'` as 5, so these are looked for in strict mode too.
# Enums, dates and the like keep their lax reading (YAML gives them as text).
_SCALAR_TYPES = {
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_type": "text",
}


def _scalar_problem(err: Any) -> str:
    value, want = err["input"], _SCALAR_TYPES[err["type"]]
    if isinstance(value, bool):
        return f"{str(value).lower()} is a yes/no value, expected {want}"
    if isinstance(value, str):
        return f"{value!r} is quoted text, expected {want}: write it without quotes"
    kind = {int: "a whole number", float: "a decimal number"}.get(type(value), f"a {type(value).__name__}")
    return f"{value!r} is {kind}, expected {want}"


def validate(model: type[M], data: Any, path: Path) -> M:
    """The model, or ConfigFileError with every problem: unknown keys, values out of range,
    and values of the wrong type even where pydantic would convert them."""
    problems: dict[tuple[Any, ...], str] = {}
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            if err["type"] == "extra_forbidden":
                message = "unknown key (check its spelling)"
            elif err["type"] == "value_error":  # our validators' own words, without pydantic's prefix
                message = str(err.get("ctx", {}).get("error", err["msg"]))
            else:
                message = err["msg"]
            problems.setdefault(err["loc"], message)
        result = None
    try:
        model.model_validate(data, strict=True)
    except ValidationError as exc:
        for err in exc.errors():
            if err["type"] in _SCALAR_TYPES and err["loc"] not in problems:
                problems[err["loc"]] = _scalar_problem(err)
    if problems or result is None:
        in_order = sorted(
            problems, key=lambda loc: [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in loc]
        )
        raise ConfigFileError([f"{path}: {_key_path(loc)}: {problems[loc]}" for loc in in_order])
    return result
