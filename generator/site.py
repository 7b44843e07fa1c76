"""The site's model: the snapshot history joined with the inventory, the records and the settings.

Everything the pages show is computed here once, from plain data (principle 1): a device view
per device (inventory facts, what the device reports, its runs, its runbooks, its inspection
status), the home page's lists. The pages only lay it out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from netkb.generator.model import Change, Collections, DeviceHistory, DeviceRun, History, RunSummary
from netkb.generator.pagecache import PageCache
from netkb.i18n import Strings
from netkb.inspection.checklist import Checklist
from netkb.inventory import DeviceEntry, Inventory, Skip
from netkb.records.cycles import last_inspection
from netkb.records.onsite import OnsiteRecord
from netkb.records.runbooks import Runbook
from netkb.settings import Settings

HEALTH_RUNS = 30  # runs summarised on a device page


# A shard's record is named <stamp>-shard<k>of<n>.json (collector/runrecord.py).
_SHARD = re.compile(r"-shard(\d+)of(\d+)\.json$")
# Shards of one night start within this of each other (parallel CI jobs, queued or retried).
NIGHT = dt.timedelta(hours=12)


def shard_of(run: RunSummary) -> tuple[int, int] | None:
    """(k, n) of a shard's record, None for a run of every device."""
    found = _SHARD.search(run.path)
    return (int(found.group(1)), int(found.group(2))) if found else None


@dataclass(frozen=True)
class LastCollection:
    runs: list[RunSummary]  # by shard
    shards: int = 0  # how many shards the night was split into (0: not sharded)

    @property
    def missing(self) -> list[int]:
        """The shards without a record of the night: their devices were not collected."""
        found = {k for k, _ in filter(None, (shard_of(r) for r in self.runs))}
        return [k for k in range(1, self.shards + 1) if k not in found]


def last_collection(runs: list[RunSummary]) -> LastCollection:
    """The newest run, and when it is a shard's, the newest record of each other shard of that night."""
    if not runs:
        return LastCollection([])
    newest = runs[-1]
    shard = shard_of(newest)
    if shard is None:
        return LastCollection([newest])
    found = {shard[0]: newest}
    for run in reversed(runs[:-1]):
        other = shard_of(run)
        if newest.started - run.started > NIGHT or other is None or other[1] != shard[1]:
            break
        found.setdefault(other[0], run)
        if len(found) == shard[1]:
            break
    return LastCollection([found[k] for k in sorted(found)], shard[1])


@dataclass(frozen=True)
class RunPoint:
    run: RunSummary
    result: DeviceRun


@dataclass(frozen=True)
class InspectionStatus:
    last_complete: dt.date | None
    due: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class DeviceView:
    name: str
    entry: DeviceEntry | None  # None: in the snapshot repository only
    history: DeviceHistory
    platform: str
    role: str
    building: str
    model: str
    serial: str
    software: str
    recent_runs: list[RunPoint]  # the last HEALTH_RUNS runs that tried the device, oldest first
    runs_tried: int
    runs_failed: int
    last_ok: dt.datetime | None
    runbooks: list[Runbook]
    inspection: InspectionStatus

    @property
    def mgmt_ip(self) -> str:
        return self.entry.mgmt_ip or self.entry.host if self.entry else ""

    @property
    def page(self) -> str:
        return device_page(self.name)


def device_page(name: str) -> str:
    """The device page's path in the tree (names are validated: letters, digits, '.', '_', '-')."""
    return f"devices/{name}.md"


@dataclass(frozen=True)
class Site:
    history: History
    inventory: Inventory
    settings: Settings
    strings: Strings
    now: dt.datetime  # aware; "today" for stale and overdue
    checklist: Checklist
    runbooks: list[Runbook]
    onsite: list[OnsiteRecord]
    devices: dict[str, DeviceView]  # inventory order first, then history-only devices by name
    stale_days: int = 3
    extras: dict[str, Any] = field(default_factory=dict)  # later sections (incidents, assets, reports)
    pages: PageCache = field(default_factory=lambda: PageCache(None, ""))  # see generator/pagecache.py

    @property
    def last_runs(self) -> LastCollection:
        """The last collection: the newest run record, with the other shards' records of the same
        night when it is one shard's (CI collects shards in parallel jobs, each with its record)."""
        return last_collection(self.history.runs)

    def stale(self) -> list[DeviceView]:
        """Devices in the inventory not collected successfully for more than `stale_days` days."""
        return [d for d in self.devices.values() if d.name in self.stale_names]

    @cached_property
    def changes_newest_first(self) -> list[tuple[DeviceView, Change]]:
        """Every change of every device, newest first (ties by device name). Sorted by timestamp:
        comparing aware datetimes asks each for its offset, most of a year's sort."""
        found = [(d, c) for d in self.devices.values() for c in d.history.changes]
        found.sort(key=lambda pair: (pair[1].date.timestamp(), pair[0].name), reverse=True)
        return found

    @cached_property
    def item_labels(self) -> dict[str, str]:
        """Each checklist item's name in the site's language (looked up for every finding shown)."""
        language, thresholds = self.settings.language, self.settings.thresholds
        return {i.id: self.checklist.texts(i.id, language, thresholds).item for i in self.checklist.items}

    @cached_property
    def stale_names(self) -> frozenset[str]:
        limit = self.now - dt.timedelta(days=self.stale_days)
        return frozenset(
            d.name
            for d in self.devices.values()
            if d.entry and (d.last_ok is None or d.last_ok < limit) and d.name not in self.skipped
        )

    @cached_property
    def skipped(self) -> dict[str, Skip]:
        """Devices the inventory leaves out of collection today (`skip`), with their skip."""
        day = self.now.date()
        return {
            d.name: d.entry.skip
            for d in self.devices.values()
            if d.entry and d.entry.skip and d.entry.skipped_on(day)
        }


def _reported(state: dict[str, Any]) -> tuple[str, str, str]:
    """(model, serial, software) as the device reports them, "" where it does not."""
    raw = state.get("version")
    version: dict[str, Any] = raw if isinstance(raw, dict) else {}
    model = str(version.get("model") or "")
    software = str(version.get("software") or "")
    serial = str(version.get("serial") or "")
    for row in state.get("manuinfo") or []:
        if isinstance(row, dict) and not serial and "chassis" in str(row.get("slot", "")).lower():
            serial = str(row.get("serial") or "")
    if not serial:
        rows = [r for r in state.get("manuinfo") or [] if isinstance(r, dict) and r.get("serial")]
        serial = str(rows[0]["serial"]) if rows else ""
    return model, serial, software


def build_site(
    history: History,
    inventory: Inventory,
    settings: Settings,
    *,
    now: dt.datetime,
    checklist: Checklist,
    runbooks: list[Runbook],
    onsite: list[OnsiteRecord],
) -> Site:
    per_device = _recent_points(history)
    names = [d.name for d in inventory.devices] + sorted(
        set(history.devices) - {d.name for d in inventory.devices}
    )
    entries, today = {d.name: d for d in inventory.devices}, now.date()
    devices = {
        name: _device_view(name, entries.get(name), history, settings, per_device, runbooks, onsite, today)
        for name in names
    }
    return Site(
        history=history,
        inventory=inventory,
        settings=settings,
        strings=Strings(settings.language),
        now=now,
        checklist=checklist,
        runbooks=runbooks,
        onsite=onsite,
        devices=devices,
        stale_days=settings.stale_days,
    )


def _recent_points(history: History) -> dict[str, list[RunPoint]]:
    """Each device's last HEALTH_RUNS run points, oldest first. Only the recent points, newest
    run first: usually the last HEALTH_RUNS runs are all that is unpacked (a year of nightly runs
    on a thousand devices is 365,000 points)."""
    counts = history.collections
    wanted = {name: min(c.tried, HEALTH_RUNS) for name, c in counts.items()}
    per_device: dict[str, list[RunPoint]] = defaultdict(list)
    for run in reversed(history.runs):
        if not wanted:
            break
        for name, result in run.devices.items():
            points = per_device[name]
            if len(points) < HEALTH_RUNS:
                points.append(RunPoint(run, result))
                if len(points) >= wanted.get(name, 0):
                    wanted.pop(name, None)
    for points in per_device.values():
        points.reverse()  # oldest first
    return per_device


def _device_view(
    name: str,
    entry: DeviceEntry | None,
    history: History,
    settings: Settings,
    per_device: dict[str, list[RunPoint]],
    runbooks: list[Runbook],
    onsite: list[OnsiteRecord],
    today: dt.date,
) -> DeviceView:
    """One device as the pages show it: the inventory's entry joined with its history."""
    dev_history = history.devices.get(name) or DeviceHistory(name=name)
    model, serial, software = _reported(dev_history.state)
    platform = entry.platform.value if entry else ""
    role = entry.role if entry else ""
    model = model or (entry.model if entry else "")
    months = settings.cycles.months_for(role)
    collections = history.collections.get(name) or Collections()
    room = entry.asset.room if entry else None
    visited = any(r.covers(name, room) for r in onsite)  # else the runs need not be listed
    ok_dates = collections.ok_before() if visited else []
    last = last_inspection(name, ok_dates, onsite, months=months, room=room)
    late, due = settings.cycles.overdue(role, last, today)
    return DeviceView(
        name=name,
        entry=entry,
        history=dev_history,
        platform=platform,
        role=role,
        building=entry.building if entry else "",
        model=model,
        serial=serial or (entry.serial if entry else ""),
        software=software,
        recent_runs=per_device.get(name, [])[-HEALTH_RUNS:],
        runs_tried=collections.tried,
        runs_failed=collections.failed,
        last_ok=collections.last_ok,
        runbooks=[r for r in runbooks if r.applies_to(name, platform, role, model)],
        inspection=InspectionStatus(last, due, late and entry is not None),
    )
