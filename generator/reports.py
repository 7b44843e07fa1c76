"""Service reports for a period (month, quarter, year): the figures, as a plain model.

`build_report` is pure: records, history and inventory in, a `ServiceReport` out. Pages and
`netkb report` render it; neither computes a figure of its own. Definitions:
- incidents are those *reported* in the period ([start, end) in the reports' time zone);
- SLA compliance is met / (met + missed) per target; pending, not applicable and unrecorded
  targets are counted apart, never as met;
- mean time to respond / repair is wall-clock time from `reported` to `responded` / `resolved`
  over the incidents that have it;
- the repeat rate is the share of the period's incidents that repeat an earlier one (repeats.py);
- config changes are device commits of kind `config` found in the period, per building and role;
- inspection coverage: inventory devices whose inspection (automatic run + on-site visit, see
  netkb/records/cycles.py) is not overdue at the end of the period (or now, for the running one);
- collection success: device attempts in the period's runs that did not fail; stale devices
  had no successful collection for `stale_days` before the end of the period.
- cost: the period's incidents and service requests priced by the settings' cost model
  (netkb/records/cost.py).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from netkb.generator.assets import AssetRow, asset_register, warranty_warnings
from netkb.generator.assets import as_of as as_of_date
from netkb.generator.model import History, RunFigures, RunSummary
from netkb.generator.pagecache import PageCache
from netkb.generator.periods import Period, PeriodKind
from netkb.generator.recommendations import recommend
from netkb.generator.repeats import repeat_rate
from netkb.generator.report_model import (
    AbnormalFinding,
    CollectionFigures,
    InspectionFigures,
    ServiceReport,
)
from netkb.generator.request_figures import request_figures
from netkb.generator.sla import compliance, evaluate
from netkb.inspection.checklist import Checklist
from netkb.inventory import DeviceEntry
from netkb.records.cost import period_cost
from netkb.records.cycles import last_inspection
from netkb.records.incidents import Incident
from netkb.records.onsite import OnsiteRecord
from netkb.records.requests import ServiceRequest
from netkb.settings import Settings


@dataclass
class _Tally:
    """Accumulates one abnormal item over the period's runs or visits."""

    devices: set[str] = field(default_factory=set)
    count: int = 0
    detail: str = ""
    suggestion: str = ""

    def add(self, devices: Iterable[str], detail: str, suggestion: str) -> None:
        self.devices.update(devices)
        self.count += 1
        self.detail, self.suggestion = detail, suggestion  # the latest wins


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


class RunIndex:
    """The runs read once for every report of a site (17 a year over a year of nightly runs on a
    thousand devices): runs by start time, and each device's successful collections, sorted.
    With the site's page cache, each run's figures are kept, so a nightly rebuild unpacks the
    night's run, not the year's."""

    def __init__(self, history: History, cache: PageCache | None = None) -> None:
        self.cache = cache or PageCache(None, "")
        self.runs = sorted(history.runs, key=lambda r: r.started)
        self.starts = [r.started for r in self.runs]
        self.collections = history.collections
        # Every device change by date: a report reads the changes of its period only.
        # Sorted by timestamp: comparing aware datetimes asks each for its offset (most of the sort).
        stamped = sorted(
            ((c.date.timestamp(), c.kind, name), c.date)
            for name, device in history.devices.items()
            for c in device.changes
        )
        self.changes = [(date, kind, name) for (_, kind, name), date in stamped]
        self.change_dates = [date for date, _, _ in self.changes]

    def figures(self, run: RunSummary) -> RunFigures:
        return self.cache.get(("run figures", run.path, run.sha), lambda: RunFigures.of(run))

    def state_before(self, end: dt.datetime) -> tuple[str, ...]:
        """What a report of a period ending at `end` reads of the history: the runs and changes
        before it, named by the last run's commit and the counts (a backdated import moves them)."""
        runs = bisect_left(self.starts, end)
        changes = bisect_left(self.change_dates, end)
        return (self.runs[runs - 1].sha if runs else "", str(runs), str(changes))

    def changes_between(self, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, str, str]]:
        return self.changes[bisect_left(self.change_dates, start) : bisect_left(self.change_dates, end)]

    def between(self, start: dt.datetime, end: dt.datetime) -> list[RunSummary]:
        return self.runs[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def reached(self, name: str, before: dt.datetime) -> list[dt.datetime]:
        """The device's successful collections before `before`."""
        found = self.collections.get(name)
        return found.ok_before(before) if found else []

    def last_reached(self, name: str, before: dt.datetime) -> dt.datetime | None:
        found = self.collections.get(name)
        return found.last_ok_before(before) if found else None

    def reached_between(self, name: str, start: dt.datetime, end: dt.datetime) -> bool:
        found = self.collections.get(name)
        return found.ok_between(start, end) if found else False


def _inspection(
    devices: list[DeviceEntry],
    index: RunIndex,
    onsite: list[OnsiteRecord],
    settings: Settings,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.datetime,
) -> InspectionFigures:
    abnormal: dict[tuple[str, str], _Tally] = {}  # (source, item) -> tally
    unknown: set[tuple[str, str]] = set()
    for run in index.between(start, min(end, as_of)):
        for name, finding in index.figures(run).findings:
            if finding.verdict == "unknown":
                unknown.add((name, finding.item))
            elif finding.verdict == "abnormal":
                abnormal.setdefault(("auto", finding.item), _Tally()).add(
                    [name], finding.detail, finding.suggestion
                )
    visits = [r for r in onsite if r.date <= as_of.date()]
    in_period = [r for r in visits if start.date() <= r.date < end.date()]
    for record in in_period:
        for item_id, item in record.items.items():
            if item.verdict.value == "abnormal":
                tally = abnormal.setdefault(("onsite", item_id), _Tally())
                tally.add(record.devices or record.rooms, item.note, "")
    overdue = []
    onsite_inspected = 0
    for d in devices:
        room = d.asset.room
        if any(r.covers(d.name, room) for r in in_period):
            onsite_inspected += 1
        months = settings.cycles.months_for(d.role)
        # Only a visited device can be complete: the others' runs need not be listed.
        runs = index.reached(d.name, as_of) if any(r.covers(d.name, room) for r in visits) else []
        last = last_inspection(d.name, runs, visits, months=months, room=room)
        if settings.cycles.overdue(d.role, last, as_of.date())[0]:
            overdue.append(d.name)
    findings = tuple(
        AbnormalFinding(item, source, tuple(sorted(t.devices)), t.count, t.detail, t.suggestion)
        for (source, item), t in sorted(abnormal.items(), key=lambda kv: (-len(kv[1].devices), kv[0]))
    )
    auto = sum(1 for d in devices if index.reached_between(d.name, start, min(end, as_of)))
    return InspectionFigures(
        len(devices),
        auto,
        onsite_inspected,
        len(devices) - len(overdue),
        tuple(overdue),
        findings,
        len(unknown),
    )


def _collection(
    devices: list[DeviceEntry], index: RunIndex, stale_days: int, start: dt.datetime, end: dt.datetime,
    as_of: dt.datetime,
) -> CollectionFigures:  # fmt: skip
    runs = [index.figures(r) for r in index.between(start, end)]
    attempts = sum(r.attempts for r in runs)
    failures: Counter[str] = Counter(name for r in runs for name in r.failed)
    limit = as_of - dt.timedelta(days=stale_days)
    stale = []
    for d in devices:
        last_ok = index.last_reached(d.name, as_of)
        if (last_ok is None or last_ok < limit) and not d.skipped_on(as_of.date()):  # skipped: not stale
            stale.append((d.name, last_ok))
    return CollectionFigures(
        len(runs), attempts, sum(failures.values()), dict(sorted(failures.items())), tuple(stale)
    )


def _trend(period: Period, incidents: Iterable[Incident], zone: str) -> tuple[tuple[str, int], ...]:
    tz = zoneinfo.ZoneInfo(zone)
    local = [i.reported.astimezone(tz).date() for i in incidents]
    if period.kind is PeriodKind.MONTH:
        counts = Counter(local)
        return tuple((f"{day.day:02d}", counts[day]) for day in period.days())
    by_month = Counter((d.year, d.month) for d in local)
    return tuple((f"{m.number:02d}", by_month[(m.year, m.number)]) for m in period.months())


def build_report(
    period: Period,
    *,
    incidents: list[Incident],
    history: History,
    devices: list[DeviceEntry],
    settings: Settings,
    onsite: list[OnsiteRecord] | None = None,
    checklist: Checklist | None = None,
    now: dt.datetime,
    index: RunIndex | None = None,
    assets: list[AssetRow] | None = None,
    requests: list[ServiceRequest] | None = None,
) -> ServiceReport:
    """The report of `period`; `incidents` are all records (earlier ones find repeats), `now` aware.
    Pass one `RunIndex` of the history to every report of a site: it is most of the cost."""
    index = index or RunIndex(history)
    start, end = period.bounds(settings.sla.time_zone)
    as_of = min(end, now)
    inside = [i for i in incidents if start <= i.reported < end]
    asked = [r for r in requests or [] if start <= r.received < end]  # the period's requests
    evaluated = [evaluate(i, settings.sla, now) for i in inside]
    rate, repeats = repeat_rate(incidents, start, end, settings.repeat_window_days, settings.repeat_target)
    changes = _changes(index, devices, start, end)
    inspection = _inspection(devices, index, onsite or [], settings, start, end, as_of)
    collection = _collection(devices, index, settings.stale_days, start, end, as_of)
    warnings = _warranty_warnings(assets, devices, history, settings, as_of.date())
    levels_sla = {
        lv: compliance([e for e in evaluated if e.incident.level == lv]) for lv in settings.sla.levels
    }
    report = ServiceReport(
        period=period,
        start=start,
        end=end,
        as_of=as_of,
        incidents=tuple(inside),
        by_level=_counted([i.level for i in inside], settings.sla.levels),
        by_category=_counted([i.category for i in inside], settings.incident_categories),
        open=sum(1 for i in inside if i.is_open),
        sla=tuple(evaluated),
        compliance=compliance(evaluated),
        compliance_by_level=levels_sla,
        mean_response=_mean([(i.responded - i.reported).total_seconds() for i in inside if i.responded]),
        mean_repair=_mean([(i.resolved - i.reported).total_seconds() for i in inside if i.resolved]),
        repeat_rate=rate,
        repeats=tuple(repeats),
        config_changes=changes.config,
        state_changes=changes.state,
        changes_by_building=dict(sorted(changes.by_building.items())),
        changes_by_role=dict(sorted(changes.by_role.items())),
        changes_by_device=dict(changes.by_device.most_common()),
        inspection=inspection,
        collection=collection,
        warranties=warnings,
        trend=_trend(period, inside, settings.sla.time_zone),
        recommendations=(),
        requests=request_figures(period, requests, settings, now) if requests else None,
        cost=period_cost(inside, settings.cost, settings.sla, _places(devices), asked),
    )
    return _with_recommendations(report, settings, checklist)


def _warranty_warnings(
    assets: list[AssetRow] | None,
    devices: list[DeviceEntry],
    history: History,
    settings: Settings,
    day: dt.date,
) -> tuple[AssetRow, ...]:
    """The warranties to warn about on the report's date (the site's register, read once, is moved
    to that date; without one the register is read here)."""
    if assets is None:
        assets = asset_register(devices, history, day, settings.warranty_warn_days)
    else:
        assets = as_of_date(assets, day, settings.warranty_warn_days)
    return tuple(warranty_warnings(assets))


def _places(devices: list[DeviceEntry]) -> dict[str, tuple[str, str]]:
    """Each device's building and role: the cost by building and by role."""
    return {d.name: (d.building, d.role) for d in devices}


def _counted(values: list[str], keys: Iterable[str]) -> dict[str, int]:
    """How many of `values` are each key, in the keys' order (a key no value has counts 0)."""
    counts = Counter(values)
    return {key: counts[key] for key in keys}


@dataclass
class _Changes:
    config: int = 0
    state: int = 0
    by_building: Counter[str] = field(default_factory=Counter)
    by_role: Counter[str] = field(default_factory=Counter)
    by_device: Counter[str] = field(default_factory=Counter)


def _changes(index: RunIndex, devices: list[DeviceEntry], start: dt.datetime, end: dt.datetime) -> _Changes:
    """The period's changes: state and config, config ones by building, role and device."""
    where = {d.name: d for d in devices}
    found = _Changes()
    for _, kind, name in index.changes_between(start, end):
        if kind == "state":
            found.state += 1
        elif kind == "config":
            found.config += 1
            entry = where.get(name)
            found.by_building[entry.building if entry else ""] += 1
            found.by_role[entry.role if entry else ""] += 1
            found.by_device[name] += 1
    return found


def _with_recommendations(
    report: ServiceReport, settings: Settings, checklist: Checklist | None
) -> ServiceReport:
    return replace(report, recommendations=tuple(recommend(report, settings, checklist)))
