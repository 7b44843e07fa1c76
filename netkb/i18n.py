"""The i18n catalogue: every user-facing string of the site, the reports and the terminal report
in the site's language (zh-CN by default, or en), read through `Strings`.

One key space, one format (key -> [zh, en]), several files: `netkb/strings.yaml` (the site's UI)
and `netkb/strings/*.yaml` (reports, recommendations, terms, inspection details). A key defined
twice is an error. Settings-defined names (SLA levels, incident categories) stay user data:
`Strings.pick` chooses their language.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Protocol

import yaml

from netkb.markdown import Md, text
from netkb.yamlsafe import SAFE_LOADER, safe_load

LANGUAGES = ("zh", "en")
FOLDER = "strings"  # netkb/strings/*.yaml, next to netkb/strings.yaml


class _Named(Protocol):
    @property
    def zh(self) -> str: ...
    @property
    def en(self) -> str: ...


def catalogue_files() -> list[tuple[str, str]]:
    """(name, text) of every catalogue file, strings.yaml first then the folder's in name order."""
    root = resources.files("netkb")
    files = [("netkb/strings.yaml", root.joinpath("strings.yaml").read_text(encoding="utf-8"))]
    folder = root.joinpath(FOLDER)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            files.append((f"netkb/{FOLDER}/{entry.name}", entry.read_text(encoding="utf-8")))
    return files


def build_table(files: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The catalogue from (name, YAML text) files; every problem at once (a key defined twice in
    a file or across files, a value that is not [zh, en])."""
    table: dict[str, tuple[str, str]] = {}
    where: dict[str, str] = {}
    problems: list[str] = []
    for name, source in files:
        node = yaml.compose(source, Loader=SAFE_LOADER)
        for key_node, _ in node.value if node is not None else []:
            key = str(key_node.value)
            if key in where:
                problems.append(f"{name}: {key!r} is already defined in {where[key]}")
            where.setdefault(key, name)
        for key, value in (safe_load(source) or {}).items():
            if not isinstance(value, list) or len(value) != len(LANGUAGES):
                problems.append(f"{name}: {key!r} must be a list [zh, en]")
            else:
                table[str(key)] = (str(value[0]), str(value[1]))
    if problems:
        raise ValueError("the i18n catalogue is broken:\n" + "\n".join(problems))
    return table


@cache
def _table() -> dict[str, tuple[str, str]]:
    return build_table(catalogue_files())


def keys() -> list[str]:
    return list(_table())


class Strings:
    """`strings("run_counts", changed=3, ...)`: the string in the site's language, as Markdown;
    the values filled in are escaped as text unless they are already Markdown. `plain(...)` is
    the same string for the terminal and plain-text fields, nothing escaped."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        self.language = language
        self._index = LANGUAGES.index(language)

    def __call__(self, key: str, /, **values: object) -> Md:
        template = _table()[key][self._index]
        if not values:
            return Md(template)
        return Md(template.format(**{k: v if isinstance(v, Md) else text(v) for k, v in values.items()}))

    def plain(self, key: str, /, **values: object) -> str:
        template = _table()[key][self._index]
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        return key in _table()

    def term(self, kind: str, value: str) -> str:
        """A closed-set word (a role, a platform, a state column, a state value) in the site's
        language: `term("role", "access")` -> 接入; the value itself where the catalogue has
        no entry (a name the user chose)."""
        key = f"{kind}_{value}"
        return self.plain(key) if key in _table() else value

    def pick(self, names: _Named) -> str:
        """A user-defined name with both languages (an SLA level, an incident category)."""
        return names.zh if self.language == "zh" else names.en

    def duration(self, seconds: float | None) -> str:
        """`1h 05m`, `2d 3h`, `-12m` (a miss) in the site's language; `—` for unknown."""
        if seconds is None:
            return "—"
        sign = "-" if seconds < 0 else ""
        minutes = round(abs(seconds) / 60)
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        if days:
            return sign + self.plain("duration_days", days=days, hours=hours)
        if hours:
            return sign + self.plain("duration_hours", hours=hours, minutes=f"{mins:02d}")
        return sign + self.plain("duration_minutes", minutes=mins)

    @property
    def material_language(self) -> str:
        return "zh" if self.language == "zh" else "en"
