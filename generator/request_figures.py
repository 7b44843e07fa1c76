"""Service requests against their targets, and a period's request figures for the reports.

A request type's targets are an SLA level's (settings `requests.types`, `RequestType.as_level`):
first response runs from `received` to `dispatched`, fulfilment from `received` to `fulfilled`,
each on its calendar, judged by the incidents' own SLA arithmetic (generator/sla.py) — met,
missed, pending, or unrecorded (fulfilled with no dispatch time).

A period's figures count the requests *received* in it ([start, end) in the reports' time zone):
by type, department and building; fulfilment time is wall-clock from received to fulfilled
over the fulfilled ones; return-call coverage is fulfilled requests with a return call over
fulfilled requests; satisfaction is the mean score of the return calls that gave one, per month
for the trend; complaints are the requests of type `complaint`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from netkb.generator.periods import Period
from netkb.generator.sla import Compliance, IncidentSla, compliance, evaluate
from netkb.records.incidents import Incident, Status
from netkb.records.requests import ServiceRequest
from netkb.records.service import SlaPolicy, TargetKind
from netkb.settings import Settings

COMPLAINT = "complaint"  # the request type the monthly report lists by name
# A request's targets among the SLA's kinds: fulfilment is the level's `resolve`.
TARGETS = (TargetKind.RESPONSE, TargetKind.RESOLVE)


def request_policy(settings: Settings) -> SlaPolicy:
    """The request types as SLA levels on the settings' calendars."""
    levels = {key: kind.as_level() for key, kind in settings.requests.types.items()}
    return SlaPolicy(levels=levels, calendars=settings.sla.calendars, time_zone=settings.sla.time_zone)


def _as_incident(request: ServiceRequest) -> Incident:
    """The request's timeline in the incident's terms, for the one SLA evaluation."""
    return Incident(
        path=request.path,
        id=request.id,
        title=request.title,
        level=request.type,
        category="",
        devices=request.devices,
        reported=request.received,
        responded=request.dispatched,
        onsite=None,
        resolved=request.fulfilled,
        status=Status.OPEN if request.is_open else Status.RESOLVED,
    )


@dataclass(frozen=True)
class RequestSla:
    request: ServiceRequest
    sla: IncidentSla  # results for TARGETS; the on-site target never applies

    @property
    def missed(self) -> list[TargetKind]:
        return [k for k in TARGETS if k in self.sla.missed]


def evaluate_requests(
    requests: Iterable[ServiceRequest], policy: SlaPolicy, now: dt.datetime | None
) -> list[RequestSla]:
    return [RequestSla(r, evaluate(_as_incident(r), policy, now)) for r in requests]


@dataclass(frozen=True)
class RequestFigures:
    requests: tuple[RequestSla, ...]  # received in the period, oldest first
    by_type: dict[str, int]  # every type of the settings, zeros included
    by_department: dict[str, int]  # most first
    by_building: dict[str, int]  # most first
    open: int
    compliance: dict[TargetKind, Compliance]  # TARGETS only
    mean_fulfilment: float | None  # seconds, wall clock
    fulfilled: int
    return_calls: int  # fulfilled requests with a return call
    confirmed: int  # return calls where the requester confirmed the result
    satisfaction: float | None  # mean score, 1–5
    rated: int  # return calls with a score
    trend: tuple[tuple[str, float | None, int], ...]  # per month: label, mean score, scores
    complaints: tuple[ServiceRequest, ...]

    @property
    def coverage(self) -> float | None:
        return self.return_calls / self.fulfilled if self.fulfilled else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _most_first(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def _scores(requests: Iterable[ServiceRequest]) -> list[float]:
    return [float(s) for r in requests if r.return_call and (s := r.return_call.satisfaction) is not None]


def satisfaction(requests: Iterable[ServiceRequest]) -> tuple[float | None, int]:
    """The mean score of the return calls that gave one (None: none did), and how many gave one."""
    scores = _scores(requests)
    return _mean(scores), len(scores)


def request_figures(
    period: Period, requests: list[ServiceRequest], settings: Settings, now: dt.datetime
) -> RequestFigures:
    zone = settings.sla.time_zone
    start, end = period.bounds(zone)
    inside = [r for r in requests if start <= r.received < end]
    evaluated = evaluate_requests(inside, request_policy(settings), now)
    fulfilled = [r for r in inside if r.fulfilled is not None]
    calls = [r.return_call for r in fulfilled if r.return_call is not None]
    tz = zoneinfo.ZoneInfo(zone)
    trend = []
    for month in period.months():
        local = [
            r
            for r in inside
            if (d := r.received.astimezone(tz)).year == month.year and d.month == month.number
        ]
        scores = _scores(local)
        trend.append((f"{month.number:02d}", _mean(scores), len(scores)))
    kinds = Counter(r.type for r in inside)
    score, rated = satisfaction(inside)
    by_kind = compliance([e.sla for e in evaluated])
    return RequestFigures(
        requests=tuple(evaluated),
        by_type={key: kinds[key] for key in settings.requests.types},
        by_department=_most_first(r.department for r in inside),
        by_building=_most_first(r.building for r in inside),
        open=sum(1 for r in inside if r.is_open),
        compliance={k: by_kind[k] for k in TARGETS},
        mean_fulfilment=_mean([(r.fulfilled - r.received).total_seconds() for r in fulfilled if r.fulfilled]),
        fulfilled=len(fulfilled),
        return_calls=len(calls),
        confirmed=sum(1 for c in calls if c.confirmed),
        satisfaction=score,
        rated=rated,
        trend=tuple(trend),
        complaints=tuple(r for r in inside if r.type == COMPLAINT),
    )


@dataclass(frozen=True)
class RequestView:
    request: ServiceRequest
    page: str  # requests/<slug>.md
    sla: RequestSla


def request_views(
    requests: list[ServiceRequest],
    settings: Settings,
    now: dt.datetime,
    slugs_of: Callable[[list[str]], dict[str, str]],
) -> list[RequestView]:
    """Every request with its page (`slugs_of`: ids -> safe, unique file names) and targets, newest first."""
    ordered = sorted(requests, key=lambda r: (r.received, r.id))
    slugs = slugs_of([r.id for r in ordered])
    evaluated = evaluate_requests(reversed(ordered), request_policy(settings), now)
    return [RequestView(e.request, f"requests/{slugs[e.request.id]}.md", e) for e in evaluated]
