"""What a service report holds (reports.py computes it, recommendations.py reads it, pages and
`netkb report` render it): plain frozen data, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netkb.generator.assets import AssetRow
from netkb.generator.periods import Period
from netkb.generator.repeats import Repeat, RepeatRate
from netkb.generator.request_figures import RequestFigures
from netkb.generator.sla import Compliance, IncidentSla
from netkb.records.cost import PeriodCost
from netkb.records.incidents import Incident
from netkb.records.service import TargetKind


@dataclass(frozen=True)
class Recommendation:
    rule: str  # stable key: sla_missed, open_incidents, repeats, finding:<item>, …
    zh: str
    en: str
    devices: tuple[str, ...] = ()


@dataclass(frozen=True)
class AbnormalFinding:
    item: str  # checklist item id
    source: str  # auto (collect) / onsite (inspections/*.md)
    devices: tuple[str, ...]
    occurrences: int  # runs (or visits) that found it
    detail: str  # the latest one's detail
    suggestion: str  # the latest one's suggestion (English; pages use the checklist's texts)


@dataclass(frozen=True)
class InspectionFigures:
    devices: int  # in the inventory
    auto_inspected: int  # read by at least one collect in the period
    onsite_inspected: int  # visited (an on-site record) in the period
    up_to_date: int  # inspection not overdue at the end of the period
    overdue: tuple[str, ...]
    abnormal: tuple[AbnormalFinding, ...]
    unknown: int  # (device, item) pairs found unknown: data the collect could not read

    @property
    def coverage(self) -> float | None:
        return self.up_to_date / self.devices if self.devices else None


@dataclass(frozen=True)
class CollectionFigures:
    runs: int
    attempts: int  # device collections tried
    failed: int
    failures: dict[str, int]  # device -> failed attempts in the period
    stale: tuple[tuple[str, dt.datetime | None], ...]  # device, last successful collection

    @property
    def success(self) -> float | None:
        return (self.attempts - self.failed) / self.attempts if self.attempts else None


@dataclass(frozen=True)
class ServiceReport:
    period: Period
    start: dt.datetime
    end: dt.datetime
    as_of: dt.datetime  # the period's end, or now for the running period
    incidents: tuple[Incident, ...]
    by_level: dict[str, int]  # every level of the settings, zeros included
    by_category: dict[str, int]  # every category of the settings, zeros included
    open: int
    sla: tuple[IncidentSla, ...]
    compliance: dict[TargetKind, Compliance]
    compliance_by_level: dict[str, dict[TargetKind, Compliance]]
    mean_response: float | None  # seconds
    mean_repair: float | None
    repeat_rate: RepeatRate
    repeats: tuple[Repeat, ...]
    config_changes: int
    state_changes: int
    changes_by_building: dict[str, int]  # "" = not in the inventory / no building
    changes_by_role: dict[str, int]
    changes_by_device: dict[str, int]
    inspection: InspectionFigures
    collection: CollectionFigures
    warranties: tuple[AssetRow, ...]
    trend: tuple[tuple[str, int], ...]  # incidents per day (month) or per month (quarter, year)
    recommendations: tuple[Recommendation, ...]
    requests: RequestFigures | None = None  # service requests (request_figures.py); None: no request records
    cost: PeriodCost | None = None  # incidents' and requests' cost (records/cost.py)
