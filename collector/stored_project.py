"""What the commands that read the snapshot store without touching a device start from
(`netkb inspect`, `netkb compliance`): the project's inventory, settings and records, and its store."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from netkb.cli_args import records_folder
from netkb.inventory import ConfigFileError, DeviceEntry, Inventory, load_inventory
from netkb.project import default_inventory, find_project, project_settings
from netkb.records.handwritten import HandWritten, read_records
from netkb.settings import Settings


@dataclass(frozen=True)
class StoredProject:
    inventory: Inventory
    settings: Settings
    devices: list[DeviceEntry]  # the ones `--limit` selects
    repo: Path  # the snapshot store
    written: HandWritten  # the records, valid (RecordError otherwise)


def stored_project(args: argparse.Namespace) -> StoredProject:
    """The project the arguments name (--inventory, --settings, --records, --limit); ConfigFileError
    when it has no snapshot store yet."""
    project = find_project()
    inventory = load_inventory(args.inventory or default_inventory(project))
    settings, _ = project_settings(args.settings, project)
    repo = Path(settings.snapshot_repo)
    if not (repo / ".git").exists():
        raise ConfigFileError([f"{repo}: no snapshot repository yet; run `netkb collect` first"])
    names = {d.name for d in inventory.devices}
    written = read_records(names, settings, records_folder(args.records, project)).valid()
    return StoredProject(inventory, settings, inventory.select(args.limit), repo, written)
