"""The baseline over time: each device's verdicts as its config changed, summed per building for
every night, and the rule verdicts that changed on the way (a failure and the change that fixed
it). Pure: the devices' verdicts by date in, the trend out; generator/baseline_history.py reads
the snapshot history and judges each config once.

A night counts the configs a device had at the end of that day (the collector commits during
the night's run). Waivers are not applied: a waiver has no start date, so what it excused on a
past night cannot be told; the trend is what the configs say.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from netkb.baseline.engine import Result
from netkb.baseline.model import Verdict

CODE = {Verdict.PASS: "p", Verdict.FAIL: "f", Verdict.UNKNOWN: "u", Verdict.NOT_APPLICABLE: "n"}
VERDICT = {code: verdict for verdict, code in CODE.items()}


def verdict_codes(results: Iterable[Result]) -> str:
    """A device's verdicts as one letter per rule, in the rule set's order ("pfu…")."""
    return "".join(CODE[r.verdict] for r in results)


@dataclass(frozen=True)
class Counts:
    passed: int = 0
    failed: int = 0
    unknown: int = 0

    @classmethod
    def of(cls, codes: str) -> Counts:
        return cls(codes.count("p"), codes.count("f"), codes.count("u"))

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.passed + other.passed, self.failed + other.failed, self.unknown + other.unknown)

    def __sub__(self, other: Counts) -> Counts:
        return Counts(self.passed - other.passed, self.failed - other.failed, self.unknown - other.unknown)

    @property
    def score(self) -> float | None:
        """pass / (pass + fail); None when nothing was decided."""
        judged = self.passed + self.failed
        return self.passed / judged if judged else None


@dataclass(frozen=True)
class Step:
    """From `at` on, the device's config judged `codes` (None: no config)."""

    at: dt.datetime
    codes: str | None


@dataclass(frozen=True)
class Transition:
    day: dt.date  # the night the collector found the new config
    device: str
    rule: str
    before: Verdict
    after: Verdict


@dataclass(frozen=True)
class Trend:
    nights: list[dt.date]
    buildings: dict[str, list[Counts | None]]  # per night; None: no device of it collected yet
    transitions: list[Transition]  # oldest first

    def as_of(self, day: dt.date) -> dict[str, Counts] | None:
        """Each building's counts at the end of `day` (its last night up to then); None before the first."""
        i = bisect_right(self.nights, day) - 1
        if i < 0:
            return None
        found = {b: series[i] for b, series in self.buildings.items()}
        return {b: counts for b, counts in found.items() if counts is not None}

    def total(self, day: dt.date) -> Counts | None:
        found = self.as_of(day)
        return None if found is None else sum(found.values(), Counts())

    def between(self, first: dt.date, last: dt.date) -> list[Transition]:
        return [t for t in self.transitions if first <= t.day <= last]


def sweep(
    devices: Mapping[str, tuple[str, Sequence[Step]]],
    rule_ids: Sequence[str],
    nights: Sequence[dt.date],
    zone: dt.tzinfo | None,
) -> Trend:
    """`devices`: name -> (building, its steps oldest first); `nights`: the dates to count, ascending."""
    events = sorted(
        (
            (step.at.astimezone(zone).date(), name, step.codes)
            for name, (_, steps) in devices.items()
            for step in steps
        ),
        key=lambda e: e[0],
    )
    current: dict[str, str | None] = {}
    counts: dict[str, Counts] = {}
    seen: dict[str, int] = {}  # devices of the building with a config
    series: dict[str, list[Counts | None]] = {building: [] for building, _ in devices.values()}
    transitions: list[Transition] = []
    i = 0
    for night in nights:
        while i < len(events) and events[i][0] <= night:
            day, name, codes = events[i]
            i += 1
            building, old = devices[name][0], current.get(name)
            if old is not None:
                counts[building] = counts[building] - Counts.of(old)
                seen[building] -= 1
            if codes is not None:
                counts[building] = counts.get(building, Counts()) + Counts.of(codes)
                seen[building] = seen.get(building, 0) + 1
                if old is not None:
                    transitions += _changed(day, name, rule_ids, old, codes)
            current[name] = codes
        for building, points in series.items():
            points.append(counts[building] if seen.get(building) else None)
    return Trend(list(nights), series, transitions)


def _changed(day: dt.date, device: str, rule_ids: Sequence[str], old: str, new: str) -> list[Transition]:
    if old == new or len(old) != len(new):
        return []
    return [
        Transition(day, device, rule, VERDICT[a], VERDICT[b])
        for rule, a, b in zip(rule_ids, old, new, strict=True)
        if a != b
    ]
