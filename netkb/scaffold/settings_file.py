"""The `netkb.yml` that `netkb init` writes: every setting with its default, one comment each.

Names and defaults come from the model itself (`netkb.settings.Settings`), the comments from
`settings_comments.yaml`, so the file cannot drift from what netkb reads: a new setting appears
with its default (tests/test_init.py asks for its comment), and the file loads back to the
defaults. Values are written the way people write them (`15m`, `mon`, `08:30-17:30`), not as
the models hold them.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel

from netkb.records.service import Calendar, Duration, Target
from netkb.settings import Settings

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HEADER = {
    "zh": (
        "# netkb 的设置：每项都是默认值，按需修改；删掉一项即恢复 netkb 的默认值。\n"
        "# 相对路径都相对本文件所在的文件夹。\n\n"
    ),
    "en": (
        "# netkb's settings: each one at its default; change what you need, or delete a line to\n"
        "# follow netkb's default. Relative paths are relative to this file's folder.\n\n"
    ),
}


def comments() -> dict[str, dict[str, str]]:
    """The comment table: setting -> language -> one line."""
    text = resources.files("netkb.scaffold").joinpath("settings_comments.yaml").read_text(encoding="utf-8")
    table: dict[str, dict[str, str]] = yaml.safe_load(text)
    return table


def _minutes(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def plain(value: Any) -> Any:
    """A setting's value as a user writes it in YAML (what the model reads back to the same)."""
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Target):
        return (
            str(value.within)
            if value.calendar is None
            else {"within": str(value.within), "calendar": value.calendar}
        )
    if isinstance(value, Calendar):
        data = {key: plain(getattr(value, key)) for key in type(value).model_fields}
        data["days"] = [_WEEKDAYS[day] for day in value.days]
        data["hours"] = [f"{_minutes(start)}-{_minutes(end)}" for start, end in value.hours]
        return data
    if isinstance(value, BaseModel):
        fields = ((key, getattr(value, key)) for key in type(value).model_fields)
        return {key: plain(item) for key, item in fields if item is not None}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.value if hasattr(value, "value") and not isinstance(value, str | int | float) else value


def settings_file(language: str) -> str:
    """netkb.yml: every setting of `Settings(language=…)`, a comment line above each."""
    settings = Settings(language=language)  # type: ignore[arg-type]
    table = comments()
    parts = [_HEADER[language]]
    for key in Settings.model_fields:
        value = plain(getattr(settings, key))
        comment = table.get(key, {}).get(language)
        flow = None if isinstance(value, dict | list) else False  # leaves of a mapping in flow style
        block = yaml.safe_dump(
            {key: value}, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=100
        )
        parts.append(
            ("\n" if "\n" in block.rstrip("\n") else "") + (f"# {comment}\n" if comment else "") + block
        )
    return "".join(parts)
