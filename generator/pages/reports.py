"""Service reports: an index of every period with data, and one page per month, quarter and year
(17 a year) laying out `generator/reports.py`'s figures, with static SVG charts, printable on A4."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial

from netkb.generator.pages import baseline_trend, planned_changes
from netkb.generator.pages import report_sections as sections
from netkb.generator.pages import requests as request_pages
from netkb.generator.pages.assets import warranty_table
from netkb.generator.pages.common import NOT_SEARCHED, REPORT_WEIGHT, page_link, when
from netkb.generator.pages.service_common import (
    percent,
    target_name,
)
from netkb.generator.periods import PeriodKind
from netkb.generator.reports import ServiceReport
from netkb.generator.service_site import report_page, service_of
from netkb.generator.site import Site
from netkb.markdown import Md, front_matter, table, text, title
from netkb.records.service import TargetKind

INDEX = "reports/index.md"


def render_pages(site: Site) -> dict[str, str]:
    service = service_of(site)
    reports = service.reports
    pages = {INDEX: _index(site, reports)}
    changes = planned_changes.data_of(site).digest()  # the change verdicts a report shows
    for report in reports:
        key = service.report_keys.get(report.period.key)
        path = report_page(report.period)
        baseline = baseline_trend.report_section(site, path, report.start, report.as_of)
        page = partial(_report, site, report, baseline)
        pages[path] = (
            page()
            if key is None
            else site.pages.get(("report page", *key, changes, baseline_trend.report_digest(baseline)), page)
        )
    return pages


def report_title(site: Site, report: ServiceReport) -> str:
    return str(site.strings("report_title", period=report.period.label(site.settings.language)))


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
                    *(sections.ratio(r.compliance[k]) for k in TargetKind),
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
    sla_rows: list[list[object]] = [[target_name(s, k), sections.ratio(c)] for k, c in r.compliance.items()]
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


def _report(site: Site, r: ServiceReport, baseline: list[str]) -> str:
    s = site.strings
    page = report_page(r.period)
    heading = report_title(site, r)
    parts = [
        front_matter({"title": title(heading), "search": {"boost": REPORT_WEIGHT[r.period.kind]}}),
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
    parts += sections.incidents(site, page, r)
    parts += sections.sla(site, r)
    parts += sections.repeats(site, page, r)
    parts += sections.changes(site, page, r)
    parts += planned_changes.report_section(site, page, r.start, r.as_of)
    parts += sections.inspections(site, page, r)
    parts += baseline
    parts += sections.collection(site, page, r)
    parts += request_pages.report_section(site, page, r)
    parts += sections.cost(site, r)
    parts.append(f"## {s('warranty_warnings')}\n")
    parts += [
        warranty_table(site, page, list(r.warranties)) if r.warranties else str(s("no_warranty_ending")),
        "",
    ]
    parts.append(f"## {s('recommendations')}\n")
    recs = [s.pick(rec) for rec in r.recommendations]
    parts += [f"- {text(rec)}" for rec in recs] or [str(s("no_recommendations"))]
    return "\n".join(parts) + "\n"
