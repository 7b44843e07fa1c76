"""`feed.xml`: an Atom feed (RFC 4287) of the incidents and the service reports, newest first.

It is XML, not Markdown: ElementTree escapes every text and attribute, and characters XML 1.0
cannot carry at all (control characters) are dropped first. MkDocs copies it as a static file;
links are relative to the feed's own address (the site root), so the site needs no `site_url`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from netkb.generator.pages.reports import report_title
from netkb.generator.pages.service_common import category_name, level_name
from netkb.generator.service_site import report_page, service_of
from netkb.generator.site import Site

PAGE = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class _Entry:
    key: str  # stable: what the entry's id is made from
    title: str
    url: str  # relative to the site root
    updated: dt.datetime
    published: dt.datetime | None
    summary: str
    category: str


def _clean(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _url(page: str) -> str:
    """The address MkDocs gives a page with `use_directory_urls`: incidents/x.md -> incidents/x/."""
    return page.removesuffix(".md") + "/"


def _stamp(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _entries(site: Site) -> list[_Entry]:
    s = site.strings
    data = service_of(site)
    entries = []
    for view in data.incidents:
        i = view.incident
        stamps = [t for t in (i.reported, i.responded, i.onsite, i.resolved) if t is not None]
        summary = " · ".join(
            [
                level_name(site, i.level),
                category_name(site, i.category),
                str(s(f"status_{i.status.value}")),
                ", ".join(i.devices),
                *([i.cause] if i.cause else []),
            ]
        )
        entries.append(
            _Entry(
                f"incident:{i.id}",
                f"{i.id} {i.title}",
                _url(view.page),
                max(stamps),
                i.reported,
                summary,
                str(s("incidents")),
            )
        )
    for report in data.reports:
        summary = str(
            s(
                "feed_report_summary",
                incidents=len(report.incidents),
                open=report.open,
                changes=report.config_changes,
            )
        )
        entries.append(
            _Entry(
                f"report:{report.period.key}",
                report_title(site, report),
                _url(report_page(report.period)),
                report.as_of,
                None,
                summary,
                str(s("reports")),
            )
        )
    entries.sort(key=lambda e: (e.updated, e.key), reverse=True)
    return entries[:MAX_ENTRIES]


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def render_pages(site: Site) -> dict[str, str]:
    s = site.strings
    name = site.settings.site_name or str(s("site_name"))
    entries = _entries(site)
    ET.register_namespace("", ATOM)
    feed = ET.Element(
        f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": site.strings.plain("language_tag")}
    )
    _add(feed, "title", f"{name} — {s('feed_title')}")
    _add(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"netkb:{name}").urn)
    _add(feed, "updated", _stamp(entries[0].updated if entries else site.now))
    author = _add(feed, "author")
    _add(author, "name", name)
    _add(feed, "link", rel="self", href=PAGE)
    _add(feed, "link", rel="alternate", href="incidents/")
    _add(feed, "generator", "netkb")
    for e in entries:
        entry = _add(feed, "entry")
        _add(entry, "title", e.title)
        _add(entry, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"netkb:{name}:{e.key}").urn)
        _add(entry, "updated", _stamp(e.updated))
        if e.published is not None:
            _add(entry, "published", _stamp(e.published))
        _add(entry, "link", rel="alternate", type="text/html", href=e.url)
        _add(entry, "category", term=e.category)
        _add(entry, "summary", e.summary)
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return {PAGE: f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'}
