"""The team's own `mkdocs.yml`: what netkb needs from it, and what it may shape freely.

A project's top-level `mkdocs.yml` belongs to the team (its name, palette, logo, pages, plugins).
netkb's part is the `mkdocs.yml` that `netkb generate` writes into the build folder; the team's
file inherits it (`INHERIT: build/mkdocs.yml`) and MkDocs deep-merges the two, the team's keys
winning. Mappings merge (theme, plugins and markdown_extensions are written as mappings so that
the team's add to netkb's); lists replace, so netkb's plugin puts its own navigation, CSS and
scripts back around the team's (generator/mkdocs_plugin.py). What would still break netkb's
pages is reported by `netkb check` with its key (`problems`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

FILE_NAME = "mkdocs.yml"
PAGES_FOLDER = "docs"  # the team's own pages, next to their mkdocs.yml
BUILD = "build"  # where `netkb generate` writes by default (its --build)


class _Lenient(yaml.SafeLoader):
    """Reads MkDocs' own tags (`!ENV`, `!relative`, `!!python/name:`) as plain values: only the
    keys netkb needs are looked at."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def read_user_config(path: Path) -> dict[str, Any]:
    """The file as a mapping; `ValueError` with a one-line reason when it is not one."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Lenient)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: is not a mapping of MkDocs settings")
    return data


def _same_path(value: object, root: Path, expected: str) -> bool:
    return isinstance(value, str) and (root / value).resolve() == (root / expected).resolve()


def problems(path: Path, build: str = BUILD) -> list[str]:
    """Each key of the team's `mkdocs.yml` that would break netkb's site, one line each."""
    try:
        config = read_user_config(path)
    except ValueError as exc:
        return [str(exc)]
    root, found = path.parent, []
    base = f"{build}/{FILE_NAME}"
    if not _same_path(config.get("INHERIT"), root, base):
        found.append(
            f"{path}: INHERIT: must be {base} (netkb's pages, search and plugin); set `INHERIT: {base}`"
        )
    if not _same_path(config.get("docs_dir"), root, f"{build}/docs"):
        found.append(
            f"{path}: docs_dir: must be {build}/docs, where netkb generate writes the pages "
            f"(your own pages go in {PAGES_FOLDER}/ next to {FILE_NAME}; generate copies them in)"
        )
    theme = config.get("theme")
    name = theme.get("name") if isinstance(theme, dict) else theme
    if name not in (None, "material"):
        found.append(f"{path}: theme.name: netkb's pages need material, not {name!r}")
    for key, example in (
        ("plugins", "plugins: {tags: {}}"),
        ("markdown_extensions", "markdown_extensions: {abbr: {}}"),
    ):
        value = config.get(key)
        if value is not None and not isinstance(value, dict):
            found.append(
                f"{path}: {key}: a list replaces netkb's {key}; write yours as a mapping (`{example}`) "
                "so they add to netkb's"
            )
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        for needed in ("search", "netkb"):
            if needed in plugins and plugins[needed] is not None and not isinstance(plugins[needed], dict):
                found.append(f"{path}: plugins.{needed}: must be a mapping of options, or left out")
    return found
