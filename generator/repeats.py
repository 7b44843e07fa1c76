"""Repeat faults: an incident is a repeat when an earlier incident of the same category hit one
of its devices within the window (default 90 days) before it was reported.

The contract keeps repeats under 5 %: the rate of a period is the share of the incidents
reported in it that are repeats; the earlier incident may lie before the period (a fault in
late September repeated in early October is October's repeat).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netkb.records.incidents import Incident


@dataclass(frozen=True)
class Repeat:
    incident: str  # id of the repeat
    previous: str  # id of the latest earlier incident it repeats
    device: str
    category: str
    days: float  # between the two reports


@dataclass(frozen=True)
class RepeatRate:
    incidents: int  # reported in the period
    repeats: int
    target: float

    @property
    def rate(self) -> float | None:
        """None without incidents: no incident is not a 0 % rate, it is no rate."""
        return self.repeats / self.incidents if self.incidents else None

    @property
    def met(self) -> bool | None:
        """Kept at or under the target (the contract: under 5 %)."""
        return None if self.rate is None else self.rate <= self.target


def find_repeats(incidents: list[Incident], window_days: int) -> dict[str, Repeat]:
    """Incident id -> the repeat it is (only repeats are keys)."""
    window = dt.timedelta(days=window_days)
    ordered = sorted(incidents, key=lambda i: (i.reported, i.id))
    found: dict[str, Repeat] = {}
    for index, incident in enumerate(ordered):
        best: tuple[Incident, str] | None = None
        for earlier in ordered[:index]:
            if earlier.category != incident.category or incident.reported - earlier.reported > window:
                continue
            if earlier.reported == incident.reported:
                continue  # one fault recorded twice is not a repeat of itself
            shared = sorted(set(earlier.devices) & set(incident.devices))
            if shared and (best is None or earlier.reported >= best[0].reported):
                best = (earlier, shared[0])
        if best:
            previous, device = best
            days = (incident.reported - previous.reported).total_seconds() / 86400
            found[incident.id] = Repeat(incident.id, previous.id, device, incident.category, days)
    return found


def repeat_rate(
    incidents: list[Incident], start: dt.datetime, end: dt.datetime, window_days: int, target: float
) -> tuple[RepeatRate, list[Repeat]]:
    """The rate among incidents reported in [start, end), and the repeats it counts."""
    repeats = find_repeats(incidents, window_days)
    inside = [i for i in incidents if start <= i.reported < end]
    counted = [repeats[i.id] for i in inside if i.id in repeats]
    return RepeatRate(len(inside), len(counted), target), counted
