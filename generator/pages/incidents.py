"""Incident pages: the list (open ones first, against their targets), one page per incident, and
the home and device sections that point at them."""

from __future__ import annotations

import re

from netkb.generator.correlation import RelatedChange
from netkb.generator.pages.common import NOT_SEARCHED, month_page, page_link, short, when
from netkb.generator.pages.service_common import (
    category_name,
    device_links,
    level_name,
    margin,
    outcome_label,
    sla_cell,
    status_label,
    target_name,
    working_time,
)
from netkb.generator.service_site import IncidentView, service_of
from netkb.generator.site import DeviceView, Site
from netkb.generator.sla import Outcome
from netkb.i18n import Strings
from netkb.markdown import Md, front_matter, table, text, title
from netkb.records.service import ALWAYS, TargetKind

INDEX = "incidents/index.md"
FEED = "feed.xml"
TIMELINE = ("reported", "responded", "onsite", "resolved")


def render_pages(site: Site) -> dict[str, str]:
    data = service_of(site)
    pages = {INDEX: _index(site)}
    for view in data.incidents:
        pages[view.page] = _incident(site, view)
    return pages


def _elapsed(site: Site, view: IncidentView) -> str:
    return site.strings.duration((site.now - view.incident.reported).total_seconds())


def within(strings: Strings, view: IncidentView, kind: TargetKind) -> str:
    """The target: `15 分钟` / `15m` in the site's language; days as the settings write them
    (`3d (27h)`: three working days of 9 h)."""
    target = view.sla.level.target(kind) if view.sla.level else None
    if target is None:
        return "—"
    result = view.sla.results[kind]
    if target.within.days and result.calendar not in ("", ALWAYS):
        return f"{target.within} ({working_time(strings, result, result.target)})"
    if not target.within.days:  # hours and minutes in the site's language (15m: 15 分钟)
        return strings.duration(target.within.seconds)
    return str(target.within)


def _against_target(site: Site, view: IncidentView, kind: TargetKind) -> Md:
    """`1h 30m / 2h · pending (30m left)`: working time used against the target, then the outcome."""
    result = view.sla.results[kind]
    if result.outcome is Outcome.NOT_APPLICABLE:
        return Md("—")
    used = f"{working_time(site.strings, result, result.elapsed)} / {within(site.strings, view, kind)}"
    return Md(f"{text(used)} · {sla_cell(site.strings, result)}")


def open_table(site: Site, page: str) -> Md:
    s = site.strings
    rows = [
        [
            page_link(page, v.page, v.incident.id),
            v.incident.title,
            level_name(site, v.incident.level),
            device_links(site, page, v.incident.devices),
            when(v.incident.reported),
            _elapsed(site, v),
            *(_against_target(site, v, k) for k in TargetKind),
        ]
        for v in service_of(site).open
    ]
    headers = [s("incident_id"), s("incident_title"), s("level"), s("devices"), s("reported"), s("elapsed")]
    return table([*headers, *(target_name(s, k) for k in TargetKind)], rows)


def _index(site: Site) -> str:
    s = site.strings
    data = service_of(site)
    parts = [
        front_matter({"title": title(s("incidents")), "search": NOT_SEARCHED}),
        f"# {s('incidents')}\n",
        f"{page_link(INDEX, FEED, s('feed'))} — {s('feed_note')}\n",
        f"## {s('open_incidents')}\n",
    ]
    if data.open:
        parts += [str(s("open_note", when=when(site.now))) + "\n", open_table(site, INDEX), ""]
    else:
        parts += [str(s("no_open_incidents")), ""]
    parts.append(f"## {s('all_incidents')}\n")
    if not data.incidents:
        return "\n".join([*parts, str(s("no_incidents_at_all"))]) + "\n"
    rows = [
        [
            page_link(INDEX, v.page, v.incident.id),
            v.incident.title,
            level_name(site, v.incident.level),
            category_name(site, v.incident.category),
            device_links(site, INDEX, v.incident.devices),
            when(v.incident.reported),
            status_label(s, v.incident),
            *(
                Md("—")
                if v.sla.results[k].outcome is Outcome.NOT_APPLICABLE
                else outcome_label(s, v.sla.results[k].outcome)
                for k in TargetKind
            ),
        ]
        for v in data.incidents
    ]
    headers = [
        s("incident_id"),
        s("incident_title"),
        s("level"),
        s("category"),
        s("devices"),
        s("reported"),
        s("status"),
        *(target_name(s, k) for k in TargetKind),
    ]
    return "\n".join([*parts, table(headers, rows)]) + "\n"


def _facts(site: Site, view: IncidentView) -> Md:
    s = site.strings
    i = view.incident
    rows: list[list[object]] = [
        [s("incident_id"), i.id],
        [s("level"), level_name(site, i.level)],
        [s("category"), category_name(site, i.category)],
        [s("status"), status_label(s, i)],
        [s("devices"), device_links(site, view.page, i.devices)],
        [s("reporter"), i.reporter],
        [s("handler"), i.handler],
        [s("cause"), i.cause],
        [s("actions"), i.actions],
        [s("record_file"), Md(f"<code>{text(i.path)}</code>")],
    ]
    return table([s("fact"), s("fact_value")], rows)


def _timeline(site: Site, view: IncidentView) -> Md:
    s = site.strings
    i = view.incident
    rows = []
    for name in TIMELINE:
        stamp = getattr(i, name)
        since = s.duration((stamp - i.reported).total_seconds()) if stamp and name != "reported" else ""
        missing = s("not_yet") if i.is_open else "—"
        rows.append([s(f"event_{name}"), when(stamp) or missing, since])
    return table([s("event"), s("time"), s("since_reported")], rows)


def _calendar(site: Site, name: str) -> Md:
    key = f"calendar_{name.replace('24x7', 'always')}"
    return site.strings(key) if site.strings.has(key) else text(name)


def _sla(site: Site, view: IncidentView) -> Md:
    s = site.strings
    rows = []
    for kind, result in view.sla.results.items():
        if result.outcome is Outcome.NOT_APPLICABLE and result.target is None:
            rows.append([target_name(s, kind), "—", "", "", "", s("sla_no_target"), ""])
            continue
        rows.append(
            [
                target_name(s, kind),
                within(s, view, kind),
                _calendar(site, result.calendar),
                working_time(s, result, result.elapsed),
                when(result.due),
                outcome_label(s, result.outcome),
                margin(s, result) or "",
            ]
        )
    headers = [s("target"), s("within"), s("calendar"), s("elapsed"), s("due_by"), s("result"), s("margin")]
    return table(headers, rows)


def _relation(site: Site, page: str, r: RelatedChange) -> Md:
    s = site.strings
    if r.relation == "affected":
        return s("relation_affected")
    via = f"{r.link.source.value} {r.link.interface}".strip() if r.link else ""
    return s(
        "relation_neighbour",
        device=page_link(page, site.devices[r.neighbour_of].page, r.neighbour_of)
        if r.neighbour_of in site.devices
        else text(r.neighbour_of),
        via=via,
    )


def _changes_before(site: Site, view: IncidentView) -> list[str]:
    """The changes before the report (the cause candidates), and apart from them those collected
    only after it: made between the previous collection and the commit, they may be the cause
    or the fix."""
    s = site.strings
    hours = f"{site.settings.correlation_window_hours:g}"
    before = [r for r in view.related if not r.found_after]
    after = [r for r in view.related if r.found_after]
    parts = [f"## {s('changes_before')}\n", str(s("changes_before_note", hours=hours)) + "\n"]
    parts += [_change_table(site, view, before) if before else str(s("no_changes_before")), ""]
    if after:
        parts += [f"## {s('changes_after')}\n", str(s("changes_after_note")) + "\n"]
        parts += [_change_table(site, view, after), ""]
    return parts


def _change_table(site: Site, view: IncidentView, related: list[RelatedChange]) -> Md:
    s = site.strings
    rows = []
    for r in related:
        c = r.change
        row = [
            when(c.date),
            page_link(view.page, site.devices[r.device].page, r.device, anchor="changes")
            if r.device in site.devices
            else r.device,
            _relation(site, view.page, r),
            s(f"kind_{c.kind}") if c.kind in ("config", "state", "removed") else c.kind,
            ", ".join(c.sections) or ", ".join(c.topics),
            page_link(view.page, month_page(c.date), short(c.sha), anchor=c.sha[:10]),
        ]
        if r.found_after:
            row.append(f"{when(r.made_after) or '?'} – {when(c.date)}")
        rows.append(row)
    headers = [s("time"), s("device"), s("relation"), s("kind"), s("sections"), s("commit")]
    if any(r.found_after for r in related):
        headers.append(s("made_between"))
    return table(headers, rows)


def _incident(site: Site, view: IncidentView) -> str:
    s = site.strings
    i = view.incident
    heading = f"{i.id} {i.title}"
    parts = [front_matter({"title": title(heading)}), f"# {text(heading)}\n"]
    if i.is_open:
        parts.append(f'!!! warning ""\n    {s("still_open", elapsed=_elapsed(site, view))}\n')
    parts += [f"## {s('facts')}\n", _facts(site, view), ""]
    parts += [f"## {s('timeline')}\n", _timeline(site, view), ""]
    parts += [f"## {s('sla')}\n", _sla(site, view), ""]
    parts.append(f"## {s('affected_devices')}\n")
    for name in i.devices:
        d = site.devices.get(name)
        detail = (
            ", ".join(filter(None, [site.strings.term("role", d.role), d.building, d.model])) if d else ""
        )
        label = page_link(view.page, d.page, name) if d else text(name)
        parts.append(f"- {label}" + (f" ({text(detail)})" if detail else ""))
    parts.append("")
    parts += _changes_before(site, view)
    if view.repeat is not None:
        earlier = service_of(site).by_id.get(view.repeat.previous)
        previous = (
            page_link(view.page, earlier.page, view.repeat.previous)
            if earlier
            else text(view.repeat.previous)
        )
        parts += [
            f"## {s('repeat_fault')}\n",
            str(
                s(
                    "repeat_of",
                    previous=previous,
                    device=text(view.repeat.device),
                    category=category_name(site, view.repeat.category),
                    days=f"{view.repeat.days:.1f}",
                    window=site.settings.repeat_window_days,
                )
            ),
            "",
        ]
    parts.append(f"## {s('related_runbooks')}\n")
    if view.runbooks:
        parts += [f"- {page_link(view.page, f'runbooks/{r.slug}.md', r.title)}" for r in view.runbooks]
    else:
        parts.append(str(s("no_runbooks")))
    parts.append("")
    if i.narrative:
        # The team's own Markdown, published as written; under our heading unless it opens with its own
        # (`## 经过`, `## Timeline`): one heading, not the same one twice.
        opens_with_heading = re.match(r"#{1,6}\s", i.narrative.lstrip()) is not None
        parts += [*([] if opens_with_heading else [f"## {s('narrative')}\n"]), i.narrative]
    return "\n".join(parts) + "\n"


def home_section(site: Site, page: str) -> list[str]:
    s = site.strings
    parts = [f"## {s('open_incidents')}\n"]
    if not service_of(site).open:
        return [*parts, str(s("no_open_incidents")), ""]
    return [*parts, open_table(site, page), "", f"{page_link(page, INDEX, s('all_incidents'))}\n"]


def device_section(site: Site, d: DeviceView) -> Md:
    s = site.strings
    views = service_of(site).of_device(d.name)
    heading = f"## {s('related_incidents')}\n\n"
    if not views:
        return Md(heading + str(s("no_related_incidents")))
    rows = [
        [
            page_link(d.page, v.page, v.incident.id),
            v.incident.title,
            level_name(site, v.incident.level),
            category_name(site, v.incident.category),
            when(v.incident.reported),
            status_label(s, v.incident),
        ]
        for v in views
    ]
    headers = [s("incident_id"), s("incident_title"), s("level"), s("category"), s("reported"), s("status")]
    return Md(heading + table(headers, rows))
