"""Service reports: an index of every period with data, and one page per month, quarter and year
(17 a year) laying out `generator/reports.py`'s figures, with static SVG charts, printable on A4."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial

from netkb.generator.charts import bar_chart, line_chart
from netkb.generator.pages.assets import warranty_table
from netkb.generator.pages.common import NOT_SEARCHED, item_label, page_link, when
from netkb.generator.pages.service_common import (
    category_name,
    chart,
    device_links,
    level_name,
    percent,
    status_label,
    target_name,
)
from netkb.generator.periods import PeriodKind
from netkb.generator.reports import ServiceReport
from netkb.generator.service_site import report_page, service_of
from netkb.generator.site import Site
from netkb.generator.sla import Compliance, Outcome
from netkb.markdown import Md, front_matter, table, text, title
from netkb.records.service import TargetKind

INDEX = "reports/index.md"
TOP_DEVICES = 10


def render_pages(site: Site) -> dict[str, str]:
    service = service_of(site)
    reports = service.reports
    pages = {INDEX: _index(site, reports)}
    for report in reports:
        key = service.report_keys.get(report.period.key)
        page = partial(_report, site, report)
        pages[report_page(report.period)] = (
            page() if key is None else site.pages.get(("report page", *key), page)
        )
    return pages


def report_title(site: Site, report: ServiceReport) -> str:
    return str(site.strings("report_title", period=report.period.label(site.settings.language)))


def _ratio(c: Compliance) -> str:
    return f"{c.met}/{c.decided} ({percent(c.ratio)})" if c.decided else "—"


def _index(site: Site, reports: list[ServiceReport]) -> str:
    s = site.strings
    parts = [
        front_matter({"title": title(s("reports")), "search": NOT_SEARCHED}),
        f"# {s('reports')}\n",
        str(s("reports_note")) + "\n",
    ]
    if not reports:
        return "\n".join([*parts, str(s("no_reports"))]) + "\n"
    by_year: dict[int, list[ServiceReport]] = defaultdict(list)
    order = {PeriodKind.YEAR: 0, PeriodKind.QUARTER: 1, PeriodKind.MONTH: 2}
    for report in reports:
        by_year[report.period.year].append(report)
    for year in sorted(by_year, reverse=True):
        parts.append(f"## {year}\n")
        rows = []
        for r in sorted(by_year[year], key=lambda r: (order[r.period.kind], r.period.number)):
            rows.append(
                [
                    page_link(INDEX, report_page(r.period), r.period.label(site.settings.language)),
                    str(len(r.incidents)),
                    str(r.open),
                    *(_ratio(r.compliance[k]) for k in TargetKind),
                    percent(r.repeat_rate.rate),
                    str(r.config_changes),
                ]
            )
        headers = [
            s("report"),
            s("incident_count"),
            s("open_count"),
            *(target_name(s, k) for k in TargetKind),
            s("repeat_rate"),
            s("config_changes"),
        ]
        parts += [table(headers, rows), ""]
    return "\n".join(parts) + "\n"


def _key_figures(site: Site, r: ServiceReport) -> Md:
    s = site.strings
    rate = r.repeat_rate
    met = "" if rate.met is None else f" · {s('target_met')}" if rate.met else f" · **{s('target_missed')}**"
    sla_rows: list[list[object]] = [[target_name(s, k), _ratio(c)] for k, c in r.compliance.items()]
    rows: list[list[object]] = [
        [s("incident_count"), str(len(r.incidents))],
        [s("open_count"), str(r.open)],
        [s("mean_response"), s.duration(r.mean_response)],
        [s("mean_repair"), s.duration(r.mean_repair)],
        [
            s("repeat_rate"),
            Md(
                text(f"{percent(rate.rate)} ({rate.repeats}/{rate.incidents}) ≤ {percent(rate.target)}") + met
            ),
        ],
        *sla_rows,
        [s("config_changes"), str(r.config_changes)],
        [s("state_changes"), str(r.state_changes)],
        [
            s("inspection_coverage"),
            f"{percent(r.inspection.coverage)} ({r.inspection.up_to_date}/{r.inspection.devices})",
        ],
        [s("abnormal_count"), str(len(r.inspection.abnormal))],
        [s("collection_success"), f"{percent(r.collection.success)} ({r.collection.runs})"],
        [s("stale_devices"), str(len(r.collection.stale))],
        [s("warranty_warnings"), str(len(r.warranties))],
    ]
    return table([s("figure"), s("value")], rows)


def _incidents(site: Site, page: str, r: ServiceReport) -> list[str]:
    s = site.strings
    lang = site.settings.language
    parts = [f"## {s('incidents')}\n"]
    parts += [
        table([s("level"), s("count")], [[level_name(site, k), str(n)] for k, n in r.by_level.items()]),
        "",
        table(
            [s("category"), s("count")], [[category_name(site, k), str(n)] for k, n in r.by_category.items()]
        ),
        "",
    ]
    if r.incidents:
        categories = [(category_name(site, k), float(n)) for k, n in r.by_category.items() if n]
        parts += [chart(bar_chart(categories, str(s("chart_by_category")))), ""]
    trend_title = s("chart_per_day") if r.period.kind is PeriodKind.MONTH else s("chart_per_month")
    parts += [chart(bar_chart([(label, float(n)) for label, n in r.trend], str(trend_title))), ""]
    parts.append(f"### {s('period_incidents', period=r.period.label(lang))}\n")
    if not r.incidents:
        return [*parts, str(s("no_period_incidents")), ""]
    views = service_of(site).by_id
    rows = []
    for e in sorted(r.sla, key=lambda e: (e.incident.reported, e.incident.id)):
        i = e.incident
        view = views.get(i.id)
        missed = [target_name(s, k) for k in e.missed]
        rows.append(
            [
                page_link(page, view.page, i.id) if view else i.id,
                i.title,
                level_name(site, i.level),
                category_name(site, i.category),
                when(i.reported),
                status_label(s, i),
                Md(f"**{', '.join(missed)}**") if missed else "—",
            ]
        )
    headers = [
        s("incident_id"),
        s("incident_title"),
        s("level"),
        s("category"),
        s("reported"),
        s("status"),
        s("sla_missed_targets"),
    ]
    return [*parts, table(headers, rows), ""]


def _sla(site: Site, r: ServiceReport) -> list[str]:
    s = site.strings
    parts = [f"## {s('sla_compliance')}\n", str(s("sla_compliance_note")) + "\n"]
    parts.append(
        table(
            [s("target"), *(s(f"sla_{o.value}") for o in _COUNTED), s("compliance")],
            [
                [
                    target_name(s, k),
                    str(c.met),
                    str(c.missed),
                    str(c.pending),
                    str(c.unrecorded),
                    percent(c.ratio),
                ]
                for k, c in r.compliance.items()
            ],
        )
    )
    parts += ["", f"### {s('by_level')}\n"]
    parts.append(
        table(
            [s("level"), *(target_name(s, k) for k in TargetKind)],
            [
                [level_name(site, level), *(_ratio(by_kind[k]) for k in TargetKind)]
                for level, by_kind in r.compliance_by_level.items()
            ],
        )
    )
    parts += [
        "",
        table(
            [s("figure"), s("value")],
            [
                [s("mean_response"), s.duration(r.mean_response)],
                [s("mean_repair"), s.duration(r.mean_repair)],
            ],
        ),
        "",
    ]
    return parts


_COUNTED = (Outcome.MET, Outcome.MISSED, Outcome.PENDING, Outcome.UNRECORDED)


def _repeats(site: Site, page: str, r: ServiceReport) -> list[str]:
    s = site.strings
    rate = r.repeat_rate
    parts = [f"## {s('repeat_faults')}\n"]
    summary = s(
        "repeat_summary",
        rate=percent(rate.rate),
        repeats=rate.repeats,
        incidents=rate.incidents,
        target=percent(rate.target),
        window=site.settings.repeat_window_days,
    )
    verdict = "" if rate.met is None else (s("target_met") if rate.met else Md(f"**{s('target_missed')}**"))
    parts.append(f"{summary} {verdict}".rstrip() + "\n")
    views = service_of(site).by_id

    def incident(incident_id: str) -> Md:
        view = views.get(incident_id)
        return page_link(page, view.page, incident_id) if view else text(incident_id)

    if r.repeats:
        parts.append(
            table(
                [s("incident_id"), s("repeats_incident"), s("device"), s("category"), s("days_between")],
                [
                    [
                        incident(x.incident),
                        incident(x.previous),
                        device_links(site, page, [x.device]),
                        category_name(site, x.category),
                        f"{x.days:.1f}",
                    ]
                    for x in r.repeats
                ],
            )
        )
        parts.append("")
    if r.period.kind is not PeriodKind.MONTH:
        months = {m.period.key: m for m in service_of(site).reports if m.period.kind is PeriodKind.MONTH}
        points = [
            (f"{m.number:02d}", None if (x := months.get(m.key)) is None or x.repeat_rate.rate is None
             else 100 * x.repeat_rate.rate)
            for m in r.period.months()
        ]  # fmt: skip
        parts += [
            chart(line_chart(points, str(s("chart_repeat_rate")), unit="%", target=100 * rate.target)),
            "",
        ]
    return parts


def _changes(site: Site, page: str, r: ServiceReport) -> list[str]:
    s = site.strings
    unassigned = s("unassigned")
    parts = [
        f"## {s('config_changes')}\n",
        str(s("changes_summary", config=r.config_changes, state=r.state_changes)) + "\n",
    ]
    if not r.config_changes:
        return parts
    parts += [
        table(
            [s("building"), s("count")], [[k or unassigned, str(n)] for k, n in r.changes_by_building.items()]
        ),
        "",
        chart(
            bar_chart(
                [(k or str(unassigned), float(n)) for k, n in r.changes_by_building.items()],
                str(s("chart_changes_by_building")),
            )
        ),
        "",
        table(
            [s("role"), s("count")],
            [[s.term("role", k) if k else unassigned, str(n)] for k, n in r.changes_by_role.items()],
        ),
        "",
        f"### {s('most_changed')}\n",
        table(
            [s("device"), s("count")],
            [
                [device_links(site, page, [k]), str(n)]
                for k, n in list(r.changes_by_device.items())[:TOP_DEVICES]
            ],
        ),
        "",
    ]
    return parts


def _inspections(site: Site, page: str, r: ServiceReport) -> list[str]:
    s = site.strings
    f = r.inspection
    parts = [
        f"## {s('inspections')}\n",
        table(
            [s("figure"), s("value")],
            [
                [s("inspection_coverage"), f"{percent(f.coverage)} ({f.up_to_date}/{f.devices})"],
                [s("auto_inspected"), str(f.auto_inspected)],
                [s("onsite_inspected"), str(f.onsite_inspected)],
                [s("unknown_count"), str(f.unknown)],
            ],
        ),
        "",
    ]
    if f.overdue:
        parts += [f"**{s('overdue_inspections')}:** {device_links(site, page, list(f.overdue))}", ""]
    parts.append(f"### {s('abnormal_findings')}\n")
    if not f.abnormal:
        return [*parts, str(s("no_period_abnormal")), ""]
    rows = [
        [
            item_label(site, a.item),
            s(f"source_{a.source}") if a.source in ("auto", "onsite") else a.source,
            device_links(site, page, list(a.devices)),
            str(a.occurrences),
            a.detail,
        ]
        for a in f.abnormal
    ]
    return [*parts, table([s("item"), s("source"), s("devices"), s("occurrences"), s("detail")], rows), ""]


def _collection(site: Site, page: str, r: ServiceReport) -> list[str]:
    s = site.strings
    c = r.collection
    parts = [
        f"## {s('collection')}\n",
        str(
            s(
                "collection_summary",
                runs=c.runs,
                attempts=c.attempts,
                failed=c.failed,
                success=percent(c.success),
            )
        )
        + "\n",
    ]
    if c.failures:
        parts += [
            table(
                [s("device"), s("failed_attempts")],
                [[device_links(site, page, [n]), str(k)] for n, k in c.failures.items()],
            ),
            "",
        ]
    if c.stale:
        parts += [
            f"### {s('stale_devices')}\n",
            table(
                [s("device"), s("last_collected")],
                [[device_links(site, page, [n]), when(t) or s("never_collected")] for n, t in c.stale],
            ),
            "",
        ]
    return parts


def _report(site: Site, r: ServiceReport) -> str:
    s = site.strings
    page = report_page(r.period)
    heading = report_title(site, r)
    parts = [
        front_matter({"title": title(heading)}),
        f"# {text(heading)}\n",
        str(
            s(
                "report_span",
                start=when(r.period.start),
                end=when(r.period.end - dt.timedelta(days=1)),
                zone=site.settings.sla.time_zone,
                as_of=when(r.as_of),
            )
        )
        + "\n",
    ]
    if r.as_of < r.end:
        parts.append(f'!!! note ""\n    {s("report_running")}\n')
    parts += [f"## {s('key_figures')}\n", _key_figures(site, r), ""]
    parts += _incidents(site, page, r)
    parts += _sla(site, r)
    parts += _repeats(site, page, r)
    parts += _changes(site, page, r)
    parts += _inspections(site, page, r)
    parts += _collection(site, page, r)
    parts.append(f"## {s('warranty_warnings')}\n")
    parts += [
        warranty_table(site, page, list(r.warranties)) if r.warranties else str(s("no_warranty_ending")),
        "",
    ]
    parts.append(f"## {s('recommendations')}\n")
    recs = [s.pick(rec) for rec in r.recommendations]
    parts += [f"- {text(rec)}" for rec in recs] or [str(s("no_recommendations"))]
    return "\n".join(parts) + "\n"
