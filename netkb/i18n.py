"""UI strings of the generated pages in the site's language (zh-CN by default, or en)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from netkb.markdown import Md, text
from netkb.yamlsafe import safe_load

LANGUAGES = ("zh", "en")


@cache
def _table() -> dict[str, list[str]]:
    source = resources.files("netkb").joinpath("strings.yaml").read_text(encoding="utf-8")
    raw = safe_load(source)
    return {str(k): [str(v[0]), str(v[1])] for k, v in raw.items()}


class Strings:
    """`strings("run_counts", changed=3, ...)`: the string in the site's language, as Markdown;
    the values filled in are escaped as text unless they are already Markdown."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        self.language = language
        self._index = LANGUAGES.index(language)

    def __call__(self, key: str, **values: object) -> Md:
        template = _table()[key][self._index]
        if not values:
            return Md(template)
        return Md(template.format(**{k: v if isinstance(v, Md) else text(v) for k, v in values.items()}))

    def has(self, key: str) -> bool:
        return key in _table()

    @property
    def material_language(self) -> str:
        return "zh" if self.language == "zh" else "en"
