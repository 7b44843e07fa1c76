"""`netkb check`: validate everything people write by hand, every error at once.

The inventory, the settings, the credential profiles the inventory names (when the
credentials file is there) and the on-site inspection records. Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from collector.credentials import load_credentials
from collector.inspection import load_checklist
from collector.inventory import ConfigFileError, load_inventory
from collector.onsite import load_records
from collector.settings import load_settings

console = Console(highlight=False, stderr=True)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("check", help="validate the inventory, settings, credentials and records")
    p.add_argument("--inventory", type=Path, default=Path("inventory.yml"))
    p.add_argument("--settings", type=Path, default=Path("netkb.yml"))
    p.add_argument("--records", type=Path, default=Path("."), help="folder holding inspections/ (default: .)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problems: list[str] = []
    devices: set[str] = set()
    try:
        inventory = load_inventory(args.inventory)
        devices = {d.name for d in inventory.devices}
        if inventory.credentials_file:
            creds = args.inventory.parent / inventory.credentials_file
            if creds.exists():
                load_credentials(creds, {d.credentials for d in inventory.devices})
    except ConfigFileError as exc:
        problems += exc.problems
    try:
        load_settings(args.settings)
    except ConfigFileError as exc:
        problems += exc.problems
    records, record_problems = load_records(args.records / "inspections", devices, load_checklist())
    problems += record_problems
    for problem in problems:
        console.print(f"netkb check: {problem}")
    if problems:
        console.print(f"{len(problems)} problem(s) found")
        return 1
    Console(highlight=False).print(
        f"ok: {len(devices)} devices, {len(records)} on-site inspection record(s), settings valid"
    )
    return 0
