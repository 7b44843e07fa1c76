"""`netkb check`: validate everything people write by hand, every error at once.

The inventory, the settings (a settings file named by --settings must exist), the credential
profiles the inventory names (a credentials_file it names must exist, unless the environment
holds every profile), and every record — on-site inspections, runbooks and their attachments,
incidents — read by the same loader as `inspect`, `generate` and `report`
(netkb/records/handwritten.py): when check passes, none of them refuses the records. The
team's own mkdocs.yml, when the project has one, is checked for what netkb's pages need
(netkb/site_config.py). The default files are the project's (netkb/project.py). Exit status 1
on any error.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from rich.console import Console

from netkb import site_config
from netkb.cli_args import add_project_arguments, records_folder
from netkb.credentials import load_credentials
from netkb.inventory import ConfigFileError, Inventory, load_inventory
from netkb.project import INVENTORY_NAME, find_project, project_settings
from netkb.records.handwritten import read_records
from netkb.settings import Settings

console = Console(highlight=False, stderr=True, soft_wrap=True)  # one line per problem, never wrapped


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("check", help="validate the inventory, settings, credentials and records")
    add_project_arguments(p)
    p.set_defaults(handler=run)


def expired_skips(inventory: Inventory, path: Path, today: dt.date) -> list[str]:
    """A line for each device whose `skip` has ended: collected again, which may be a surprise."""
    return [
        f"{path}: devices[{i}].skip.until: {d.skip.until} has passed, so {d.name} is collected again; "
        "remove the skip, or move its date"
        for i, d in enumerate(inventory.devices)
        if d.skip and d.skip.until and d.skip.until < today
    ]


def run(args: argparse.Namespace) -> int:
    problems: list[str] = []
    devices: set[str] = set()
    models: dict[str, str] = {}
    project = find_project()
    inventory_path = args.inventory or project.path(INVENTORY_NAME)
    folder = records_folder(args.records, project)
    try:
        inventory = load_inventory(inventory_path)
        devices = {d.name for d in inventory.devices}
        models = {d.name: d.model for d in inventory.devices}  # the ledger checks parts fit them
        for warning in expired_skips(inventory, inventory_path, dt.date.today()):
            console.print(f"netkb check: warning: {warning}")
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
    written = read_records(devices, settings, folder, models)
    problems += written.problems
    team_site = project.path(site_config.FILE_NAME)
    if team_site.is_file():
        problems += site_config.problems(team_site)
    for problem in problems:
        console.print(f"netkb check: {problem}")
    if problems:
        console.print(f"{len(problems)} problem(s) found")
        return 1
    Console(highlight=False, soft_wrap=True).print(
        f"ok: {len(devices)} devices, {len(written.onsite)} on-site inspection record(s), "
        f"{len(written.runbooks)} runbook(s), {len(written.incidents)} incident record(s), "
        + (f"settings valid ({settings_file})" if settings_file else "no settings file: the defaults")
    )
    return 0
