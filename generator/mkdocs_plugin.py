"""netkb's MkDocs plugin (`plugins: [netkb]` in the generated mkdocs.yml, registered by pyproject.toml).

It sanitizes the pages that carry the team's own Markdown (generator/sanitize.py says why after
rendering), unless the settings trust their raw HTML (`trust_raw_html: true` in netkb.yml, passed
here as the plugin's option of the same name). When a team's `mkdocs.yml` inherits netkb's and
sets its own `nav`, `extra_css` or `extra_javascript` (lists, which replace netkb's), it puts
netkb's back in front of theirs (netkb/site_config.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from netkb.generator.sanitize import sanitize, text_only

# The pages holding a hand-written body: runbooks (generator/pages/runbooks.py), incidents with
# their narrative (generator/pages/incidents.py), on-site records with their notes
# (generator/pages/inspections.py). tests/generator/test_sanitize.py checks that no other page
# of the generated tree carries a record's body.
HAND_WRITTEN = ("runbooks/", "incidents/", "inspections/onsite/")


def hand_written(src_uri: str) -> bool:
    return src_uri.startswith(HAND_WRITTEN)


class NetkbConfig(base.Config):
    trust_raw_html = c.Type(bool, default=False)
    nav = c.Type(list, default=[])  # netkb's navigation (generator/mkdocs_config.py)
    extra_css = c.Type(list, default=[])
    extra_javascript = c.Type(list, default=[])


class NetkbPlugin(BasePlugin[NetkbConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.nav = merged_nav(self.config.nav, config.nav)
        config.extra_css[:0] = [p for p in self.config.extra_css if p not in _paths(config.extra_css)]
        scripts = _paths(config.extra_javascript)
        config.extra_javascript[:0] = [p for p in self.config.extra_javascript if p not in scripts]
        return config

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.config.trust_raw_html or not hand_written(page.file.src_uri):
            return html
        _plain_titles(page.toc)  # the side bar's table of contents is printed apart from the content
        return sanitize(html)


def _plain_titles(links: Iterable[AnchorLink]) -> None:
    for link in links:
        link.title = text_only(link.title)
        _plain_titles(link.children)


def _paths(entries: Iterable[object]) -> set[str]:
    # MkDocs holds scripts as strings or as objects with a `path` (`- path: x.js, defer: true`).
    return {str(getattr(e, "path", e)) for e in entries}


def _pages(nav: Iterable[object]) -> set[str]:
    """Every page a navigation names, in sections too."""
    found: set[str] = set()
    for entry in nav:
        value = next(iter(entry.values()), None) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            found |= _pages(value)
        elif isinstance(value, str):
            found.add(value)
    return found


def merged_nav(netkb: list[object], team: list[object] | None) -> list[object] | None:
    """The team's navigation with netkb's entries it does not name put first, in netkb's order;
    netkb's alone when the team set none (None: MkDocs' own, when neither did)."""
    if not team:
        return list(netkb) or team
    named = _pages(team)
    return [e for e in netkb if not _pages([e]) <= named] + list(team)
