"""`netkb inspect`: the checklist on the current snapshot, and which inspections are overdue.

Reads what the last collect left (state files, the newest run record that read each device)
without touching a device, re-evaluates the rules with the current thresholds, and lists
abnormal and unknown findings plus devices whose inspection cycle has run out. Exit status 1
when any finding is abnormal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from collector.cycles import last_inspection
from collector.expectations import config_facts, merged
from collector.inspection import Finding, Observation, Verdict, evaluate, load_checklist
from collector.inventory import ConfigFileError, DeviceEntry, load_inventory
from collector.onsite import load_records
from collector.settings import Settings, load_settings

console = Console(highlight=False)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("inspect", help="re-run the inspection checklist on the current snapshot")
    p.add_argument(
        "--inventory", type=Path, help="inventory file (default: inventory.yml, else the running lab's)"
    )
    p.add_argument(
        "--settings", type=Path, default=Path("netkb.yml"), help="settings file (default: netkb.yml)"
    )
    p.add_argument("--limit", help="only these devices: names, groups, roles or platforms, comma-separated")
    p.add_argument("--today", type=dt.date.fromisoformat, help="date for the overdue check (default: today)")
    p.set_defaults(handler=run)


@dataclass
class DeviceRuns:
    """Per device: the newest run record that read it, and the dates it was read."""

    latest: dict[str, tuple[dt.datetime, dict[str, Any]]]
    dates: dict[str, list[dt.datetime]]


def read_runs(repo: Path) -> DeviceRuns:
    runs = DeviceRuns({}, {})
    for path in sorted((repo / "runs").glob("*/*/*.json"), reverse=True):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            started = dt.datetime.fromisoformat(record["started"])
        except (json.JSONDecodeError, KeyError, ValueError):
            continue  # a damaged record is skipped; the others still count
        for name, device in record.get("devices", {}).items():
            if device.get("outcome") == "failed":
                continue
            runs.dates.setdefault(name, []).append(started)
            runs.latest.setdefault(name, (started, device))
    return runs


def observe(
    repo: Path, entry: DeviceEntry, started: dt.datetime, device: dict[str, Any], stated: dict[str, Any]
) -> Observation:
    state = {}
    for path in sorted((repo / "devices" / entry.name / "state").glob("*.yml")):
        state[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    config = repo / "devices" / entry.name / "config.txt"
    facts = config_facts(entry.platform.value, config.read_text(encoding="utf-8")) if config.exists() else {}
    return Observation(
        entry.name,
        entry.platform.value,
        entry.role,
        entry.model,
        state,
        device.get("measures", {}),
        device.get("new_logs", []),
        device.get("problems", []),
        started,
        merged(facts, stated),
    )


def run(args: argparse.Namespace) -> int:
    from collector.commands import default_inventory

    inventory = load_inventory(args.inventory or default_inventory())
    settings = load_settings(args.settings)
    devices = inventory.select(args.limit)
    repo = Path(settings.snapshot_repo)
    if not (repo / ".git").exists():
        raise ConfigFileError([f"{repo}: no snapshot repository yet; run `netkb collect` first"])
    checklist = load_checklist()
    records, problems = load_records(Path("inspections"), {d.name for d in inventory.devices}, checklist)
    for problem in problems:
        console.print(f"netkb inspect: {problem}")
    runs = read_runs(repo)
    today = args.today or dt.date.today()
    findings: list[tuple[str, Finding]] = []
    overdue: list[tuple[str, str, str]] = []
    for entry in devices:
        if entry.name not in runs.latest:
            findings.append((entry.name, Finding("collect", Verdict.UNKNOWN, "never collected successfully")))
        else:
            started, device = runs.latest[entry.name]
            current = observe(repo, entry, started, device, inventory.expected(entry))
            findings += [(entry.name, f) for f in evaluate(current, None, checklist, settings.thresholds)]
        months = settings.cycles.months_for(entry.role)
        last = last_inspection(
            entry.name, runs.dates.get(entry.name, []), records, months=months, room=entry.asset.room
        )
        late, due = settings.cycles.overdue(entry.role, last, today)
        if late:
            overdue.append((entry.name, str(last or "never"), str(due or "now")))
    print_findings(findings, checklist, settings)
    print_overdue(overdue, len(devices))
    return 1 if any(f.verdict is Verdict.ABNORMAL for _, f in findings) else 0


def print_findings(findings: list[tuple[str, Finding]], checklist: Any, settings: Settings) -> None:
    shown = [(name, f) for name, f in findings if f.verdict is not Verdict.NORMAL]
    table = Table(title="inspection: abnormal and unknown findings")
    for column in ("device", "item", "verdict", "detail", "suggestion"):
        table.add_column(column)
    for name, f in sorted(
        shown, key=lambda nf: (nf[1].verdict is not Verdict.ABNORMAL, nf[0], nf[1].item_id)
    ):
        item, suggestion = "collect", f.suggestion
        if f.item_id != "collect":
            texts = checklist.texts(f.item_id, settings.language, settings.thresholds)
            item = texts.item
            suggestion = texts.suggestion if f.verdict is Verdict.ABNORMAL else f.suggestion
        style = "red" if f.verdict is Verdict.ABNORMAL else "yellow"
        table.add_row(name, item, f.verdict.value, f.detail, suggestion, style=style)
    if shown:
        console.print(table)
    normal = sum(f.verdict is Verdict.NORMAL for _, f in findings)
    abnormal = sum(f.verdict is Verdict.ABNORMAL for _, f in findings)
    unknown = len(findings) - normal - abnormal
    console.print(f"{len(findings)} findings: {normal} normal, {abnormal} abnormal, {unknown} unknown")


def print_overdue(overdue: list[tuple[str, str, str]], total: int) -> None:
    if overdue:
        table = Table(title="inspections overdue (automatic run + on-site record within the cycle)")
        for column in ("device", "last complete", "was due"):
            table.add_column(column)
        for row in overdue:
            table.add_row(*row)
        console.print(table)
    console.print(f"{len(overdue)} of {total} devices overdue for inspection")
