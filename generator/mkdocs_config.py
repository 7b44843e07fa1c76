"""The generated tree's `mkdocs.yml`: Material, offline, the site's language, search in zh and en.

Written next to `docs/` so `mkdocs build -f build/mkdocs.yml` and `mkdocs serve` work on the tree
as it is; nothing in it depends on MkDocs internals beyond its documented configuration (and the
plugin netkb registers, generator/mkdocs_plugin.py, installed with netkb).
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from netkb.i18n import Strings

# Search: jieba segments Chinese at build time with zero-width spaces (hence \u200b in the
# separator), but leaves full-width punctuation stuck to the ASCII before it (`CHG-2026-046：`):
# the CJK symbols and full-width punctuation separate too. '.' followed by a digit does not
# separate, so an IP address stays one token.
SEPARATOR = (
    r'[\s\u200b\-,:!=\[\]()"/\u00b7\u2014\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+'
    r"|\.(?!\d)|&[lg]t;"
)
# Material's boosts, but a page's tags (a runbook's, on each of its sections) weigh half a
# heading, not a thousand times more: a runbook tagged 电源 must not come before the incident
# titled 宿舍…电源 (tests/integration/search_queries.yaml).
FIELDS = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 500.0}}
EXTRA_CSS = ["assets/netkb/netkb.css"]
EXTRA_JAVASCRIPT = ["assets/netkb/search-segment.js", "assets/netkb/device-filter.js"]


def mkdocs_config(
    strings: Strings, site_name: str, build_dir: Path, site_dir: Path, *, trust_raw_html: bool = False
) -> str:
    nav = _nav(strings)
    config = {
        "site_name": site_name,
        "docs_dir": "docs",
        "site_dir": os.path.relpath(site_dir.resolve(), build_dir.resolve()),
        "use_directory_urls": True,
        "strict": False,
        "theme": {
            "name": "material",
            "language": strings.material_language,
            "font": False,  # no web fonts: the site must not reach outside its origin
            "features": [
                "navigation.tabs",
                "navigation.top",
                "navigation.indexes",
                "search.highlight",
                "content.code.copy",
            ],
        },
        # The footer in the site's language (Material's own "Made with" line is English only).
        "copyright": str(strings("footer")),
        "extra": {"generator": False},
        "extra_css": EXTRA_CSS,
        # Cuts Chinese queries typed without spaces into the index's words (see the script).
        "extra_javascript": EXTRA_JAVASCRIPT,
        # Mappings, not lists: a team's mkdocs.yml that inherits this file adds its own plugins
        # and extensions to these (MkDocs merges mappings and replaces lists; netkb/site_config.py).
        "plugins": {
            "search": {"lang": ["en"], "separator": SEPARATOR, "fields": FIELDS},
            # netkb's own (generator/mkdocs_plugin.py): sanitizes the raw HTML of hand-written pages,
            # and puts netkb's navigation, CSS and scripts back when a team's file replaced them.
            "netkb": {
                "trust_raw_html": trust_raw_html,
                "nav": nav,
                "extra_css": EXTRA_CSS,
                "extra_javascript": EXTRA_JAVASCRIPT,
                "cache_dir": "cache/mkdocs",  # beside netkb generate's own caches (build/cache/)
            },
        },
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "nav": nav,
        # Device, run, month and record pages are reached from the index pages, not the
        # navigation: a page's HTML must not grow with the number of devices.
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"not_found": "warn", "anchors": "warn"}},
    }
    return yaml.dump(config, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=1000)


# Written as a mapping: a team's mkdocs.yml adds its own extensions to these (netkb/site_config.py).
MARKDOWN_EXTENSIONS = {
    "tables": None,
    "attr_list": None,
    "md_in_html": None,
    "admonition": None,
    "pymdownx.details": None,
    "toc": {"permalink": True},
    "pymdownx.highlight": {"anchor_linenums": False, "pygments_lang_class": True},
    "pymdownx.superfences": None,
}


def _nav(strings: Strings) -> list[dict[str, str]]:
    """netkb's sections, in the order a reader meets them."""
    return [
        {str(strings("home")): "index.md"},
        {str(strings("devices")): "devices/index.md"},
        {str(strings("buildings")): "buildings/index.md"},
        {str(strings("changes")): "changes/index.md"},
        {str(strings("inspections")): "inspections/index.md"},
        {str(strings("baseline")): "baseline/index.md"},
        {str(strings("topology")): "topology/index.md"},
        {str(strings("runbooks")): "runbooks/index.md"},
        {str(strings("incidents")): "incidents/index.md"},
        {str(strings("cr_records")): "change-requests/index.md"},
        {str(strings("req_requests")): "requests/index.md"},
        {str(strings("reports")): "reports/index.md"},
        {str(strings("assets")): "assets/index.md"},
        {str(strings("config_search")): "config-search.md"},
    ]


class _Plain(yaml.SafeDumper):
    """No anchors: the navigation and assets are written twice (above and as the plugin's options)."""

    def ignore_aliases(self, data: object) -> bool:
        return True
