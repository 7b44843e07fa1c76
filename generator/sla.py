"""Incident timelines against the SLA policy: working time on a calendar, met / missed / pending.

Each target runs from `reported` to its timestamp (response -> `responded`, onsite -> `onsite`,
resolve -> `resolved`), counted on the target's calendar: every second on `24x7`, only working
hours on a business calendar (nights, weekends and holidays do not count; make-up workdays do).

Outcomes:
- met / missed: the timestamp is there; `margin` says by how much (positive: to spare);
- pending: open and not yet there, `elapsed` counted until `now`; a response or resolution
  already past its target is *missed* even while open (it can no longer be met);
- not_applicable: the level has no such target, or nobody went on site (the on-site target
  applies only when remote help failed, so a missing `onsite` is never a miss);
- unrecorded: closed without the timestamp (shown, never counted as met).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from netkb.i18n import Strings
from netkb.records.incidents import Incident
from netkb.records.service import Calendar, Duration, Level, SlaPolicy, TargetKind

_DAY = dt.timedelta(days=1)


# --- working time ---------------------------------------------------------------------------


def _windows(calendar: Calendar, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The day's working windows as aware instants (empty on a day off)."""
    if not calendar.is_workday(day):
        return []
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=calendar.zone)
    return [
        (midnight + dt.timedelta(minutes=start), midnight + dt.timedelta(minutes=end))
        for start, end in calendar.hours
    ]


def working_seconds(calendar: Calendar | None, start: dt.datetime, end: dt.datetime) -> float:
    """Working seconds from `start` to `end` (aware); negative when `end` is before `start`."""
    if end < start:
        return -working_seconds(calendar, end, start)
    if calendar is None:
        return (end - start).total_seconds()
    total = 0.0
    day = start.astimezone(calendar.zone).date() - _DAY  # a window may start the local day before
    last = end.astimezone(calendar.zone).date()
    while day <= last:
        for w_start, w_end in _windows(calendar, day):
            overlap = (min(end, w_end) - max(start, w_start)).total_seconds()
            total += max(0.0, overlap)
        day += _DAY
    return total


def add_working_seconds(calendar: Calendar | None, start: dt.datetime, seconds: float) -> dt.datetime:
    """The instant when `seconds` of working time after `start` have passed."""
    if calendar is None:
        return start + dt.timedelta(seconds=seconds)
    left = seconds
    day = start.astimezone(calendar.zone).date()
    for _ in range(3660 + int(seconds // max(calendar.day_seconds, 1)) * 8):  # bounded: a calendar works
        for w_start, w_end in _windows(calendar, day):
            begin = max(start, w_start)
            if begin >= w_end:
                continue
            available = (w_end - begin).total_seconds()
            if left <= available:
                return begin + dt.timedelta(seconds=left)
            left -= available
        day += _DAY
    raise ValueError("the calendar has no working time in the next ten years")


def target_seconds(duration: Duration, calendar: Calendar | None) -> float:
    """A target in working seconds: a day is 24 h on 24x7, one working day on a business calendar."""
    day = 86400 if calendar is None else calendar.day_seconds
    return float(duration.days * day + duration.seconds)


# --- outcomes -------------------------------------------------------------------------------


class Outcome(enum.StrEnum):
    MET = "met"
    MISSED = "missed"
    PENDING = "pending"
    NOT_APPLICABLE = "not_applicable"
    UNRECORDED = "unrecorded"


@dataclass(frozen=True)
class TargetResult:
    kind: TargetKind
    outcome: Outcome
    calendar: str  # the calendar's name ("24x7", "business", …); "" when not applicable
    target: float | None  # working seconds allowed
    elapsed: float | None  # working seconds used (until `now` while pending)
    due: dt.datetime | None  # when the target runs out

    @property
    def margin(self) -> float | None:
        """Seconds to spare (positive) or by which it was missed (negative)."""
        if self.target is None or self.elapsed is None:
            return None
        return self.target - self.elapsed

    @property
    def counted(self) -> bool:
        """Counts in compliance figures: decided one way or the other."""
        return self.outcome in (Outcome.MET, Outcome.MISSED)


@dataclass(frozen=True)
class IncidentSla:
    incident: Incident
    level: Level | None
    results: dict[TargetKind, TargetResult]

    @property
    def missed(self) -> list[TargetKind]:
        return [k for k, r in self.results.items() if r.outcome is Outcome.MISSED]


_STAMP = {TargetKind.RESPONSE: "responded", TargetKind.ONSITE: "onsite", TargetKind.RESOLVE: "resolved"}


def evaluate(incident: Incident, policy: SlaPolicy, now: dt.datetime | None = None) -> IncidentSla:
    """Every target of the incident's level; `now` (aware) measures what is still open."""
    level = policy.levels.get(incident.level)
    results = {kind: _result(incident, level, policy, kind, now) for kind in TargetKind}
    return IncidentSla(incident, level, results)


def _result(
    incident: Incident, level: Level | None, policy: SlaPolicy, kind: TargetKind, now: dt.datetime | None
) -> TargetResult:
    target = level.target(kind) if level else None
    if level is None or target is None:
        return TargetResult(kind, Outcome.NOT_APPLICABLE, "", None, None, None)
    name = level.calendar_of(kind)
    calendar = policy.calendar(name)
    allowed = target_seconds(target.within, calendar)
    due = add_working_seconds(calendar, incident.reported, allowed)
    stamp: dt.datetime | None = getattr(incident, _STAMP[kind])
    if stamp is not None:
        elapsed = working_seconds(calendar, incident.reported, stamp)
        outcome = Outcome.MET if elapsed <= allowed else Outcome.MISSED
        return TargetResult(kind, outcome, name, allowed, elapsed, due)
    if kind is TargetKind.ONSITE and not incident.is_open:
        return TargetResult(kind, Outcome.NOT_APPLICABLE, name, allowed, None, due)  # no visit needed
    if not incident.is_open:
        return TargetResult(kind, Outcome.UNRECORDED, name, allowed, None, due)
    if now is None:
        return TargetResult(kind, Outcome.PENDING, name, allowed, None, due)
    elapsed = max(0.0, working_seconds(calendar, incident.reported, now))
    # A visit may never be needed, so an open incident's on-site target is never missed by waiting.
    late = elapsed > allowed and kind is not TargetKind.ONSITE
    return TargetResult(kind, Outcome.MISSED if late else Outcome.PENDING, name, allowed, elapsed, due)


# --- compliance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Compliance:
    kind: TargetKind
    met: int
    missed: int
    pending: int
    unrecorded: int

    @property
    def decided(self) -> int:
        return self.met + self.missed

    @property
    def ratio(self) -> float | None:
        """Met among decided; None when nothing was decided (no incident is not 100 %)."""
        return self.met / self.decided if self.decided else None


def compliance(evaluated: list[IncidentSla]) -> dict[TargetKind, Compliance]:
    out = {}
    for kind in TargetKind:
        outcomes = [e.results[kind].outcome for e in evaluated]
        out[kind] = Compliance(
            kind,
            outcomes.count(Outcome.MET),
            outcomes.count(Outcome.MISSED),
            outcomes.count(Outcome.PENDING),
            outcomes.count(Outcome.UNRECORDED),
        )
    return out


def format_seconds(seconds: float | None) -> str:
    """`1h 05m`, `2d 3h`, `-12m` (a miss); `—` for unknown. Pages use their language's
    `Strings.duration` (the i18n catalogue); this is its English form."""
    return Strings("en").duration(seconds)
