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

from rich.console import Console
from rich.table import Table

from netkb.cli_args import add_project_arguments, records_folder
from netkb.inventory import ConfigFileError

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
        console.print(
            f"[yellow]no snapshot repository at {repo}: changes, inspections and collection empty[/]"
        )
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
    )
    print_report(report, settings.language)
    return 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def print_report(report: object, language: str = "zh") -> None:
    from netkb.generator.reports import ServiceReport
    from netkb.generator.sla import format_seconds

    assert isinstance(report, ServiceReport)
    period = report.period
    console.print(
        f"[bold]{period.label('zh')} / {period.label('en')}[/] ({period.key}) — "
        f"as of {report.as_of:%Y-%m-%d %H:%M}"
    )
    figures = Table(title="Key figures / 关键指标", show_header=False)
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    rate = report.repeat_rate
    rows = [
        ("incidents / 故障数", str(len(report.incidents))),
        ("still open / 未解决", str(report.open)),
        ("mean time to respond / 平均响应时间", format_seconds(report.mean_response)),
        ("mean time to repair / 平均修复时间", format_seconds(report.mean_repair)),
        (
            "repeat-fault rate / 重复故障率",
            f"{_pct(rate.rate)} ({rate.repeats}/{rate.incidents}; target ≤ {rate.target:.0%})",
        ),
        ("config changes / 配置变更", str(report.config_changes)),
        ("state changes / 状态变更", str(report.state_changes)),
        (
            "inspection coverage / 巡检覆盖率",
            f"{_pct(report.inspection.coverage)} "
            f"({report.inspection.up_to_date}/{report.inspection.devices})",
        ),
        ("abnormal findings / 异常项", str(len(report.inspection.abnormal))),
        (
            "collection success / 采集成功率",
            f"{_pct(report.collection.success)} ({report.collection.runs} runs)",
        ),
        ("stale devices / 采集过期设备", str(len(report.collection.stale))),
        ("warranty warnings / 维保预警", str(len(report.warranties))),
    ]
    for name, value in rows:
        figures.add_row(name, value)
    console.print(figures)

    sla = Table(title="SLA compliance / SLA 达成率")
    for column in ("target", "met", "missed", "pending", "unrecorded", "compliance"):
        sla.add_column(column, justify="left" if column == "target" else "right")
    for kind, c in report.compliance.items():
        sla.add_row(kind.value, str(c.met), str(c.missed), str(c.pending), str(c.unrecorded), _pct(c.ratio))
    console.print(sla)

    counts = Table(title="Incidents by level and category / 故障分级与分类")
    counts.add_column("level / category")
    counts.add_column("count", justify="right")
    for level, n in report.by_level.items():
        counts.add_row(level, str(n))
    for category, n in report.by_category.items():
        if n:
            counts.add_row(category, str(n))
    console.print(counts)

    if report.recommendations:
        console.print("[bold]Recommendations / 建议[/]")
        for rec in report.recommendations:
            console.print(f"- {rec.zh if language == 'zh' else rec.en}")
