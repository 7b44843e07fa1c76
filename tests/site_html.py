"""Reading a built site the way a browser would: text, links, scripts, handlers (stdlib HTML parser)."""

from __future__ import annotations

import html.parser
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Page:
    text: str = ""  # the visible text, entities decoded
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) of href/src
    scripts: list[tuple[str | None, str]] = field(default_factory=list)  # (src, inline code)
    handlers: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, on* attribute, value)
    classes: set[str] = field(default_factory=set)
    tags: dict[str, list[str]] = field(default_factory=dict)  # tag -> text of each such element
    ids: set[str] = field(default_factory=set)


class _Parser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._text: list[str] = []
        self._open: list[tuple[str, int]] = []
        self._script: tuple[str | None, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("href", "src"):
            if key in a:
                self.page.links.append((tag, a[key]))
        for key, value in a.items():
            if key.startswith("on"):
                self.page.handlers.append((tag, key, value))
        self.page.classes.update(a.get("class", "").split())
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "script":
            self._script = (a.get("src"), len(self._text))
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._open.append((tag, len(self._text)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            src, start = self._script
            self.page.scripts.append((src, "".join(self._text[start:])))
            del self._text[start:]
            self._script = None
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                start = self._open[i][1]
                self.page.tags.setdefault(tag, []).append("".join(self._text[start:]))
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def read_page(path: Path) -> Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    parser.page.text = "".join(parser._text)
    return parser.page


def broken_links(site: Path) -> list[str]:
    """Every internal href/src of every page that names no file of the site (or no such anchor)."""
    pages = {p: read_page(p) for p in site.rglob("*.html")}
    problems = []
    for path, page in pages.items():
        for tag, url in page.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "data:")):
                continue
            target_path = unquote(parts.path)
            if not target_path:
                target = path
            else:
                base = site.as_posix() if target_path.startswith("/") else path.parent.as_posix()
                joined = posixpath.normpath(posixpath.join(base, target_path.lstrip("/")))
                target = Path(joined)
                if target.is_dir() or target_path.endswith("/"):
                    target = target / "index.html"
            if not target.exists():
                problems.append(f"{path.relative_to(site)}: <{tag}> {url}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else read_page(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{path.relative_to(site)}: <{tag}> {url}: no such anchor")
    return problems


def external_requests(site: Path) -> list[str]:
    """Resources a page would load from another origin (scripts, styles, images, fonts)."""
    found = []
    for path in site.rglob("*.html"):
        for tag, url in read_page(path).links:
            if tag in ("script", "link", "img", "iframe", "source") and urlsplit(url).netloc:
                found.append(f"{path.relative_to(site)}: <{tag}> {url}")
    for path in site.rglob("*.css"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "fonts.googleapis" in text or "@import url(http" in text:
            found.append(f"{path.relative_to(site)}: loads from another origin")
    return found
