"""The sections of a service report page, each from `generator/reports.py`'s figures: incidents by
level and category, SLA compliance, repeat faults, changes, inspections and collection. The page
around them (key figures, warranties, recommendations) and the reports' index are pages/reports.py."""

from __future__ import annotations

from netkb.generator.charts import bar_chart, line_chart
from netkb.generator.pages.common import detail, item_label, page_link, when
from netkb.generator.pages.requests import type_name
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
from netkb.generator.service_site import service_of
from netkb.generator.site import Site
from netkb.generator.sla import Compliance, Outcome
from netkb.markdown import Md, table, text
from netkb.records.cost import PeriodCost
from netkb.records.service import TargetKind

TOP_DEVICES = 10


def ratio(c: Compliance) -> str:
    return f"{c.met}/{c.decided} ({percent(c.ratio)})" if c.decided else "—"


def incidents(site: Site, page: str, r: ServiceReport) -> list[str]:
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


def sla(site: Site, r: ServiceReport) -> list[str]:
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
                [level_name(site, level), *(ratio(by_kind[k]) for k in TargetKind)]
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


def repeats(site: Site, page: str, r: ServiceReport) -> list[str]:
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
            chart(
                line_chart(
                    points,
                    str(s("chart_repeat_rate")),
                    unit="%",
                    target=100 * rate.target,
                    target_label=s.plain("chart_target"),
                )
            ),
            "",
        ]
    return parts


def changes(site: Site, page: str, r: ServiceReport) -> list[str]:
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


def inspections(site: Site, page: str, r: ServiceReport) -> list[str]:
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
            detail(site, a.detail),
        ]
        for a in f.abnormal
    ]
    return [*parts, table([s("item"), s("source"), s("devices"), s("occurrences"), s("detail")], rows), ""]


def collection(site: Site, page: str, r: ServiceReport) -> list[str]:
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


def money(site: Site, amount: float) -> str:
    return site.strings.plain("money", amount=f"{amount:,.2f}")


def cost(site: Site, r: ServiceReport) -> list[str]:
    """The period's cost (incidents and service requests) with the contract's figures beside it
    (tickets, response times)."""
    s = site.strings
    c = r.cost
    if c is None:
        return []
    if not c.recorded:  # a team that records no effort, parts or travel: one line, not a table of zeros
        return [f"## {s('cost')}\n", str(s("no_period_cost")), ""]
    tickets = len(c.tickets)
    parts = [f"## {s('cost')}\n", str(s("cost_note", tickets=tickets, recorded=c.recorded)) + "\n"]
    labour = s.plain(
        "cost_labour_value", money=money(site, c.labour), hours=f"{c.hours:g}", out=f"{c.hours_out:g}"
    )
    rows: list[list[object]] = [
        [s("cost_total"), Md(f"**{text(money(site, c.total))}**")],
        [s("cost_labour"), labour],
        [s("cost_parts"), money(site, c.parts)],
        [s("cost_travel"), money(site, c.travel)],
        [s("cost_per_ticket"), money(site, c.total / tickets)],
        [s("cost_tickets"), str(len(r.incidents))],
        [s("cost_response"), ratio(r.compliance[TargetKind.RESPONSE])],
        [s("mean_response"), s.duration(r.mean_response)],
    ]
    if r.requests is not None:
        rows += [
            [s("req_count"), str(len(r.requests.requests))],
            [s("cost_request_response"), ratio(r.requests.compliance[TargetKind.RESPONSE])],
        ]
    parts += [table([s("figure"), s("value")], rows), ""]
    if not c.total:
        return parts
    return [
        *parts,
        f"### {s('cost_by')}\n",
        table([s("cost_dimension"), s("cost_name"), s("cost_amount")], _cost_spread(site, c)),
        "",
    ]


def _cost_spread(site: Site, c: PeriodCost) -> list[list[str]]:
    """The cost by kind (when the period has requests), incident category, request type, building, role."""
    s = site.strings
    unassigned = s.plain("unassigned")
    kinds = c.by_kind.items() if c.requests else ()
    return [
        *[[s("cost_kind"), s(f"cost_kind_{k}"), money(site, v)] for k, v in kinds],
        *[[s("category"), category_name(site, k), money(site, v)] for k, v in c.by_category.items()],
        *[[s("req_type"), type_name(site, k), money(site, v)] for k, v in c.by_type.items()],
        *[[s("building"), k or unassigned, money(site, v)] for k, v in c.by_building.items()],
        *[[s("role"), s.term("role", k) if k else unassigned, money(site, v)] for k, v in c.by_role.items()],
    ]
