"""Runbook pages: the team's Markdown as written, plus the devices each one applies to."""

from __future__ import annotations

import re

from netkb.generator.pages.common import NOT_SEARCHED, page_link, when
from netkb.generator.service_site import service_of
from netkb.generator.site import Site
from netkb.markdown import front_matter, text, title
from netkb.records.runbooks import Runbook


def render_pages(site: Site) -> dict[str, str]:
    s = site.strings
    index = [front_matter({"title": title(s("runbooks")), "search": NOT_SEARCHED}), f"# {s('runbooks')}\n"]
    if not site.runbooks:
        index.append(s("no_runbooks_at_all"))
    for runbook in sorted(site.runbooks, key=lambda r: r.title):
        tags = f" — {text(', '.join(runbook.tags))}" if runbook.tags else ""
        index.append(f"- {page_link('runbooks/index.md', _page(runbook), runbook.title)}{tags}")
    pages = {"runbooks/index.md": "\n".join(index) + "\n"}
    for runbook in site.runbooks:
        pages[_page(runbook)] = _runbook(site, runbook)
    return pages


def _page(runbook: Runbook) -> str:
    return f"runbooks/{runbook.slug}.md"


def _runbook(site: Site, runbook: Runbook) -> str:
    s = site.strings
    page = _page(runbook)
    fields: dict[str, object] = {"title": title(runbook.title)}
    body = runbook.body.strip("\n")
    heading = re.search(r"^#\s+(.*)$", body, re.M)
    if not heading:
        body = f"# {text(runbook.title)}\n\n{body}"
    # Searched as tags (weighed half a heading, mkdocs_config.FIELDS): what the runbook is about,
    # and the parts of its title its own heading does not show (`配置保存与回退` over an English
    # one); a part the heading shows in other punctuation (`—` for `:`) is not counted twice.
    shown = set(_words(heading.group(1))) if heading else set()
    hidden = [p for p in runbook.title.split(" / ") if heading and not set(_words(p)) <= shown]
    if hidden or runbook.tags:
        fields["tags"] = [title(t) for t in [*hidden, *runbook.tags]]
    devices = [d for d in site.devices.values() if runbook in d.runbooks]
    footer = [f"## {s('applies_to')}\n"]
    if runbook.tags:
        footer.insert(0, f"**{s('tags')}:** {text(', '.join(runbook.tags))}\n")
    if devices:
        footer += [
            f"- {page_link(page, d.page, d.name)} ({text(d.model or s.term('platform', d.platform))})"
            for d in devices
        ]
    else:
        footer.append(str(s("applies_all")))
    footer += _incidents(site, runbook)
    return str(front_matter(fields)) + body + "\n\n" + "\n".join(footer) + "\n"


def _words(line: str) -> list[str]:
    return re.findall(r"\w+", line.casefold())


def _incidents(site: Site, runbook: Runbook) -> list[str]:
    """The incidents whose records name this runbook, newest first: where it was used."""
    s = site.strings
    page = _page(runbook)
    used = [v for v in service_of(site).incidents if runbook in v.runbooks]
    parts = [f"\n## {s('runbook_incidents')}\n"]
    if not used:
        return [*parts, str(s("no_runbook_incidents"))]
    return parts + [
        f"- {page_link(page, v.page, f'{v.incident.id} {v.incident.title}')} ({when(v.incident.reported)})"
        for v in used
    ]
