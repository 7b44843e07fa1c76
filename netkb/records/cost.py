"""The cost of the service (成本管理): the settings' cost model and what each incident and each
period cost. Pure: records and settings in, figures out.

    cost:
      calendar: business          # working hours (5×8) vs out of hours: a calendar of settings sla
      rates:                      # per engineer hour, per fault level; other levels: default_rate
        P1: {working: 300, out_of_hours: 450}
      default_rate: {working: 200, out_of_hours: 300}
      difficulty:                 # the scale records name (`difficulty: 2`); the factor scales labour
        1: {zh: 简单, en: Simple, factor: 1.0}
        2: {zh: 一般, en: Moderate, factor: 1.25}
        3: {zh: 复杂, en: Complex, factor: 1.5}
      travel_per_trip: 50         # per trip; a record's travel expenses are added at cost

An incident's cost:
- labour: on-site hours at the rate of the time the engineer arrived (`onsite`), remote hours at
  the rate of the time of the first response (`responded`, else `reported`): the working rate when
  that time falls in the calendar's working hours, else the out-of-hours rate; times the factor
  of its difficulty (1 when it names none);
- parts at cost (the record's, else the ledger's unit cost, netkb/records/spares.py);
- travel: trips × travel_per_trip + expenses.
A period's cost is that of the incidents reported in it; by building and device role, the labour
and travel are shared equally among the incident's devices and each part goes to its device.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from netkb.records.effort import Money, device_of
from netkb.records.incidents import Incident
from netkb.records.service import ALWAYS, Calendar, SlaPolicy


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rate(_Strict):
    working: Money  # per engineer hour in the calendar's working hours
    out_of_hours: Money  # per engineer hour outside them


class DifficultyLevel(_Strict):
    zh: str
    en: str
    factor: Annotated[float, Field(gt=0, le=10)] = 1.0


def _keys_as_text(value: Any) -> Any:
    """`1: {…}` in YAML is a number key: the records' `difficulty: 1` is read as text too."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


def _default_rates() -> dict[str, Rate]:
    pairs = {"P1": (300, 450), "P2": (250, 375), "P3": (200, 300), "P4": (150, 225)}
    return {level: Rate(working=w, out_of_hours=o) for level, (w, o) in pairs.items()}


def _default_difficulty() -> dict[str, DifficultyLevel]:
    names = {"1": ("简单", "Simple", 1.0), "2": ("一般", "Moderate", 1.25), "3": ("复杂", "Complex", 1.5)}
    return {key: DifficultyLevel(zh=zh, en=en, factor=f) for key, (zh, en, f) in names.items()}


class CostPolicy(_Strict):
    calendar: str = "business"  # a calendar of settings sla (24x7: every hour is a working hour)
    rates: dict[str, Rate] = Field(default_factory=_default_rates)
    default_rate: Rate = Field(default_factory=lambda: Rate(working=200, out_of_hours=300))
    difficulty: Annotated[dict[str, DifficultyLevel], BeforeValidator(_keys_as_text)] = Field(
        default_factory=_default_difficulty
    )
    travel_per_trip: Money = 50.0

    def rate(self, level: str) -> Rate:
        return self.rates.get(level, self.default_rate)

    def factor(self, difficulty: str | None) -> float:
        found = self.difficulty.get(difficulty) if difficulty is not None else None
        return found.factor if found else 1.0


def policy_problems(policy: CostPolicy, sla: SlaPolicy) -> list[str]:
    """What the cost section names that the SLA section does not define."""
    known = {ALWAYS, *sla.calendars}
    problems = []
    if policy.calendar not in known:
        problems.append(
            f"cost.calendar: {policy.calendar!r} is not a calendar of sla ({', '.join(sorted(known))})"
        )
    problems += [
        f"cost.rates.{level}: not a level of sla.levels ({', '.join(sla.levels)})"
        for level in policy.rates
        if level not in sla.levels
    ]
    return problems


def working_time(calendar: Calendar | None, when: dt.datetime) -> bool:
    """Whether `when` falls in the calendar's working hours (None: 7×24, always)."""
    if calendar is None:
        return True
    local = when.astimezone(calendar.zone)
    minute = local.hour * 60 + local.minute
    return calendar.is_workday(local.date()) and any(start <= minute < end for start, end in calendar.hours)


@dataclass(frozen=True)
class IncidentCost:
    incident: Incident
    hours_working: float  # engineer hours at the working rate
    hours_out: float  # at the out-of-hours rate
    labour: float  # money, the difficulty factor applied
    parts: float
    travel: float

    @property
    def total(self) -> float:
        return self.labour + self.parts + self.travel

    @property
    def recorded(self) -> bool:
        """Whether the record says anything of its work (effort, parts or travel)."""
        i = self.incident
        return i.effort is not None or bool(i.parts) or i.travel is not None


def incident_cost(incident: Incident, policy: CostPolicy, sla: SlaPolicy) -> IncidentCost:
    calendar = sla.calendar(policy.calendar) if policy.calendar in {ALWAYS, *sla.calendars} else None
    rate = policy.rate(incident.level)
    working = out = 0.0
    effort = incident.effort
    if effort is not None:
        first = incident.responded or incident.reported
        for hours, start in ((effort.remote, first), (effort.onsite, incident.onsite or first)):
            if working_time(calendar, start):
                working += hours
            else:
                out += hours
    labour = (working * rate.working + out * rate.out_of_hours) * policy.factor(incident.difficulty)
    parts = sum((use.cost or 0.0 for use in incident.parts), 0.0)
    travel = incident.travel
    trips = travel.trips * policy.travel_per_trip + travel.expenses if travel is not None else 0.0
    return IncidentCost(incident, working, out, labour, parts, trips)


@dataclass(frozen=True)
class PeriodCost:
    incidents: tuple[IncidentCost, ...]  # reported in the period, by reported time
    by_category: dict[str, float]  # every category with a cost
    by_building: dict[str, float]  # "" = no building / not in the inventory
    by_role: dict[str, float]

    @property
    def total(self) -> float:
        return sum(c.total for c in self.incidents)

    @property
    def labour(self) -> float:
        return sum(c.labour for c in self.incidents)

    @property
    def parts(self) -> float:
        return sum(c.parts for c in self.incidents)

    @property
    def travel(self) -> float:
        return sum(c.travel for c in self.incidents)

    @property
    def hours(self) -> float:
        return sum(c.hours_working + c.hours_out for c in self.incidents)

    @property
    def hours_out(self) -> float:
        return sum(c.hours_out for c in self.incidents)

    @property
    def recorded(self) -> int:
        """Incidents that record their work (the others cost nothing here)."""
        return sum(1 for c in self.incidents if c.recorded)


def _shares(cost: IncidentCost) -> dict[str, float]:
    """Device -> its share: labour and travel equally, each part to its device."""
    devices = cost.incident.devices
    shares: dict[str, float] = defaultdict(float)
    for name in devices:
        shares[name] += (cost.labour + cost.travel) / len(devices)
    for use in cost.incident.parts:
        shares[device_of(use, devices)] += use.cost or 0.0
    return shares


def period_cost(
    incidents: Iterable[Incident],
    policy: CostPolicy,
    sla: SlaPolicy,
    where: Mapping[str, tuple[str, str]],
) -> PeriodCost:
    """The cost of `incidents` (those of the period); `where`: device -> (building, role)."""
    costs = tuple(incident_cost(i, policy, sla) for i in sorted(incidents, key=lambda i: (i.reported, i.id)))
    category: dict[str, float] = defaultdict(float)
    building: dict[str, float] = defaultdict(float)
    role: dict[str, float] = defaultdict(float)
    for cost in costs:
        if cost.total:
            category[cost.incident.category] += cost.total
        for name, share in _shares(cost).items():
            if share:
                place, kind = where.get(name, ("", ""))
                building[place] += share
                role[kind] += share
    return PeriodCost(
        costs,
        dict(sorted(category.items())),
        dict(sorted(building.items())),
        dict(sorted(role.items())),
    )
