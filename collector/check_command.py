"""`netkb check`: validate everything people write by hand, every error at once.

The inventory, the settings, the credential profiles the inventory names (when the
credentials file is there), the on-site inspection records and the incident records. Exit
status 1 on any error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from collector.credentials import load_credentials
from collector.inspection import load_checklist
from collector.inventory import ConfigFileError, load_inventory
from collector.onsite import load_records
from collector.settings import Settings, load_settings
from generator.incidents import load_incidents, rules_from

console = Console(highlight=False, stderr=True, soft_wrap=True)  # one line per problem, never wrapped


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("check", help="validate the inventory, settings, credentials and records")
    p.add_argument("--inventory", type=Path, default=Path("inventory.yml"))
    p.add_argument("--settings", type=Path, default=Path("netkb.yml"))
    p.add_argument(
        "--records", type=Path, default=Path("."), help="folder holding inspections/, incidents/ (default: .)"
    )
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
    settings = Settings()  # the defaults check the records when the settings file is broken
    try:
        settings = load_settings(args.settings)
    except ConfigFileError as exc:
        problems += exc.problems
    records, record_problems = load_records(args.records / "inspections", devices, load_checklist())
    problems += record_problems
    rules = rules_from(devices, settings.sla.levels, settings.incident_categories, args.records / "runbooks")
    incidents, incident_problems = load_incidents(args.records / "incidents", rules)
    problems += incident_problems
    for problem in problems:
        console.print(f"netkb check: {problem}")
    if problems:
        console.print(f"{len(problems)} problem(s) found")
        return 1
    Console(highlight=False).print(
        f"ok: {len(devices)} devices, {len(records)} on-site inspection record(s), "
        f"{len(incidents)} incident record(s), settings valid"
    )
    return 0
