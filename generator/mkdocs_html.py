"""A page's final HTML, reused when everything Material's templates read of it is unchanged.

After the conversion and the search entries (generator/mkdocs_cache.py), rendering each page
through Material's templates is what a warm build spends most on: some 20 ms a page, mostly the
navigation. The templates read the page (its HTML, table of contents, title, front matter, URLs,
neighbours, ancestors), the navigation (titles, URLs, which entries are active, their pages'
front matter) and the configuration; the key of a page's HTML is a digest of all of them, under
netkb's fingerprint (which holds MkDocs' and Material's versions).

Only under the conditions where that list is complete: Material's own templates (no
`custom_dir`: a team's override may read anything, the build date included) and no plugin but
search and netkb (another could add to the template's context; the plugin checks that).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from netkb.generator.mkdocs_cache import EntryCache, digest, plain, toc_tokens

WHERE = ("plugins", "site_dir", "config_file_path")  # plugins: by name and options below


def cacheable_theme(config: MkDocsConfig) -> bool:
    return config.theme.name == "material" and not config.theme.custom_dir


def site_config(config: MkDocsConfig) -> str:
    """A digest of the configuration the templates may read (plugins by name and options), but
    not where the files are (`mkdocs build -d elsewhere` makes the same pages)."""
    settings = {k: v for k, v in config.items() if k not in WHERE}
    plugins = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    return digest("html", plain(settings), plain(plugins), config.theme.dirs)


def _link(page: Any) -> list[object] | None:
    return None if page is None else [page.title, page.url]


def _nav(items: Iterable[Any]) -> list[object]:
    """What the navigation partials read of each entry, the active ones included."""
    return [
        [
            type(item).__name__,
            item.title,
            getattr(item, "url", None),
            item.active,
            plain(getattr(item, "meta", None)),
            _nav(item.children or ()),
        ]
        for item in items
    ]


def page_key(config_digest: str, page: Page, nav: Navigation, template: str) -> str:
    return digest(
        config_digest,
        template,
        page.file.src_uri,
        page.url,
        page.canonical_url,
        page.edit_url,
        page.is_homepage,
        page.title,
        plain(page.meta),
        page.content,
        toc_tokens(page.toc),
        _link(page.previous_page),
        _link(page.next_page),
        _link(page.parent),
        [_link(a) for a in page.ancestors],
        _nav(nav.items),
        _link(nav.homepage),
    )


class CachedTemplate:
    """What MkDocs' `_build_page` asks of a template: `render(context)`, here served from the
    cache when the page's key matches, else rendered and kept."""

    def __init__(
        self, template: jinja2.Template, cache: EntryCache, key: Callable[[Page, Navigation], str]
    ) -> None:
        self.template, self.cache, self.key = template, cache, key

    def render(self, context: dict[str, Any]) -> str:
        page, nav = context.get("page"), context.get("nav")
        if not isinstance(page, Page) or not isinstance(nav, Navigation):
            return self.template.render(context)
        key = self.key(page, nav)
        html = self.cache.get(page.file.src_uri, key, lambda value: isinstance(value, str))
        if html is not None:
            return html
        html = self.template.render(context)
        self.cache.put(page.file.src_uri, key, html)
        return html

    def __getattr__(self, name: str) -> Any:  # anything else MkDocs or a theme asks of a template
        return getattr(self.template, name)


def cached_templates(env: jinja2.Environment, cache: EntryCache, config_digest: str) -> None:
    """Make the templates MkDocs renders pages with (`env.get_template(name)`, no parent: not
    Jinja's own look-ups for `extends` and `include`) serve a page's HTML from `cache`."""
    original = env.get_template

    def key(name: str, page: Page, nav: Navigation) -> str:
        return page_key(config_digest, page, nav, name)

    def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
        template = original(name, parent, globals)
        if parent is not None or globals is not None:
            return template
        return CachedTemplate(template, cache, partial(key, template.name or str(name)))

    env.get_template = get_template  # type: ignore[method-assign]
