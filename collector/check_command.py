"""`netkb check`: validate everything people write by hand, every error at once.

The inventory, the settings (a settings file named by --settings must exist), the credential
profiles the inventory names (a credentials_file it names must exist, unless the environment
holds every profile), the on-site inspection records and the incident records. The default
files are the project's (netkb/project.py). Exit status 1 on any error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from netkb.credentials import load_credentials
from netkb.inspection.checklist import load_checklist
from netkb.inventory import ConfigFileError, load_inventory
from netkb.project import INVENTORY_NAME, find_project, project_settings
from netkb.records.incidents import load_incidents, rules_from
from netkb.records.onsite import load_records
from netkb.settings import Settings

console = Console(highlight=False, stderr=True, soft_wrap=True)  # one line per problem, never wrapped


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("check", help="validate the inventory, settings, credentials and records")
    p.add_argument("--inventory", type=Path, help="inventory file (default: the project's inventory.yml)")
    p.add_argument(
        "--settings", type=Path, help="settings file, which must exist (default: the project's netkb.yml)"
    )
    p.add_argument(
        "--records",
        type=Path,
        help="folder holding inspections/, incidents/, runbooks/ (default: the project's folder)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problems: list[str] = []
    devices: set[str] = set()
    project = find_project()
    inventory_path = args.inventory or project.path(INVENTORY_NAME)
    records_folder = args.records or project.path(".")
    try:
        inventory = load_inventory(inventory_path)
        devices = {d.name for d in inventory.devices}
        if inventory.credentials_file:
            # A named file that is missing is reported (unless the environment holds every profile).
            creds = inventory_path.parent / inventory.credentials_file
            load_credentials(creds, {d.credentials for d in inventory.devices})
    except ConfigFileError as exc:
        problems += exc.problems
    settings, settings_file = Settings(), None  # the defaults check the records when settings are broken
    try:
        settings, settings_file = project_settings(args.settings, project)
    except ConfigFileError as exc:
        problems += exc.problems
    records, record_problems = load_records(records_folder / "inspections", devices, load_checklist())
    problems += record_problems
    rules = rules_from(
        devices, settings.sla.levels, settings.incident_categories, records_folder / "runbooks"
    )
    incidents, incident_problems = load_incidents(records_folder / "incidents", rules)
    problems += incident_problems
    for problem in problems:
        console.print(f"netkb check: {problem}")
    if problems:
        console.print(f"{len(problems)} problem(s) found")
        return 1
    Console(highlight=False).print(
        f"ok: {len(devices)} devices, {len(records)} on-site inspection record(s), "
        f"{len(incidents)} incident record(s), "
        + (f"settings valid ({settings_file})" if settings_file else "no settings file: the defaults")
    )
    return 0
