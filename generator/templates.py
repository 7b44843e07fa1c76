"""The Jinja2 environment of the page templates: Markdown out, escaped by default.

Every `{{ value }}` is escaped as Markdown text (netkb/markdown.py `text`) unless it is
`Md` -- Markdown the page code built with the escaping helpers. A template therefore cannot
forget to escape a device-derived string: the safe path is the default one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from netkb import markdown
from netkb.markdown import Md


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    return value if isinstance(value, Md) else markdown.text(value)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("netkb.generator", "templates"),
        finalize=_finalize,
        autoescape=False,  # HTML escaping is wrong for Markdown; _finalize escapes for Markdown
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        cell=markdown.cell,
        code=markdown.code,
        fence=markdown.fence,
        link=markdown.link,
        title=markdown.title,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
