"""`netkb import`: other tools' backups into the snapshot repository, with their dates.

Reads every version (import_sources.py), decides what each becomes (importer.py), then
commits the imported ones oldest first, each dated as the source dated it, through the
collector's store. No run record is written: nothing was collected from a device.
"""

from __future__ import annotations

import argparse
import datetime as dt
import zoneinfo
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from netkb.cli_args import add_project_arguments
from netkb.collector.gitstore import SnapshotRepo
from netkb.collector.import_sources import SourceError, Unreadable, detect_format, read_versions
from netkb.collector.importer import (
    DeviceIndex,
    RepoState,
    SourceFormat,
    Step,
    StepKind,
    Version,
    plan_device,
)
from netkb.collector.progress import progress_bar
from netkb.collector.redaction_key import load_redaction_key
from netkb.inventory import ConfigFileError, DeviceEntry, load_inventory
from netkb.project import find_project, inventory_said, project_settings
from netkb.spec import load_spec

console = Console(highlight=False)
CONFIG_PATH = "devices/{}/config.txt"
PROBLEM_KINDS = (StepKind.REFUSED, StepKind.TOO_OLD)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        help="bring RANCID or Oxidized history, or dated config files, into the snapshot repository",
    )
    p.add_argument(
        "source", type=Path, help="a RANCID or Oxidized git repository, or a folder of dated config files"
    )
    p.add_argument(
        "--format",
        choices=["auto", *(f.value for f in SourceFormat)],
        default="auto",
        help="what the source is (default: auto: RANCID if it has configs/ or <group>/configs/ in git, "
        "or configs/<device>,v in CVS; else Oxidized for git; a folder holds dated files)",
    )
    add_project_arguments(p, records=False)
    p.add_argument("--limit", help="only these devices: names, groups, roles or platforms, comma-separated")
    p.add_argument(
        "--timezone",
        help="zone of the dates in file names (e.g. Asia/Shanghai; default: this machine's); "
        "git sources carry their own",
    )
    p.add_argument("--force", action="store_true", help="accept a config that shrank past the threshold")
    p.add_argument("--dry-run", action="store_true", help="say what would be imported, commit nothing")
    p.set_defaults(handler=run)


def _zone(name: str | None) -> dt.tzinfo:
    if not name:
        return dt.datetime.now().astimezone().tzinfo or dt.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigFileError([f"--timezone: unknown time zone {name!r} (e.g. Asia/Shanghai, UTC)"]) from None


def repo_state(repo: SnapshotRepo, names: set[str]) -> RepoState:
    """The newest snapshot's or run record's date, and the dated config blobs of these devices,
    from one `git log`. Other commits (a README the repository was created with) do not count."""
    if not repo.repo.head.is_valid():
        return RepoState(None, frozenset(), {})
    log = repo.repo.git.log("--raw", "--no-abbrev", "--no-renames", "--format=@@%aI")
    newest: dt.datetime | None = None
    dated: set[tuple[str, int, str]] = set()
    date = dt.datetime.min
    for line in log.splitlines():
        if line.startswith("@@"):
            date = dt.datetime.fromisoformat(line[2:])
        elif line.startswith(":"):
            meta, _, path = line.partition("\t")
            parts = path.split("/")
            if parts[0] in ("devices", "runs") and (newest is None or date > newest):
                newest = date
            if len(parts) == 3 and parts[0] == "devices" and parts[2] == "config.txt" and parts[1] in names:
                dated.add((parts[1], int(date.timestamp()), meta.split()[3]))
    current = {}
    for name in names:
        data = repo.committed(CONFIG_PATH.format(name))
        if data is not None:
            current[name] = data.decode("utf-8")
    return RepoState(newest, frozenset(dated), current)


def _read_source(
    args: argparse.Namespace, zone: dt.tzinfo
) -> tuple[SourceFormat, list[Version], list[Unreadable]]:
    """The source's format (detected, or as --format says) and every version read from it."""
    try:
        detected = detect_format(args.source)
        source = detected.format if args.format == "auto" else SourceFormat(args.format)
        where = detected.path if detected.format is source else args.source
        why = detected.why if detected.format is source else f"as --format {source.value} says"
        console.print(f"reading {args.source} as {why}")
        versions, unreadable = read_versions(where, source, zone)
    except SourceError as exc:
        raise ConfigFileError([str(exc)]) from None  # one line on stderr, exit status 2
    console.print(f"{source.value}: {len(versions)} versions")
    return source, versions, unreadable


def _by_device(
    versions: list[Version], devices: list[DeviceEntry], selected: set[str]
) -> tuple[dict[str, list[Version]], Counter[str]]:
    """The versions of each selected inventory device, and how many of each unknown key."""
    index = DeviceIndex(devices)
    by_device: dict[str, list[Version]] = {}
    unknown: Counter[str] = Counter()
    for version in versions:
        entry = index.find(version.key)
        if entry is None:
            unknown[version.key] += 1
        elif entry.name in selected:
            by_device.setdefault(entry.name, []).append(version)
    return by_device, unknown


def run(args: argparse.Namespace) -> int:
    # netmiko (under collector.collect) takes a while to import: only the commands that use it pay.
    project = find_project()
    inventory_path = args.inventory or inventory_said(project, say=console.print)
    inventory = load_inventory(inventory_path)
    settings, _ = project_settings(args.settings, project)
    zone = _zone(args.timezone)
    selected = {d.name for d in inventory.select(args.limit)}
    if not selected:
        console.print(f"netkb import: no device matches --limit {args.limit!r}")
        return 2
    source, versions, unreadable = _read_source(args, zone)
    by_device, unknown = _by_device(versions, inventory.devices, selected)
    entries = {d.name: d for d in inventory.devices}

    key = load_redaction_key(project.root / settings.redaction_key_file)
    repo_path = (project.root / settings.snapshot_repo).resolve()

    def plan(state: RepoState) -> dict[str, list[Step]]:
        return {
            name: plan_device(
                entries[name],
                found,
                source,
                load_spec(entries[name].platform.value),
                key,
                state,
                settings.shrink_threshold,
                args.force,
            )
            for name, found in sorted(by_device.items())
        }

    if args.dry_run and not (repo_path / ".git").exists():
        plans = plan(RepoState(None, frozenset(), {}))  # a dry run creates no repository
    else:
        repo = SnapshotRepo(repo_path, settings.author.name, settings.author.email)
        with repo.locked():
            plans = plan(repo_state(repo, set(by_device)))
            if not args.dry_run:
                _commit(repo, plans)
    print_summary(plans, unknown, unreadable, args.dry_run)
    problems = any(s.kind in PROBLEM_KINDS for steps in plans.values() for s in steps)
    return 1 if problems or unknown or unreadable or not versions else 0


def _commit(repo: SnapshotRepo, plans: dict[str, list[Step]]) -> None:
    """The imported versions, oldest first (by device name within a second), each with its date."""
    to_commit = sorted(
        ((name, step) for name, steps in plans.items() for step in steps if step.kind is StepKind.IMPORT),
        key=lambda item: (item[1].version.when, item[0]),
    )
    with progress_bar(console, "importing") as progress:
        task = progress.add_task("", total=len(to_commit))
        for name, step in to_commit:
            changed = repo.write_files({CONFIG_PATH.format(name): step.config.encode("utf-8")})
            repo.commit(changed, step.message, step.version.when)
            progress.update(task, advance=1, description=f"{name} {step.version.when:%Y-%m-%d}")


def print_summary(
    plans: dict[str, list[Step]], unknown: Counter[str], unreadable: list[Unreadable], dry_run: bool
) -> None:
    table = Table(title="import (dry run: nothing committed)" if dry_run else "import")
    kinds = list(StepKind)
    for column in ("device", "versions", *(k.value for k in kinds)):
        table.add_column(column)
    for name, steps in plans.items():
        counts = Counter(s.kind for s in steps)
        style = "red" if any(counts[k] for k in PROBLEM_KINDS) else None
        table.add_row(name, str(len(steps)), *(str(counts[k]) for k in kinds), style=style)
    console.print(table)
    for name, steps in plans.items():
        for step in steps:
            if step.kind in PROBLEM_KINDS:
                when = f"{step.version.when:%Y-%m-%d %H:%M}"
                console.print(f"{name}: {step.kind.value}: {when} {step.version.origin}: {step.reason}")
    for key, count in sorted(unknown.items()):
        console.print(f"{key}: not in the inventory ({count} versions not imported); add it or ignore this")
    for item in unreadable:
        console.print(f"{item.origin}: {item.reason}")
    imported = sum(s.kind is StepKind.IMPORT for steps in plans.values() for s in steps)
    present = sum(s.kind is StepKind.PRESENT for steps in plans.values() for s in steps)
    verb = "would import" if dry_run else "imported"
    console.print(
        f"{len(plans)} devices: {verb} {imported} snapshots, {present} already present; "
        f"{len(unknown)} unknown devices, {len(unreadable)} unreadable files"
    )
