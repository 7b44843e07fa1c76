"""`generate`: the snapshot history, the inventory and the records -> the Markdown tree.

Read everything, compute the site model, render every page in memory, then write (principle
1): a bad record stops the generation before anything is written, with every problem listed.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from netkb.generator.cache import load_or_build
from netkb.generator.mkdocs_config import mkdocs_config
from netkb.generator.pagecache import PageCache, names_digest, site_salt
from netkb.generator.pages import (
    assets,
    baseline,
    buildings,
    changes,
    config_search,
    device_status,
    devices,
    feed,
    home,
    incidents,
    inspections,
    planned_changes,
    reports,
    requests,
    runbooks,
    topology,
)
from netkb.generator.pages.baseline_trend import attach as attach_baseline
from netkb.generator.pages.spares import attach_spares
from netkb.generator.service_pages import attach_service
from netkb.generator.site import Site, build_site
from netkb.generator.tree import write_tree
from netkb.inventory import ConfigFileError, Inventory
from netkb.records.handwritten import read_records, runbooks_folder
from netkb.records.runbooks import attachments
from netkb.settings import Settings

PAGE_KINDS: list[Callable[[Site], dict[str, str]]] = [
    home.render_pages,
    devices.render_pages,
    device_status.render_pages,
    buildings.render_pages,
    changes.render_pages,
    inspections.render_pages,
    runbooks.render_pages,
    config_search.render_pages,
    incidents.render_pages,
    planned_changes.render_pages,
    requests.render_pages,
    assets.render_pages,
    reports.render_pages,
    feed.render_pages,
    baseline.render_pages,
    topology.render_pages,
]
STATIC = ["netkb.css", "search-segment.js", "device-filter.js"]


@dataclass(frozen=True)
class Generated:
    pages: int
    written: int
    removed: int
    seconds: float
    head: str


# Settings only the collector reads (tests/generator/test_pagecache.py checks that the generator
# names none of them): a change to them leaves every rendered page valid. Any other setting,
# including one added later, invalidates the pages.
COLLECTOR_ONLY = frozenset(
    {
        "workers",
        "timeouts",
        "retries",
        "retry_backoff",
        "shrink_threshold",
        "author",
        "redaction_key_file",
        "cache_dir",
        "sealed_recipients",
        "notifications",
    }
)


def page_salt(settings: Settings, device_names: list[str]) -> str:
    """What every cached page may have read besides its own key: the settings the site reads and
    the device names (a page links devices that exist)."""
    return site_salt(settings.model_dump_json(exclude=set(COLLECTOR_ONLY)), names_digest(device_names))


def load_site(
    inventory: Inventory, settings: Settings, records: Path, cache_dir: Path, now: dt.datetime
) -> Site:
    """Everything the pages show, validated; RecordError lists every problem of every record."""
    models = {d.name: d.model for d in inventory.devices}
    written = read_records(set(models), settings, records, models).valid()
    repo = Path(settings.snapshot_repo)
    if not (repo / ".git").exists():
        raise ConfigFileError([f"{repo}: no snapshot repository yet; run `netkb collect` first"])
    history = load_or_build(repo, cache_dir)
    # The model lives as long as the process: without this, every full collection while the
    # pages are rendered would walk its million objects again (a second or more, at random).
    gc.freeze()
    site = build_site(
        history,
        inventory,
        settings,
        now=now,
        checklist=written.checklist,
        runbooks=written.runbooks,
        onsite=written.onsite,
    )
    site = replace(site, pages=PageCache(cache_dir / "pages.pickle", page_salt(settings, [*site.devices])))
    attach_service(site, written.incidents, written.requests)
    attach_spares(site, written.spares)  # the ledger's home and device sections
    planned_changes.attach(site, written.planned_changes)  # verdicts, home/device/run sections
    site.extras["waivers"] = written.waivers  # the baseline pages (generator/pages/baseline.py)
    attach_baseline(site, cache_dir)  # its verdicts by config blob; the building pages' section
    return site


def render_site(site: Site) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for render in PAGE_KINDS:
        files.update(render(site))
    static = resources.files("netkb.generator").joinpath("static")
    for name in STATIC:
        files[f"assets/netkb/{name}"] = static.joinpath(name).read_bytes()
    return files


def _runbook_assets(settings: Settings, records: Path) -> dict[str, str | bytes]:
    """Images and other files next to the runbooks, copied as they are (runbooks.ATTACHMENTS)."""
    folder = runbooks_folder(settings, records)  # the settings may name a shared library
    kept, _ = attachments(folder, settings.trust_raw_html)  # the others are problems of read_records
    return {f"runbooks/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in kept}


def _team_pages(folder: Path, netkb_files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """The team's own pages and files (`docs/` next to their mkdocs.yml), copied as they are: they
    are the team's like their mkdocs.yml, so not sanitized. A path netkb writes itself is refused."""
    found = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
    clashes = [
        f"{path}: netkb writes {rel} itself; move your page elsewhere (e.g. {folder.name}/team/{path.name})"
        for rel, path in found.items()
        if rel in netkb_files
    ]
    if clashes:
        raise ConfigFileError(clashes)
    return {rel: path.read_bytes() for rel, path in found.items()}


def generate(
    inventory: Inventory,
    settings: Settings,
    *,
    records: Path,
    build: Path,
    site_dir: Path,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    team_pages: Path | None = None,
) -> Generated:
    """The tree in `build/docs`; `progress` is told each step as it starts (the first generation
    on years of history reads every commit, which takes minutes). `team_pages`: the folder of
    the team's own pages, copied into the tree."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    now = now or dt.datetime.now().astimezone()
    cache = build / "cache"
    say(
        f"reading the records and the history of {settings.snapshot_repo} "
        f"(only the commits {cache} does not hold yet)"
    )
    site = load_site(inventory, settings, records, cache, now)
    history = site.history
    say(
        f"history up to {history.head[:10] or '(no commit)'}: {len(history.runs)} runs, "
        f"{len(site.devices)} devices ({time.perf_counter() - started:.1f} s); rendering the pages"
    )
    files = render_site(site)
    files.update(_runbook_assets(settings, records))
    if team_pages is not None and team_pages.is_dir():
        files.update(_team_pages(team_pages, files))
    pages = sum(1 for p in files if p.endswith(".md"))
    say(f"{pages} pages rendered ({time.perf_counter() - started:.1f} s); writing the changed ones")
    written, removed = write_tree(build / "docs", files)
    site.pages.save()
    config = mkdocs_config(
        site.strings,
        settings.site_name or str(site.strings("site_name")),
        build,
        site_dir,
        trust_raw_html=settings.trust_raw_html,
    )
    write_tree_file(build / "mkdocs.yml", config)
    return Generated(pages, written, removed, time.perf_counter() - started, site.history.head)


def write_tree_file(path: Path, content: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
