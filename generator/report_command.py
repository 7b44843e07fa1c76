"""`netkb report 2026-10|2026-Q3|2026`: a service report's key figures in the terminal.

Reads the inventory, the settings, the records (`incidents/`, `inspections/`) and the snapshot
repository's history, builds the same `ServiceReport` the site's report pages show, and prints
it. Exit status 1 when a record is invalid (the problems are listed, nothing is skipped
silently), 2 for a bad period or a broken inventory or settings file.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from netkb.cli_args import add_project_arguments, records_folder
from netkb.i18n import Strings
from netkb.inventory import ConfigFileError
from netkb.records.service import TargetKind

if TYPE_CHECKING:
    from netkb.generator.report_model import ServiceReport
    from netkb.generator.request_figures import RequestFigures

console = Console(highlight=False)


def _now(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no time zone (e.g. 2026-11-01T00:00+08:00)")
    return value


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("report", help="print a monthly, quarterly or annual service report's figures")
    p.add_argument("period", help="a month 2026-10, a quarter 2026-Q3 or a year 2026")
    add_project_arguments(p)
    p.add_argument("--now", type=_now, help="measure open incidents at this time (default: now)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # The history model needs GitPython: imported here so other commands do not pay for it.
    from netkb.generator.change_report import change_lines, print_changes
    from netkb.generator.history import HistoryError, read_history
    from netkb.generator.model import History
    from netkb.generator.periods import parse_period
    from netkb.generator.reports import build_report
    from netkb.inventory import load_inventory
    from netkb.project import find_project, inventory_said, project_settings
    from netkb.records.handwritten import read_records

    try:
        period = parse_period(args.period)
    except ValueError as exc:
        raise ConfigFileError([str(exc)]) from None
    project = find_project()
    inventory = load_inventory(args.inventory or inventory_said(project, say=console.print))
    settings, _ = project_settings(args.settings, project)
    names = {d.name for d in inventory.devices}
    written = read_records(names, settings, records_folder(args.records, project)).valid()
    repo = Path(settings.snapshot_repo)
    history = History(head="")
    if (repo / ".git").exists():
        try:
            history = read_history(repo)
        except HistoryError as exc:
            raise ConfigFileError([f"{repo}: {exc}"]) from None
    else:
        console.print(f"[yellow]{escape(Strings(settings.language).plain('term_no_repo', repo=repo))}[/]")
    now = args.now or dt.datetime.now().astimezone()
    report = build_report(
        period,
        incidents=written.incidents,
        history=history,
        devices=list(inventory.devices),
        settings=settings,
        onsite=written.onsite,
        checklist=written.checklist,
        now=now,
        requests=written.requests,
    )
    print_report(report, settings.language)
    changes = change_lines(history, written.planned_changes, settings, report.start, report.as_of)
    print_changes(console, changes)  # change records against the period's config commits
    return 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _figures(report: ServiceReport, s: Strings) -> Table:
    figures = Table(title=s.plain("term_key_figures"), show_header=False)
    figures.add_column(s.plain("term_figure"))
    figures.add_column(s.plain("term_value"), justify="right")
    rate, inspection, collection = report.repeat_rate, report.inspection, report.collection
    rows = [
        ("term_incidents", str(len(report.incidents))),
        ("term_open", str(report.open)),
        ("term_mean_response", s.duration(report.mean_response)),
        ("term_mean_repair", s.duration(report.mean_repair)),
        (
            "term_repeat_rate",
            s.plain(
                "term_repeat_value",
                rate=_pct(rate.rate),
                repeats=rate.repeats,
                incidents=rate.incidents,
                target=f"{rate.target:.0%}",
            ),
        ),
        ("term_config_changes", str(report.config_changes)),
        ("term_state_changes", str(report.state_changes)),
        ("term_coverage", f"{_pct(inspection.coverage)} ({inspection.up_to_date}/{inspection.devices})"),
        ("term_abnormal", str(len(inspection.abnormal))),
        (
            "term_collection",
            s.plain("term_collection_value", success=_pct(collection.success), runs=collection.runs),
        ),
        ("term_stale", str(len(collection.stale))),
        ("term_warranty", str(len(report.warranties))),
    ]
    for key, value in rows:
        figures.add_row(s.plain(key), value)
    return figures


def _target_key(kind: TargetKind) -> str:
    return "req_target_fulfil" if kind is TargetKind.RESOLVE else f"target_{kind.value}"


def request_table(f: RequestFigures, s: Strings) -> Table:
    """The period's service requests: count, fulfilment, return calls, satisfaction, complaints."""
    table = Table(title=s.plain("term_requests"), show_header=False)
    table.add_column(s.plain("term_figure"))
    table.add_column(s.plain("term_value"), justify="right")
    score = "—" if f.satisfaction is None else f"{f.satisfaction:.2f} ({f.rated})"
    trend = " ".join(f"{label}:{'—' if v is None else f'{v:.1f}'}" for label, v, _ in f.trend)
    rows = [
        ("term_req_count", f"{len(f.requests)} ({f.open})"),
        *((_target_key(k), f"{c.met}/{c.decided} ({_pct(c.ratio)})") for k, c in f.compliance.items()),
        ("term_req_fulfilment", s.duration(f.mean_fulfilment)),
        ("term_req_coverage", f"{_pct(f.coverage)} ({f.return_calls}/{f.fulfilled})"),
        ("term_req_satisfaction", score),
        ("term_req_trend", trend),
        ("term_req_complaints", ", ".join(f"{c.id} {c.title}" for c in f.complaints) or "—"),
    ]
    for key, value in rows:
        table.add_row(s.plain(key), escape(value))
    return table


def _cost(report: ServiceReport, s: Strings) -> Table:
    """The period's cost, then by kind (incident or request), category, request type, building and
    role (netkb/records/cost.py)."""
    c = report.cost
    assert c is not None

    def amount(value: float) -> str:
        return s.plain("money", amount=f"{value:,.2f}")

    table = Table(title=s.plain("term_cost_by"))
    table.add_column(s.plain("term_dimension"))
    table.add_column(s.plain("term_amount"), justify="right")
    hours = {"hours": f"{c.hours:g}", "out": f"{c.hours_out:g}"}
    table.add_row(s.plain("term_cost"), amount(c.total))
    table.add_row(s.plain("term_cost_labour"), s.plain("cost_labour_value", money=amount(c.labour), **hours))
    table.add_row(s.plain("term_cost_parts"), amount(c.parts))
    table.add_row(s.plain("term_cost_travel"), amount(c.travel))
    table.add_row(s.plain("term_cost_recorded"), f"{c.recorded}/{len(c.tickets)}")
    kinds = {s.plain(f"cost_kind_{k}"): v for k, v in c.by_kind.items()} if c.requests else {}
    spreads = [("cost_kind", kinds), ("category", c.by_category), ("req_type", c.by_type)]
    for kind, spread in [*spreads, ("building", c.by_building), ("role", c.by_role)]:
        for key, value in spread.items():
            table.add_row(escape(f"{s.plain(kind)}: {key or s.plain('unassigned')}"), amount(value))
    return table


def print_report(report: ServiceReport, language: str = "zh") -> None:
    """The report's figures in the terminal, in the settings' language (the i18n catalogue's `term_*`)."""
    s = Strings(language)
    period = report.period
    heading = s.plain(
        "term_heading", period=period.label(language), key=period.key, as_of=f"{report.as_of:%Y-%m-%d %H:%M}"
    )
    console.print(f"[bold]{escape(heading)}[/]")
    console.print(_figures(report, s))

    sla = Table(title=s.plain("term_sla"))
    columns = ("term_target", "term_met", "term_missed", "term_pending", "term_unrecorded", "term_compliance")
    for column in columns:
        sla.add_column(s.plain(column), justify="left" if column == "term_target" else "right")
    for kind, c in report.compliance.items():
        sla.add_row(
            s.plain(f"target_{kind.value}"),
            str(c.met),
            str(c.missed),
            str(c.pending),
            str(c.unrecorded),
            _pct(c.ratio),
        )
    console.print(sla)

    counts = Table(title=s.plain("term_by_level_category"))
    counts.add_column(s.plain("term_level_category"))
    counts.add_column(s.plain("term_count"), justify="right")
    for level, n in report.by_level.items():
        counts.add_row(escape(level), str(n))
    for category, n in report.by_category.items():
        if n:
            counts.add_row(escape(category), str(n))
    console.print(counts)

    if report.requests is not None:
        console.print(request_table(report.requests, s))
    if report.cost is not None:
        console.print(_cost(report, s))

    if report.recommendations:
        console.print(f"[bold]{s.plain('term_recommendations')}[/]")
        for rec in report.recommendations:
            console.print(f"- {escape(s.pick(rec))}")
