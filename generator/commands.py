"""`netkb generate`: write the site's Markdown tree and its mkdocs.yml."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from rich.console import Console

from netkb import site_config
from netkb.cli_args import add_project_arguments, records_folder
from netkb.generator.generate import generate
from netkb.inventory import load_inventory_cached

# Not wrapped at 80 columns in logs: a nightly job's lines stay whole.
console = Console(highlight=False, soft_wrap=True)
steps = Console(highlight=False, soft_wrap=True, stderr=True, style="dim")  # progress; stdout: the result


def _instant(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.astimezone()


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("generate", help="write the site's Markdown tree from the snapshot repository")
    add_project_arguments(p)
    p.add_argument(
        "--build", type=Path, default=Path("build"), help="output: docs/, mkdocs.yml, cache/ (default: build)"
    )
    p.add_argument(
        "--site", type=Path, default=Path("site"), help="where `mkdocs build` writes the site (default: site)"
    )
    p.add_argument(
        "--now", type=_instant, help="the moment the site is generated for (default: now), ISO 8601"
    )
    p.set_defaults(handler=run)


def team_pages(root: Path) -> Path | None:
    """`docs/` next to the team's own mkdocs.yml (netkb/site_config.py), if they have one."""
    return root / site_config.PAGES_FOLDER if (root / site_config.FILE_NAME).is_file() else None


def run(args: argparse.Namespace) -> int:
    from netkb.project import find_project, inventory_said, project_settings

    project = find_project()
    inventory = load_inventory_cached(
        args.inventory or inventory_said(project, say=console.print), args.build / "cache"
    )
    settings, _ = project_settings(args.settings, project)
    pages = team_pages(project.root)
    result = generate(
        inventory,
        settings,
        records=records_folder(args.records, project),
        build=args.build,
        site_dir=args.site,
        now=args.now,
        progress=lambda step: steps.print(f"netkb generate: {step}"),
        team_pages=pages,
    )
    build_command = "mkdocs build" if pages is not None else f"mkdocs build -f {args.build / 'mkdocs.yml'}"
    console.print(
        f"{result.pages} pages in {args.build / 'docs'} ({result.written} written, {result.removed} removed) "
        f"from {result.head[:10] or 'an empty repository'} in {result.seconds:.1f} s; "
        f"build the site with: {build_command}"
    )
    return 0
