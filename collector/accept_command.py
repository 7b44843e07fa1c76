"""`netkb accept DEVICE`: a device replaced (or renamed, or re-keyed) on purpose.

A collect refuses a device whose name or serial numbers differ from its last good snapshot, or
whose host key changed: that is what an inventory address pointing at another switch looks like.
When the change is real, this records the acceptance in the snapshot repository (a commit with
the reason, `accepted/<device>`); the next good collect of the device learns its new host key
and identity and removes the marker in its own commit, so `git log` tells who accepted what.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
from pathlib import Path

from netkb.cli_args import add_project_arguments
from netkb.collector.identity import accepted_file
from netkb.inventory import ConfigFileError, load_inventory


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "accept", help="accept a replaced, renamed or re-keyed device on its next collect"
    )
    p.add_argument("device", help="the device's inventory name")
    p.add_argument("--reason", required=True, help='why, for the history (e.g. "RMA: chassis replaced")')
    add_project_arguments(p, records=False)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from netkb.collector.gitstore import SnapshotRepo
    from netkb.project import find_project, inventory_said, project_settings

    project = find_project()
    inventory = load_inventory(args.inventory or inventory_said(project))
    if args.device not in {d.name for d in inventory.devices}:
        raise ConfigFileError([f"{args.device}: no such device in the inventory"])
    settings, _ = project_settings(args.settings, project)
    path = Path(settings.snapshot_repo)
    if not (path / ".git").exists():
        raise ConfigFileError([f"{path}: no snapshot repository here; run `netkb collect` first"])
    repo = SnapshotRepo(path, settings.author.name, settings.author.email)
    marker = accepted_file(args.device)
    at = dt.datetime.now().astimezone().replace(microsecond=0)
    with repo.locked():
        note = {"at": at.isoformat(), "by": getpass.getuser(), "reason": args.reason}
        target = path / marker
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(note, ensure_ascii=False) + "\n", encoding="utf-8")
        repo.commit([marker], f"{args.device}: replacement accepted ({args.reason})", at)
    print(
        f"{args.device}: accepted; the next collect learns its host key and identity "
        f"({marker} in {path} until then)"
    )
    return 0
