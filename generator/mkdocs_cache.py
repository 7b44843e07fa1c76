"""What `mkdocs build` may reuse from the build before: each page's Markdown conversion and search entries.

A nightly build of the generated tree converts some thousand pages of which a night changes a
few; converting Markdown (Python-Markdown, Pygments for configs and diffs) and indexing the
result for search (an HTML parse and jieba's segmentation of every section) are most of what
`mkdocs build` spends. netkb's plugin (generator/mkdocs_plugin.py) keeps both per page here, in
a folder next to the tree (`build/cache/mkdocs/`, the plugin's `cache_dir`), as gzipped JSON —
data only: a damaged or foreign file is read as a miss, never executed or trusted.

Each entry carries its key, a digest of everything its result was made from: netkb's
fingerprint (netkb/fingerprint.py: netkb's files and the versions of Markdown, pymdown-extensions,
Pygments, MkDocs, Material and jieba), the configuration that shapes the result (Markdown
extensions and their options, theme, language, URLs, link validation, or the search settings),
and the page's own input (its Markdown after every plugin's `on_page_markdown`, its URL, its
front matter; for search, its HTML, table of contents and title). What a conversion read from
other pages — whether a linked page exists, and its URL — is recorded with it and checked on
reuse. What it logged (a broken link) is logged again, so `strict` fails as it would.

Markdown extensions that read other files or run the team's code (snippets, macros…) make a
conversion depend on more than its page: with one outside `PURE_EXTENSIONS`, pages are
converted afresh (the search entries are still reused: they depend on the HTML alone).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from netkb.fingerprint import fingerprint

# Python-Markdown and pymdown-extensions extensions whose output depends on the page's text and
# their options alone (each page converted by a fresh Markdown instance, as MkDocs does).
PURE_EXTENSIONS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "fenced_code",
        "footnotes",
        "legacy_attrs",
        "legacy_em",
        "md_in_html",
        "nl2br",
        "sane_lists",
        "smarty",
        "tables",
        "toc",
        "pymdownx.betterem",
        "pymdownx.caret",
        "pymdownx.details",
        "pymdownx.emoji",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.keys",
        "pymdownx.mark",
        "pymdownx.smartsymbols",
        "pymdownx.superfences",
        "pymdownx.tabbed",
        "pymdownx.tasklist",
        "pymdownx.tilde",
    }
)
# The plugins whose work on a page the caches' keys account for (netkb's generated mkdocs.yml has
# these; a team that adds another gets a build without cache, as MkDocs makes it).
KNOWN_PLUGINS = frozenset({"netkb", "search", "material/search"})
# The loggers a conversion may warn on: MkDocs' (links) and Python-Markdown's.
LOGGERS = ("mkdocs", "MARKDOWN")


def digest(*parts: object) -> str:
    """A digest of JSON-able parts; whatever JSON cannot hold counts by its repr (an object's
    repr names its address: a key holding one never matches in another process, a safe miss)."""
    text = json.dumps([fingerprint(), *parts], sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


class EntryCache:
    """One JSON file per page and kind of result, holding its key and value; unread pages pruned."""

    def __init__(self, folder: Path, kind: str) -> None:
        self.folder = folder / kind
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _path(self, name: str) -> Path:
        return self.folder / (
            hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:40] + ".json.gz"
        )

    def get(self, name: str, key: str, accept: Callable[[Any], bool]) -> Any:
        """The value stored for `name` under `key` if `accept` takes it, or None (absent, another
        key, unreadable, not a value this cache stores)."""
        path = self._path(name)
        self.used.add(path.name)
        try:
            entry = json.loads(gzip.decompress(path.read_bytes()))
            found = entry["value"] if entry["name"] == name and entry["key"] == key else None
        except (OSError, EOFError, zlib.error, ValueError, TypeError, KeyError):
            found = None
        if found is None or not accept(found):
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, name: str, key: str, value: object) -> None:
        path = self._path(name)
        self.used.add(path.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        entry = json.dumps({"name": name, "key": key, "value": value}, ensure_ascii=False, default=str)
        # Compressed: a thousand devices' pages are some 300 MB of HTML as text, 10 times less so.
        tmp.write_bytes(gzip.compress(entry.encode("utf-8"), compresslevel=1, mtime=0))
        os.replace(tmp, path)  # a build stopped half-way leaves the old entry or the new one

    def prune(self) -> None:
        """Remove the entries of pages this build did not have (deleted or renamed pages)."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)


class Captured(logging.Handler):
    """The records logged while a page is converted, to log them again when it is reused."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[list[object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append([record.name, record.levelno, record.getMessage()])


@contextmanager
def captured_logs() -> Iterator[Captured]:
    handler = Captured()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def replay(records: list[list[Any]]) -> None:
    for name, level, message in records:
        logging.getLogger(str(name)).log(int(level), "%s", str(message))


def plain(value: object) -> object:
    """MkDocs' configuration as JSON-able data in a stable order (mappings as dicts, sets sorted)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(repr(plain(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _extension_name(extension: object) -> str:
    name = extension if isinstance(extension, str) else repr(extension)
    return name.removeprefix("markdown.extensions.")


def pure(config: MkDocsConfig) -> bool:
    """Whether every Markdown extension converts a page from its text and options alone."""
    return all(_extension_name(e) in PURE_EXTENSIONS for e in config.markdown_extensions)


def render_config(config: MkDocsConfig) -> str:
    """A digest of the configuration that shapes a page's conversion."""
    return digest(
        "render",
        [_extension_name(e) for e in config.markdown_extensions],
        plain(config.mdx_configs),
        plain({k: config.theme[k] for k in config.theme}),
        config.use_directory_urls,
        plain(config.validation),
        logging.getLogger("mkdocs").getEffectiveLevel() > logging.DEBUG,  # links_to_anchors kept
    )


def search_config(options: Mapping[str, Any]) -> str:
    """A digest of the search plugin's settings and the jieba dictionaries they name."""
    dictionaries = [options.get("jieba_dict"), options.get("jieba_dict_user")]
    files = [
        hashlib.sha256(Path(p).read_bytes()).hexdigest() if p and Path(p).is_file() else None
        for p in dictionaries
    ]
    return digest("search", plain(options), files)


def toc_tokens(toc: Iterable[AnchorLink]) -> list[dict[str, Any]]:
    """A table of contents as the tokens MkDocs reads one from (mkdocs.structure.toc.get_toc)."""
    return [{"name": a.title, "id": a.id, "level": a.level, "children": toc_tokens(a.children)} for a in toc]


def _state(file: File | None) -> list[object] | None:
    """What a conversion uses of a page it links to: whether it exists, its URL, its exclusion."""
    return None if file is None else [file.url, file.inclusion.is_excluded()]


@contextmanager
def recorded_lookups(files: Files) -> Iterator[dict[str, list[object] | None]]:
    """The pages a conversion looks up (MkDocs resolves each relative link through
    `Files.get_file_from_path`), with what it found."""
    seen: dict[str, list[object] | None] = {}
    original = files.get_file_from_path

    def lookup(path: str) -> File | None:
        found = original(path)
        seen[str(path)] = _state(found)
        return found

    files.get_file_from_path = lookup  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        del files.get_file_from_path  # the class's method again


def converted(
    page: Page, lookups: dict[str, list[object] | None], logs: list[list[object]]
) -> dict[str, Any]:
    """What `Page.render` left on the page, as data."""
    links = page.links_to_anchors
    return {
        "content": page.content,
        "title": page._title_from_render,
        "toc": toc_tokens(page.toc),
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        "lookups": lookups,
        "logs": logs,
    }


def restore(page: Page, value: dict[str, Any], files: Files) -> bool:
    """Put a stored conversion back on the page, as `Page.render` would have left it; False (and
    the page untouched) when a page it linked to changed or the value is not one we stored."""
    try:
        lookups, content, title = value["lookups"], value["content"], value["title"]
        if not isinstance(content, str) or not isinstance(title, (str, type(None))):
            return False
        if any(_state(files.get_file_from_path(p)) != found for p, found in lookups.items()):
            return False
        toc = get_toc(value["toc"])
        anchors = {str(a) for a in value["anchors"]}
        links = value["links"]
        if links is not None:
            links = {files.get_file_from_path(uri): dict(v) for uri, v in links.items()}
            if None in links:
                return False
        logs = [[str(n), int(level), str(m)] for n, level, m in value["logs"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    page.content, page.toc, page._title_from_render = content, toc, title
    page.present_anchor_ids = anchors
    if links is not None:
        page.links_to_anchors = links
    replay(logs)
    return True
