"""The cost of the service (成本管理): the settings' cost model and what each incident, each service
request and each period cost. Pure: records and settings in, figures out.

    cost:
      calendar: business          # working hours (5×8) vs out of hours: a calendar of settings sla
      rates:                      # per engineer hour, per fault level; other levels: default_rate
        P1: {working: 300, out_of_hours: 450}
      default_rate: {working: 200, out_of_hours: 300}
      request_rates:              # per service request type; other types: default_rate
        new_port: {working: 150, out_of_hours: 225}
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
A service request's cost is reckoned the same way at the rate of its type (`request_rates`, else
`default_rate`), all its hours at the rate of the time it was dispatched (else received): it has
no on-site time of its own.
A period's cost is that of the incidents reported and the requests received in it, by kind
(incident or request), incident category and request type. By device role, the labour and travel
are shared equally among the record's devices and each part goes to its device (a request that
names no device: no role); by building, an incident's shares go to its devices' buildings and a
request's whole cost to the building it names.
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
from netkb.records.requests import ServiceRequest
from netkb.records.service import ALWAYS, Calendar, SlaPolicy

INCIDENT, REQUEST = "incident", "request"  # the kinds of ticket a period's cost is split into


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
    request_rates: dict[str, Rate] = Field(default_factory=dict)  # per request type

    def rate(self, level: str) -> Rate:
        return self.rates.get(level, self.default_rate)

    def request_rate(self, kind: str) -> Rate:
        return self.request_rates.get(kind, self.default_rate)

    def factor(self, difficulty: str | None) -> float:
        found = self.difficulty.get(difficulty) if difficulty is not None else None
        return found.factor if found else 1.0


def policy_problems(policy: CostPolicy, sla: SlaPolicy, request_types: Iterable[str] = ()) -> list[str]:
    """What the cost section names that the SLA and request sections do not define."""
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
    types = list(request_types)
    problems += [
        f"cost.request_rates.{kind}: not a type of requests.types ({', '.join(types)})"
        for kind in policy.request_rates
        if kind not in types
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
class TicketCost:
    record: Incident | ServiceRequest
    hours_working: float  # engineer hours at the working rate
    hours_out: float  # at the out-of-hours rate
    labour: float  # money, the difficulty factor applied
    parts: float
    travel: float

    @property
    def total(self) -> float:
        return self.labour + self.parts + self.travel

    @property
    def kind(self) -> str:
        return INCIDENT if isinstance(self.record, Incident) else REQUEST

    @property
    def category(self) -> str:
        """An incident's category, a request's type."""
        return self.record.category if isinstance(self.record, Incident) else self.record.type

    @property
    def recorded(self) -> bool:
        """Whether the record says anything of its work (effort, parts or travel)."""
        r = self.record
        return r.effort is not None or bool(r.parts) or r.travel is not None


def _priced(
    record: Incident | ServiceRequest,
    rate: Rate,
    policy: CostPolicy,
    sla: SlaPolicy,
    hours: Iterable[tuple[float, dt.datetime]],
) -> TicketCost:
    """`hours`: (engineer hours, when they started): the working or out-of-hours rate of that time."""
    calendar = sla.calendar(policy.calendar) if policy.calendar in {ALWAYS, *sla.calendars} else None
    working = out = 0.0
    for amount, start in hours:
        if working_time(calendar, start):
            working += amount
        else:
            out += amount
    labour = (working * rate.working + out * rate.out_of_hours) * policy.factor(record.difficulty)
    parts = sum((use.cost or 0.0 for use in record.parts), 0.0)
    travel = record.travel
    trips = travel.trips * policy.travel_per_trip + travel.expenses if travel is not None else 0.0
    return TicketCost(record, working, out, labour, parts, trips)


def incident_cost(incident: Incident, policy: CostPolicy, sla: SlaPolicy) -> TicketCost:
    effort = incident.effort
    first = incident.responded or incident.reported
    hours = [(effort.remote, first), (effort.onsite, incident.onsite or first)] if effort else []
    return _priced(incident, policy.rate(incident.level), policy, sla, hours)


def request_cost(request: ServiceRequest, policy: CostPolicy, sla: SlaPolicy) -> TicketCost:
    effort = request.effort
    first = request.dispatched or request.received
    hours = [(effort.hours, first)] if effort else []
    return _priced(request, policy.request_rate(request.type), policy, sla, hours)


@dataclass(frozen=True)
class PeriodCost:
    incidents: tuple[TicketCost, ...]  # reported in the period, by reported time
    requests: tuple[TicketCost, ...]  # received in the period, by received time
    by_kind: dict[str, float]  # INCIDENT and REQUEST, both always
    by_category: dict[str, float]  # every incident category with a cost
    by_type: dict[str, float]  # every request type with a cost
    by_building: dict[str, float]  # "" = no building / not in the inventory
    by_role: dict[str, float]

    @property
    def tickets(self) -> tuple[TicketCost, ...]:
        return self.incidents + self.requests

    @property
    def total(self) -> float:
        return sum(c.total for c in self.tickets)

    @property
    def labour(self) -> float:
        return sum(c.labour for c in self.tickets)

    @property
    def parts(self) -> float:
        return sum(c.parts for c in self.tickets)

    @property
    def travel(self) -> float:
        return sum(c.travel for c in self.tickets)

    @property
    def hours(self) -> float:
        return sum(c.hours_working + c.hours_out for c in self.tickets)

    @property
    def hours_out(self) -> float:
        return sum(c.hours_out for c in self.tickets)

    @property
    def recorded(self) -> int:
        """Tickets that record their work (the others cost nothing here)."""
        return sum(1 for c in self.tickets if c.recorded)


def _shares(cost: TicketCost) -> dict[str, float]:
    """Device -> its share: labour and travel equally, each part to its device ("": no device)."""
    devices = cost.record.devices
    shares: dict[str, float] = defaultdict(float)
    for name in devices or ("",):
        shares[name] += (cost.labour + cost.travel) / max(len(devices), 1)
    for use in cost.record.parts:
        shares[device_of(use, devices)] += use.cost or 0.0
    return shares


def period_cost(
    incidents: Iterable[Incident],
    policy: CostPolicy,
    sla: SlaPolicy,
    where: Mapping[str, tuple[str, str]],
    requests: Iterable[ServiceRequest] = (),
) -> PeriodCost:
    """The cost of `incidents` and `requests` (those of the period); `where`: device -> (building, role)."""
    costs = tuple(incident_cost(i, policy, sla) for i in sorted(incidents, key=lambda i: (i.reported, i.id)))
    asked = tuple(request_cost(r, policy, sla) for r in sorted(requests, key=lambda r: (r.received, r.id)))
    kind: dict[str, float] = {INCIDENT: 0.0, REQUEST: 0.0}
    spread: dict[str, dict[str, float]] = {
        k: defaultdict(float) for k in (INCIDENT, REQUEST, "building", "role")
    }
    for cost in costs + asked:
        kind[cost.kind] += cost.total
        if cost.total:
            spread[cost.kind][cost.category] += cost.total
        if isinstance(cost.record, ServiceRequest) and cost.total:
            spread["building"][cost.record.building] += cost.total
        for name, share in _shares(cost).items():
            if share:
                place, role = where.get(name, ("", ""))
                if isinstance(cost.record, Incident):
                    spread["building"][place] += share
                spread["role"][role] += share
    by = {k: dict(sorted(v.items())) for k, v in spread.items()}
    return PeriodCost(costs, asked, kind, by[INCIDENT], by[REQUEST], by["building"], by["role"])
