"""netkb's MkDocs plugin (`plugins: [netkb]` in the generated mkdocs.yml, registered by pyproject.toml).

It sanitizes the pages that carry the team's own Markdown (generator/sanitize.py says why after
rendering), unless the settings trust their raw HTML (`trust_raw_html: true` in netkb.yml, passed
here as the plugin's option of the same name).
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


class NetkbPlugin(BasePlugin[NetkbConfig]):
    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.config.trust_raw_html or not hand_written(page.file.src_uri):
            return html
        _plain_titles(page.toc)  # the side bar's table of contents is printed apart from the content
        return sanitize(html)


def _plain_titles(links: Iterable[AnchorLink]) -> None:
    for link in links:
        link.title = text_only(link.title)
        _plain_titles(link.children)
