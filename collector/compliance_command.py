"""`netkb compliance`: the security baseline (GB/T 22239-2019) on the current snapshot.

Reads each selected device's config and state from the snapshot store, as `netkb inspect`
does, judges every baseline rule (netkb/baseline/), applies the waivers under `compliance/`,
and prints the failures per device with their remediation. Exit status 1 when any rule fails
without a valid waiver, a waiver has expired or a device has no config yet (a CI gate), 0
otherwise, 2 on bad input (inventory, settings, records, an unknown waiver group).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from rich.console import Console
from rich.markup import escape

from netkb.baseline.compliance import Compliance, DeviceCompliance, Judged, Target, assess
from netkb.baseline.model import Verdict
from netkb.cli_args import add_project_arguments
from netkb.collector.inspect_command import Snapshots
from netkb.collector.stored_project import stored_project
from netkb.i18n import Strings
from netkb.inventory import ConfigFileError

console = Console(highlight=False, soft_wrap=True)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "compliance", help="check the security baseline (GB/T 22239) on the current snapshot"
    )
    add_project_arguments(p)
    p.add_argument("--limit", help="only these devices: names, groups, roles or platforms, comma-separated")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--unknown", action="store_true", help="also list the rules the configs cannot decide")
    p.add_argument("--today", type=dt.date.fromisoformat, help="date for waiver expiry (default: today)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    stored = stored_project(args)
    inventory, settings, devices, repo = stored.inventory, stored.settings, stored.devices, stored.repo
    waivers = stored.written.waivers
    groups = set(inventory.groups) | {g for d in inventory.devices for g in d.groups}
    unknown = [
        f"{w.path}: groups: {g!r} is no group of the inventory"
        for w in waivers
        for g in w.groups
        if g not in groups
    ]
    if unknown:
        raise ConfigFileError(unknown)
    snapshots = Snapshots(repo)
    targets = [
        Target(d.name, d.platform.value, tuple(d.groups), snapshots.config(d.name), snapshots.state(d.name))
        for d in devices
    ]
    report = assess(targets, waivers, args.today or dt.date.today())
    if args.json:
        print(json.dumps(as_json(report), ensure_ascii=False, indent=1))
    else:
        print_report(report, settings.language, args.unknown)
    return 0 if report.passed else 1


def _lines(judged: Judged) -> list[dict[str, Any]]:
    return [{"line": line.number, "text": line.text} for line in judged.result.lines]


def as_json(report: Compliance) -> dict[str, Any]:
    devices = []
    for d in report.devices:
        results = []
        for j in d.judged:
            r = j.result
            results.append(
                {
                    "rule": r.rule,
                    "verdict": r.verdict.value,
                    "waived_by": j.waiver.path if j.waiver else None,
                    "lines": _lines(j),
                    "missing": list(r.missing),
                    "because": r.because.en if r.because else None,
                }
            )
        devices.append(
            {"device": d.name, "platform": d.platform, "collected": d.collected, "results": results}
        )
    expired = [{"waiver": w.path, "rule": w.rule, "expired": w.expires.isoformat()} for w in report.expired]
    return {
        "passed": report.passed,
        "today": report.today.isoformat(),
        "devices": devices,
        "expired_waivers": expired,
    }


def _device(report: Compliance, d: DeviceCompliance, s: Strings, unknown: bool) -> None:
    if not d.collected:
        console.print(f"[red]{escape(s.plain('cmp_not_collected', device=d.name))}[/]")
        return
    for j in d.failing + (d.with_verdict(Verdict.UNKNOWN) if unknown else []):
        rule = report.rules.rule(j.result.rule)
        failed = j.result.verdict is Verdict.FAIL
        head = f"{escape(d.name)}: {rule.id} [{rule.clause}] {escape(rule.title.get(s.language))}"
        label = f"[red]{s.plain('cmp_fail')}[/]" if failed else f"[yellow]{s.plain('cmp_unknown')}[/]"
        console.print(f"{label} {head}")
        for line in j.result.lines:
            console.print(f"    {line.number:>5}: {escape(line.text)}")
        if j.result.missing and failed:
            console.print(f"    {s.plain('cmp_missing')}: {escape('; '.join(j.result.missing))}")
        if j.result.because:
            console.print(f"    {s.plain('cmp_because')}: {escape(j.result.because.get(s.language))}")
        if failed:
            console.print(f"    {s.plain('cmp_remediation')}:")
            for command in rule.remediation.get(d.platform, []):
                console.print(f"      {escape(command)}")


def print_report(report: Compliance, language: str, unknown: bool) -> None:
    s = Strings(language)
    for d in report.devices:
        _device(report, d, s, unknown)
    for w in report.expired:
        expired = s.plain("cmp_expired", path=w.path, rule=w.rule, expires=w.expires, approver=w.approver)
        console.print(f"[red]{escape(expired)}[/]")
    counts = {v: sum(len(d.with_verdict(v)) for d in report.devices) for v in Verdict}
    summary = s.plain(
        "cmp_summary",
        devices=len(report.devices),
        rules=len(report.rules.rules),
        passed=counts[Verdict.PASS],
        failed=sum(len(d.failing) for d in report.devices),
        waived=sum(len(d.waived) for d in report.devices),
        unknown=counts[Verdict.UNKNOWN],
        na=counts[Verdict.NOT_APPLICABLE],
        expired=len(report.expired),
    )
    console.print(escape(summary))
