"""`netkb collect`: the command line around collector.collect."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from rich.console import Console
from rich.table import Table

from netkb.cli_args import add_project_arguments
from netkb.collector.gitstore import StoreError
from netkb.collector.progress import progress_bar
from netkb.collector.runrecord import DeviceResult, Outcome, RunRecord, is_bug
from netkb.inventory import ConfigFileError, Inventory, Shard, load_inventory
from netkb.project import (
    find_project,
    inventory_said,
    layout_of,
    new_files_refusal,
    project_settings,
)

console = Console(highlight=False)
SUMMARY_ROWS = 60  # beyond this, the table lists only failed and changed devices


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "collect", help="back up every device's config and state into the snapshot repository"
    )
    add_project_arguments(p, records=False)
    p.add_argument("--limit", help="only these devices: names, groups, roles or platforms, comma-separated")
    p.add_argument("--workers", type=_workers, help="devices fetched in parallel (default: settings, 16)")
    p.add_argument(
        "--at", type=_timestamp, help="date the commits and the run record (ISO 8601), e.g. for imports"
    )
    p.add_argument(
        "--force",
        nargs="?",
        const="",
        metavar="DEVICES",
        help="accept a config that shrank past the threshold, for these devices only (names, "
        "comma-separated, e.g. --force core-1,agg-lib); a bare --force is refused",
    )
    p.add_argument(
        "--new-store",
        action="store_true",
        help="create the snapshot repository and the redaction key where the settings say, if missing",
    )
    p.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="collect only shard K of N (a stable hash of the device name), for parallel runners",
    )
    p.set_defaults(handler=run)


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 512:
        raise argparse.ArgumentTypeError(f"{value}: between 1 and 512 devices in parallel")
    return value


def _shard(text: str) -> Shard:
    try:
        return Shard.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _timestamp(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 time: {text!r} (e.g. 2026-11-01T02:00+08:00)"
        ) from None
    return value if value.tzinfo else value.astimezone()


def forced_devices(text: str | None, inventory: Inventory) -> frozenset[str]:
    """The devices `--force` names; a bare `--force` or an unknown name is a usage error."""
    if text is None:
        return frozenset()
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise ConfigFileError(
            [
                "--force needs the devices whose shrink is real, e.g. --force core-1,agg-lib "
                "(a bare --force would accept every device's shrink)"
            ]
        )
    known = {d.name for d in inventory.devices}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ConfigFileError([f"--force: no device named {', '.join(map(repr, unknown))} in the inventory"])
    return frozenset(names)


def run(args: argparse.Namespace) -> int:
    # netmiko and GitPython take a while to import: only the commands that use them pay.
    from netkb.collector.collect import CollectInterrupted, CollectOptions, Collector

    project = find_project()
    inventory_path = args.inventory or inventory_said(project, console.print)
    inventory = load_inventory(inventory_path)
    settings, settings_file = project_settings(args.settings, project)
    force = forced_devices(args.force, inventory)
    refused = new_files_refusal(layout_of(settings, settings_file, project), args.new_store)
    if refused:
        raise StoreError(refused)
    collector = Collector(inventory, inventory_path, settings, project.root)
    options = CollectOptions(
        limit=args.limit, workers=args.workers, at=args.at, force=force, shard=args.shard
    )
    total = len(inventory.select(args.limit, args.shard))
    if total == 0 and args.shard and inventory.select(args.limit):
        # More shards than devices (a fixed CI matrix on a small network): nothing to do is no error.
        console.print(f"netkb collect: shard {args.shard} holds no device; nothing to collect")
        return 0
    if total == 0:
        console.print(f"netkb collect: no device matches --limit {args.limit!r}")
        return 2
    with progress_bar(console, "collecting", elapsed=True) as progress:
        task = progress.add_task("", total=total)

        def advance(result: DeviceResult) -> None:
            progress.update(task, advance=1, description=f"{result.name}: {result.outcome.value}")

        try:
            record = collector.run(options, on_progress=advance)
        except CollectInterrupted as stopped:
            record = stopped.record
            interrupted = stopped.unfinished
        else:
            interrupted = []
    print_summary(record)
    if interrupted:
        done = len(record.devices) - len(interrupted)
        print(
            f"netkb collect: interrupted (Ctrl-C); the {done} device(s) done are committed with the run "
            f'record {record.path()}; {len(interrupted)} marked failed "interrupted": run collect '
            "again for them",
            file=sys.stderr,
        )
        return 130
    report_bugs(record)
    return 1 if record.counts()["failed"] else 0


def report_bugs(record: RunRecord) -> None:
    """A device stopped by an exception netkb did not expect is a bug: one line each on
    stderr, with where it was raised (the devices failed; the run went on without them)."""
    for r in sorted(record.devices.values(), key=lambda r: r.name):
        if r.outcome == Outcome.FAILED and is_bug(r.reason):
            print(f"netkb collect: {r.name}: {r.reason}; please report this bug", file=sys.stderr)


def print_summary(record: RunRecord) -> None:
    results = sorted(record.devices.values(), key=lambda r: (r.outcome != Outcome.FAILED, r.name))
    if len(results) > SUMMARY_ROWS:
        results = [r for r in results if r.outcome != Outcome.UNCHANGED]
    shard = f" (shard {record.shard})" if record.shard else ""
    table = Table(title=f"collect {record.started:%Y-%m-%d %H:%M}{shard}")
    for column in ("device", "outcome", "seconds", "detail"):
        table.add_column(column)
    for r in results:
        detail = (
            r.reason
            or ", ".join(r.sections)
            or ("first contact: host key recorded" if r.first_contact else "")
        )
        if r.problems:
            detail += ("; " if detail else "") + f"{len(r.problems)} output(s) not parsed"
        style = {"failed": "red", "changed": "green"}.get(r.outcome.value)
        table.add_row(r.name, r.outcome.value, f"{r.seconds:.1f}", detail, style=style)
    console.print(table)
    findings = [
        (r.name, f) for r in record.devices.values() for f in r.inspection if f["verdict"] != "normal"
    ]
    if findings:
        inspected = Table(title="inspection findings (abnormal, unknown)")
        for column in ("device", "item", "verdict", "detail"):
            inspected.add_column(column)
        for name, f in sorted(findings, key=lambda nf: (nf[1]["verdict"] != "abnormal", nf[0])):
            style = "red" if f["verdict"] == "abnormal" else "yellow"
            inspected.add_row(name, f["item"], f["verdict"], f["detail"], style=style)
        console.print(inspected)
    counts = record.counts()
    elapsed = (record.finished - record.started).total_seconds() if record.finished else 0
    console.print(
        f"{len(record.devices)} devices in {elapsed:.0f} s: {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        + (f", {counts['skipped']} skipped by the inventory" if counts.get("skipped") else "")
    )
