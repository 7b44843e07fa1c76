"""Service request pages (客户交付): the list (open ones first, against their targets), one page per
request, the sections on the device and building pages they concern, and the requests section of a
report."""

from __future__ import annotations

from collections.abc import Callable

from netkb.generator.charts import bar_chart, line_chart
from netkb.generator.pages.buildings import building_page
from netkb.generator.pages.common import FOLLOWING, NOT_SEARCHED, page_link, when
from netkb.generator.pages.service_common import (
    chart,
    device_links,
    outcome_label,
    percent,
    sla_cell,
    working_time,
)
from netkb.generator.periods import PeriodKind
from netkb.generator.report_model import ServiceReport
from netkb.generator.request_figures import TARGETS, RequestView, satisfaction
from netkb.generator.service_site import service_of
from netkb.generator.site import DeviceView, Site
from netkb.generator.sla import Outcome
from netkb.i18n import Strings
from netkb.markdown import Md, front_matter, table, text, title
from netkb.records.requests import ServiceRequest
from netkb.records.service import ALWAYS, TargetKind

INDEX = "requests/index.md"


def render_pages(site: Site) -> dict[str, str]:
    views = service_of(site).requests
    pages = {INDEX: _index(site, views)}
    for view in views:
        pages[view.page] = _request(site, view)
    return pages


def type_name(site: Site, key: str) -> str:
    kind = site.settings.requests.types.get(key)
    return site.strings.pick(kind) if kind else key


def target_label(strings: Strings, kind: TargetKind) -> Md:
    return strings("req_target_fulfil" if kind is TargetKind.RESOLVE else "target_response")


def _status(strings: Strings, request: ServiceRequest) -> Md:
    return Md(f"**{strings('req_open')}**") if request.is_open else strings("req_fulfilled")


def _score(request: ServiceRequest) -> str:
    call = request.return_call
    return str(call.satisfaction) if call and call.satisfaction is not None else "—"


def _rows(site: Site, page: str, views: list[RequestView], live: bool) -> list[list[object]]:
    """One row per request; `live`: each target with by how much (open ones), else its outcome."""
    s = site.strings
    return [
        [
            page_link(page, v.page, v.request.id),
            v.request.title,
            type_name(site, v.request.type),
            v.request.department,
            v.request.building,
            when(v.request.received),
            _status(s, v.request),
            *(_outcome(s, v, k, live) for k in TARGETS),
            _score(v.request),
        ]
        for v in views
    ]


def _outcome(strings: Strings, view: RequestView, kind: TargetKind, live: bool) -> Md:
    result = view.sla.sla.results[kind]
    if result.outcome is Outcome.NOT_APPLICABLE:
        return Md("—")
    return sla_cell(strings, result) if live else outcome_label(strings, result.outcome)


def _headers(s: Strings) -> list[object]:
    return [
        s("req_id"),
        s("req_title"),
        s("req_type"),
        s("req_department"),
        s("building"),
        s("req_received"),
        s("status"),
        *(target_label(s, k) for k in TARGETS),
        s("req_satisfaction"),
    ]


def _index(site: Site, views: list[RequestView]) -> str:
    s = site.strings
    parts = [
        front_matter({"title": title(s("req_requests")), "search": NOT_SEARCHED}),
        f"# {s('req_requests')}\n",
        str(s("req_note")) + "\n",
        f"## {s('req_open_requests')}\n",
    ]
    open_views = [v for v in views if v.request.is_open]
    if open_views:
        parts += [table(_headers(s), _rows(site, INDEX, open_views, live=True)), ""]
    else:
        parts += [str(s("req_none_open")), ""]
    parts.append(f"## {s('req_all')}\n")
    if not views:
        return "\n".join([*parts, str(s("req_none"))]) + "\n"
    return "\n".join([*parts, table(_headers(s), _rows(site, INDEX, views, live=False))]) + "\n"


def _facts(site: Site, view: RequestView) -> Md:
    s = site.strings
    r = view.request
    call = r.return_call
    links = service_of(site).by_id
    incident = links.get(r.incident)
    rows: list[list[object]] = [
        [s("req_id"), r.id],
        [s("req_type"), type_name(site, r.type)],
        [s("req_channel"), s(f"req_channel_{r.channel.name.lower()}")],
        [s("status"), _status(s, r)],
        [s("req_requester"), r.requester],
        [s("req_department"), r.department],
        [s("building"), r.building],
        [s("devices"), device_links(site, view.page, r.devices) if r.devices else "—"],
        [s("req_engineer"), r.engineer or "—"],
        [s("req_received"), when(r.received)],
        [s("req_dispatched"), when(r.dispatched) or "—"],
        [s("req_fulfilled"), when(r.fulfilled) or "—"],
        [s("req_return_call"), when(call.at) if call else s("req_no_return_call")],
        [s("req_confirmed"), (s("req_yes") if call.confirmed else Md(f"**{s('req_no')}**")) if call else "—"],
        [s("req_satisfaction"), _score(r)],
        [s("req_comment"), call.comment if call and call.comment else "—"],
        [
            s("req_incident"),
            page_link(view.page, incident.page, r.incident) if incident else r.incident or "—",
        ],
        [s("req_change"), r.change or "—"],
        [s("record_file"), Md(f"<code>{text(r.path)}</code>")],
    ]
    return table([s("fact"), s("fact_value")], rows)


def _request(site: Site, view: RequestView) -> str:
    s = site.strings
    r = view.request
    heading = f"{r.id} {r.title}"
    parts = [front_matter({"title": title(heading), "search": FOLLOWING}), f"# {text(heading)}\n"]
    parts += [f"## {s('facts')}\n", _facts(site, view), ""]
    results = view.sla.sla.results
    rows = [
        [
            target_label(s, k),
            _within(site, view, k),
            _calendar(site, view, k),
            when(results[k].due) or "—",
            sla_cell(s, results[k]),
        ]
        for k in TARGETS
    ]
    headers = [s("target"), s("within"), s("calendar"), s("due_by"), s("result")]
    parts += [f"## {s('sla')}\n", table(headers, rows), ""]
    if r.notes:
        parts += [f"## {s('req_notes')}\n", r.notes]  # the team's own Markdown, published as written
    return "\n".join(parts) + "\n"


def _within(site: Site, view: RequestView, kind: TargetKind) -> str:
    """The target as the settings write it; a business calendar's days also in working hours."""
    result = view.sla.sla.results[kind]
    level = view.sla.sla.level
    target = level.target(kind) if level else None
    if target is None:
        return "—"
    if target.within.days and result.calendar not in ("", ALWAYS):
        return f"{target.within} ({working_time(site.strings, result, result.target)})"
    return str(target.within)


def _calendar(site: Site, view: RequestView, kind: TargetKind) -> Md:
    name = view.sla.sla.results[kind].calendar or ALWAYS
    key = f"calendar_{name.replace(ALWAYS, 'always')}"
    return site.strings(key) if site.strings.has(key) else text(name)


def device_section(site: Site, d: DeviceView) -> Md:
    s = site.strings
    views = [v for v in service_of(site).requests if d.name in v.request.devices]
    heading = f"## {s('req_related')}\n\n"
    if not views:
        return Md(heading + str(s("req_none_related")))
    return Md(heading + table(_headers(s), _rows(site, d.page, views, live=False)))


def building_section(site: Site, building: str) -> str:
    """The building's requests, open ones first then newest first, with their targets met or missed,
    and the mean satisfaction of their return calls (registered by generator/service_pages.py)."""
    if not building:  # the page of the devices without a building is no building's
        return ""
    s = site.strings
    views = [v for v in service_of(site).requests if v.request.building == building]
    heading = f"## {s('req_building')}\n\n"
    if not views:
        return heading + str(s("req_none_building"))
    views.sort(key=lambda v: not v.request.is_open)  # stable: newest first within each
    score, rated = satisfaction(v.request for v in views)
    summary = s("req_building_satisfaction", score="—" if score is None else f"{score:.2f}", rated=rated)
    rows = _rows(site, building_page(building), views, live=False)
    return heading + f"{summary}\n\n" + table(_headers(s), rows)


def _counts(site: Site, head: object, counts: dict[str, int], name: Callable[[str], str] = str) -> list[str]:
    rows = [[name(k), str(n)] for k, n in counts.items()]
    return [table([head, site.strings("count")], rows), ""]


def report_section(site: Site, page: str, r: ServiceReport) -> list[str]:
    """Requests by type, department and building, targets, fulfilment, return calls, satisfaction
    and its trend; a monthly report lists its complaints by name."""
    f = r.requests
    if f is None:
        return []
    s = site.strings
    coverage = f"{percent(f.coverage)} ({f.return_calls}/{f.fulfilled})"
    score = "—" if f.satisfaction is None else f"{f.satisfaction:.2f} / 5 ({f.rated})"
    figures = [
        [s("req_count"), str(len(f.requests))],
        [s("req_open_count"), str(f.open)],
        *([target_label(s, k), _ratio(c.met, c.decided)] for k, c in f.compliance.items()),
        [s("req_mean_fulfilment"), s.duration(f.mean_fulfilment)],
        [s("req_coverage"), coverage],
        [s("req_confirmed_count"), str(f.confirmed)],
        [s("req_satisfaction"), score],
    ]
    parts = [f"## {s('req_requests')}\n", table([s("figure"), s("value")], figures), ""]
    parts += _counts(site, s("req_type"), f.by_type, lambda k: type_name(site, k))
    parts += _counts(site, s("req_department"), f.by_department)
    parts += _counts(site, s("building"), f.by_building)
    points = [(label, score) for label, score, _ in f.trend]
    if r.period.kind is not PeriodKind.MONTH:
        parts += [chart(line_chart(points, str(s("req_chart_satisfaction")))), ""]
    elif f.by_type and any(f.by_type.values()):
        counts = [(type_name(site, k), float(n)) for k, n in f.by_type.items() if n]
        parts += [chart(bar_chart(counts, str(s("req_chart_by_type")))), ""]
    if r.period.kind is PeriodKind.MONTH:
        parts += _complaints(site, page, f.complaints)
    return parts


def _complaints(site: Site, page: str, complaints: tuple[ServiceRequest, ...]) -> list[str]:
    s = site.strings
    parts = [f"### {s('req_complaints')}\n"]
    if not complaints:
        return [*parts, str(s("req_no_complaints")), ""]
    pages = {v.request.id: v.page for v in service_of(site).requests}
    rows = [
        [
            page_link(page, pages[c.id], c.id) if c.id in pages else c.id,
            c.title,
            c.requester,
            c.department,
            _status(s, c),
            _score(c),
        ]
        for c in complaints
    ]
    headers = [
        s("req_id"),
        s("req_title"),
        s("req_requester"),
        s("req_department"),
        s("status"),
        s("req_satisfaction"),
    ]
    return [*parts, table(headers, rows), ""]


def _ratio(met: int, decided: int) -> str:
    return f"{met}/{decided} ({percent(met / decided)})" if decided else "—"
