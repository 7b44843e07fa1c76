"""The options every subcommand that reads a project shares, with one meaning each.

--inventory, --settings and --records default to the project's (netkb/project.py: the folder
holding netkb.yml, searched upward from here, or NETKB_PROJECT); a file named explicitly must
exist.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from netkb.project import Project


def add_project_arguments(p: argparse.ArgumentParser, *, records: bool = True) -> None:
    p.add_argument(
        "--inventory",
        type=Path,
        help="inventory file (default: the project's inventory.yml, else the running lab's)",
    )
    p.add_argument(
        "--settings",
        type=Path,
        help="settings file, which must exist (default: the project's netkb.yml; none: the defaults)",
    )
    if records:
        p.add_argument(
            "--records",
            type=Path,
            help="folder holding inspections/, runbooks/, incidents/ (default: the project's folder)",
        )


def records_folder(explicit: Path | None, project: Project) -> Path:
    return explicit if explicit is not None else project.root
