"""The home page: what is there, how the last run went, what changed, what needs attention."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import takewhile

from netkb.generator.pages.common import (
    NOT_SEARCHED,
    change_subject,
    detail,
    item_label,
    page_link,
    run_link,
    short,
    verdict,
    when,
)
from netkb.generator.pages.device_history import last_inspection
from netkb.generator.site import Site
from netkb.i18n import Strings
from netkb.markdown import Md, front_matter, table, text, title

PAGE = "index.md"
RECENT_DAYS = 7


def render_pages(site: Site) -> dict[str, str]:
    s = site.strings
    name = site.settings.site_name or str(s("site_name"))
    parts = [front_matter({"title": title(s("home")), "search": NOT_SEARCHED}), f"# {text(name)}\n"]
    parts += _overview(site)
    parts += _last_run(site)
    parts += _recent_changes(site)
    parts += _findings(site)
    for section in site.extras.get("home_sections", []):
        parts += section(site, PAGE)
    parts += _overdue(site)
    parts.append(
        "\n---\n\n" + str(s("generated_at", when=when(site.now), commit=short(site.history.head) or "-"))
    )
    return {PAGE: "\n".join(parts) + "\n"}


def _counts(label: Md, count: Md, values: Counter[str], unassigned: Md) -> Md:
    return table([label, count], [[k or unassigned, str(n)] for k, n in sorted(values.items())])


def _terms(s: Strings, kind: str, values: list[str]) -> Counter[str]:
    """Roles or platforms counted under their names in the site's language."""
    return Counter(s.term(kind, v) if v else v for v in values)


def _overview(site: Site) -> list[str]:
    s = site.strings
    devices = [d for d in site.devices.values() if d.entry]
    unassigned = s("unassigned")
    return [
        f"## {s('overview')}\n",
        str(s("all_devices", count=len(devices)))
        + f" — {page_link(PAGE, 'devices/index.md', s('devices'))}\n",
        _counts(s("by_role"), s("count"), _terms(s, "role", [d.role for d in devices]), unassigned),
        "",
        _counts(s("by_building"), s("count"), Counter(d.building for d in devices), unassigned),
        "",
        _counts(
            s("by_platform"), s("count"), _terms(s, "platform", [d.platform for d in devices]), unassigned
        ),
        "",
    ]


def _last_run(site: Site) -> list[str]:
    s = site.strings
    parts = [f"## {s('last_run')}\n"]
    last = site.last_runs
    if not last.runs:
        return [*parts, str(s("no_runs")), ""]
    if last.shards:
        parts.append(str(s("last_run_shards", found=len(last.runs), total=last.shards)) + "\n")
    for run in last.runs:
        counts = run.counts
        line = f"{run_link(PAGE, run)}: " + str(
            s(
                "run_counts",
                changed=counts.get("changed", 0),
                unchanged=counts.get("unchanged", 0),
                failed=counts.get("failed", 0),
                total=sum(counts.values()),
            )
        )
        parts.append(f"- {line}" if last.shards else line)
    for shard in last.missing:
        parts.append(f"- {s('shard_missing', shard=f'{shard}/{last.shards}')}")
    parts.append("")
    # Every shard's failures: each device is in one shard's record.
    devices = {n: r for run in last.runs for n, r in run.devices.items()}
    failed = [(n, r) for n, r in sorted(devices.items()) if r.outcome == "failed"]
    if failed:
        rows = [[_device_link(site, n), r.reason] for n, r in failed]
        parts += [f"### {s('failed_devices')}\n", table([s("device"), s("reason")], rows), ""]
    return parts + _stale(site) + _skipped(site)


def _stale(site: Site) -> list[str]:
    s, stale = site.strings, site.stale()
    if not stale:
        return []
    rows = [
        [
            page_link(PAGE, d.page, d.name),
            when(d.last_ok) or s("never_collected"),
            d.history.last_run.reason if d.history.last_run else "",
        ]
        for d in stale
    ]
    return [
        f"### {s('stale_devices')}\n",
        str(s("stale_note", days=site.stale_days)) + "\n",
        table([s("device"), s("last_collected"), s("reason")], rows),
        "",
    ]


def _skipped(site: Site) -> list[str]:
    """Left out of collection by the inventory (`skip`): not failing, not stale."""
    s = site.strings
    if not site.skipped:
        return []
    rows = [[_device_link(site, n), k.reason, str(k.until or "")] for n, k in sorted(site.skipped.items())]
    return [f"### {s('skipped_devices')}\n", table([s("device"), s("reason"), s("skipped_until")], rows), ""]


def _device_link(site: Site, name: str) -> Md | str:
    return page_link(PAGE, site.devices[name].page, name) if name in site.devices else name


def _recent_changes(site: Site) -> list[str]:
    s = site.strings
    since = site.now - dt.timedelta(days=RECENT_DAYS)
    newest = takewhile(lambda pair: pair[1].date >= since, site.changes_newest_first)
    recent = [(d, c) for d, c in newest if c.kind != "first"]
    parts = [f"## {s('recent_changes')}\n"]
    if not recent:
        return [*parts, str(s("no_recent_changes")), ""]
    rows = [
        [
            when(c.date),
            page_link(PAGE, d.page, d.name, anchor="changes"),
            change_subject(site, c),
            page_link(PAGE, f"changes/{c.date:%Y-%m}.md", short(c.sha), anchor=c.sha[:10]),
        ]
        for d, c in recent[:100]
    ]
    return [*parts, table([s("time"), s("device"), s("sections"), s("commit")], rows), ""]


def _findings(site: Site) -> list[str]:
    s = site.strings
    parts = [f"## {s('abnormal_findings')}\n"]
    rows = []
    for d in site.devices.values():
        if d.entry is None or d.history.last_collected is None:
            continue
        for f in d.history.last_collected.inspection:
            if f.verdict == "abnormal":
                rows.append(
                    [
                        page_link(PAGE, d.page, d.name),
                        item_label(site, f.item),
                        verdict(s, f.verdict),
                        detail(site, f.detail),
                    ]
                )
    if not rows:
        return [*parts, str(s("no_abnormal")), ""]
    return [*parts, table([s("device"), s("item"), s("verdict"), s("detail")], rows), ""]


def _overdue(site: Site) -> list[str]:
    s = site.strings
    late = [d for d in site.devices.values() if d.inspection.overdue]
    parts = [f"## {s('overdue_inspections')}\n"]
    if not late:
        return [*parts, str(s("no_overdue")), ""]
    rows = [
        [
            page_link(PAGE, d.page, d.name),
            s.term("role", d.role),
            last_inspection(site, d),
            when(d.inspection.due),
        ]
        for d in late
    ]
    return [*parts, table([s("device"), s("role"), s("last_inspection"), s("due")], rows), ""]
