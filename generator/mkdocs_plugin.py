"""netkb's MkDocs plugin (`plugins: [netkb]` in the generated mkdocs.yml, registered by pyproject.toml).

It sanitizes the pages that carry the team's own Markdown (generator/sanitize.py says why after
rendering), unless the settings trust their raw HTML (`trust_raw_html: true` in netkb.yml, passed
here as the plugin's option of the same name). When a team's `mkdocs.yml` inherits netkb's and
sets its own `nav`, `extra_css` or `extra_javascript` (lists, which replace netkb's), it puts
netkb's back in front of theirs (netkb/site_config.py).

With a `cache_dir` (generator/mkdocs_config.py sets `cache/mkdocs`: build/cache/mkdocs, beside
netkb generate's caches), it makes the pages a night did not change cost next to nothing: each
page's Markdown conversion, search entries and final HTML are reused from the build before when
what made them is unchanged (generator/mkdocs_cache.py and mkdocs_html.py say what counts); the
site is the same, byte for byte (tests/generator/test_mkdocs_cache.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from netkb.generator import mkdocs_cache as mc
from netkb.generator.mkdocs_html import cacheable_theme, cached_templates, site_config
from netkb.generator.sanitize import sanitize, text_only

log = logging.getLogger("mkdocs.plugins.netkb")

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
    # Relative to the folder holding docs_dir (build/ for build/docs), whichever mkdocs.yml is
    # built: netkb's, or the team's that inherits it (netkb/site_config.py). Empty: no cache.
    cache_dir = c.Type(str, default="")


class NetkbPlugin(BasePlugin[NetkbConfig]):
    renders: mc.EntryCache | None = None
    searches: mc.EntryCache | None = None
    htmls: mc.EntryCache | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.nav = merged_nav(self.config.nav, config.nav)
        config.extra_css[:0] = [p for p in self.config.extra_css if p not in _paths(config.extra_css)]
        scripts = _paths(config.extra_javascript)
        config.extra_javascript[:0] = [p for p in self.config.extra_javascript if p not in scripts]
        self.renders = self.searches = self.htmls = None
        if self.config.cache_dir:
            self._caches(config, Path(config.docs_dir).parent / self.config.cache_dir)
        return config

    def _caches(self, config: MkDocsConfig, folder: Path) -> None:
        """The caches this configuration allows (generator/mkdocs_cache.py, mkdocs_html.py)."""
        others = sorted(set(config.plugins) - mc.KNOWN_PLUGINS)
        if others:
            log.info(f"netkb: plugins {', '.join(others)} may change any page: the build runs without cache")
            return
        self.searches = mc.EntryCache(folder, "search")
        if mc.pure(config):
            self.renders = mc.EntryCache(folder, "render")
        else:
            log.info("netkb: a Markdown extension may read more than its page: pages are converted afresh")
        if cacheable_theme(config):
            self.htmls = mc.EntryCache(folder, "html")

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.htmls is not None:
            cached_templates(env, self.htmls, site_config(config))
        return env

    # After every plugin's on_config: the search plugin makes its index there.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.renders is not None:
            self.render_config = mc.render_config(config)
        index = _search_index(config) if self.searches is not None else None
        if index is not None:
            self.search_config = mc.search_config(index.config)
            index.add_entry_from_context = partial(self._index, index, index.add_entry_from_context)

    # Last, so that the page's Markdown is what every plugin made of it.
    @event_priority(-100)
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.renders is not None:
            page.render = partial(self._render, page)  # type: ignore[method-assign]
        return markdown

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """`Page.render`, or what it made of the same page the build before."""
        assert self.renders is not None
        name, file = page.file.src_uri, page.file
        key = mc.digest(self.render_config, page.markdown, name, file.url, str(file.inclusion), page.meta)
        if self.renders.get(
            name, key, lambda value: isinstance(value, dict) and mc.restore(page, value, files)
        ):
            return
        with mc.captured_logs() as logs, mc.recorded_lookups(files) as lookups:
            Page.render(page, config, files)
        self.renders.put(name, key, mc.converted(page, lookups, logs.records))

    def _index(self, index: Any, add: Callable[[Page], None], page: Page) -> None:
        """The search plugin's `add_entry_from_context`, or the entries it made of the same page."""
        assert self.searches is not None
        name = page.file.src_uri
        key = mc.digest(
            self.search_config, page.url, page.title, page.meta, page.content, mc.toc_tokens(page.toc)
        )
        entries = self.searches.get(
            name, key, lambda v: isinstance(v, list) and all(isinstance(e, dict) for e in v)
        )
        if entries is not None:
            index.entries.extend(entries)
            return
        start = len(index.entries)
        add(page)
        self.searches.put(name, key, index.entries[start:])

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        for cache in (self.renders, self.searches, self.htmls):
            if cache is not None:
                cache.prune()
                log.info(f"netkb: {cache.folder.name}: {cache.hits} pages reused, {cache.misses} made")

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.config.trust_raw_html or not hand_written(page.file.src_uri):
            return html
        _plain_titles(page.toc)  # the side bar's table of contents is printed apart from the content
        return sanitize(html)


def _search_index(config: MkDocsConfig) -> Any:
    """Material's search index, when its plugin is on (its entries are plain data we can keep)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__.startswith("material.plugins.search") and isinstance(
            getattr(index, "entries", None), list
        ):
            return index
    return None


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
