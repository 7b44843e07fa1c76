"""Changes by day: a page per month, each change naming its device page and its commit."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from functools import partial

from netkb.generator.model import Change
from netkb.generator.pages.common import NOT_SEARCHED, change_subject, month_page, page_link, short, when
from netkb.generator.site import DeviceView, Site
from netkb.markdown import Md, front_matter, table, text, title


def render_pages(site: Site) -> dict[str, str]:
    s = site.strings
    by_month: dict[str, list[tuple[DeviceView, Change]]] = defaultdict(list)
    for device, change in site.changes_newest_first:
        by_month[month_page(change.date)].append((device, change))
    index = [front_matter({"title": title(s("changes")), "search": NOT_SEARCHED}), f"# {s('changes')}\n"]
    if not by_month:
        index.append(s("no_changes_at_all"))
    else:
        index.append(f"## {s('changes_by_month')}\n")
        for page in sorted(by_month, reverse=True):
            month = page.removeprefix("changes/").removesuffix(".md")
            count = s("change_count", count=len(by_month[page]))
            index.append(f"- {page_link('changes/index.md', page, month)}: {count}")
    pages = {"changes/index.md": "\n".join(index) + "\n"}
    for page, changes in by_month.items():
        # A month's page changes only when its list of changes does (a past month: never).
        listed = hashlib.sha256("\0".join(f"{d.name} {c.sha}" for d, c in changes).encode()).hexdigest()
        pages[page] = site.pages.get(("month", page, listed), partial(_month, site, page, changes))
    return pages


def _month(site: Site, page: str, changes: list[tuple[DeviceView, Change]]) -> str:
    s = site.strings
    month = page.removeprefix("changes/").removesuffix(".md")
    parts = [
        front_matter({"title": title(s("changes_in", month=month)), "search": NOT_SEARCHED}),
        f"# {s('changes_in', month=month)}\n",
    ]
    by_day: dict[str, list[tuple[DeviceView, Change]]] = defaultdict(list)
    for device, change in changes:
        by_day[change.date.date().isoformat()].append((device, change))
    for day in sorted(by_day, reverse=True):
        parts.append(f"## {day}\n")
        rows = []
        for device, change in by_day[day]:
            what = change_subject(site, change)
            anchor = change.sha[:10]
            rows.append(
                [
                    Md(f'<span id="{anchor}"></span>{text(when(change.date)[11:])}'),
                    page_link(page, device.page, device.name, anchor="changes"),
                    site.strings(f"kind_{change.kind}")
                    if change.kind in ("first", "config", "state", "removed")
                    else change.kind,
                    what,
                    Md(f"<code>{short(change.sha)}</code>"),
                ]
            )
        parts.append(table([s("time"), s("device"), s("kind"), s("sections"), s("commit")], rows))
        parts.append("")
    return "\n".join(parts) + "\n"
