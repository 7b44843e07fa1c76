"""When the topology changed: each device's neighbour rows through its history, night by night.

Pure: a device's rows at HEAD and its changes (oldest first, each with the patch the history
keeps) in, the rows before and after each change that touched `state/neighbours.yml` out. The
patches are undone newest first (`rows_before`); where one does not fit, everything before it is
unknown for that device and says so (`unknown_before`), never a guessed "unchanged".
A device's first snapshot, or the first that holds the file (a netkb upgrade that starts reading
neighbours), is when collection began, not a change on the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from netkb.generator.model import Change
from netkb.generator.topology import rows_before

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Step:
    """One change of a device's neighbour rows, on the date it was collected."""

    date: dt.date
    before: Rows
    after: Rows


@dataclass(frozen=True)
class Timeline:
    """A device's neighbour rows through its history (steps oldest first)."""

    now: Rows
    steps: list[Step] = field(default_factory=list)
    unknown_before: dt.date | None = None  # the history before this date could not be rebuilt

    def at_end_of(self, day: dt.date) -> Rows:
        """The rows the last collection of `day` left (the earliest rows known before any step)."""
        rows = self.steps[0].before if self.steps else self.now
        for step in self.steps:
            if step.date > day:
                break
            rows = step.after
        return rows

    def before(self, day: dt.date) -> Rows:
        return self.at_end_of(day - dt.timedelta(days=1))


def timeline(path: str, now: Rows, changes: Sequence[Change]) -> Timeline:
    """The steps of `path` (a device's neighbours file) through `changes` (oldest first)."""
    steps: list[Step] = []
    rows = now
    for change in reversed(changes):
        if path not in change.files:
            continue
        if change.kind == "first":
            break  # when collection began: what was there is not news
        if f"--- /dev/null\n+++ b/{path}" in change.diff:
            break  # the device began to report neighbours (a netkb that reads them): not news either
        before = rows_before(rows, change.diff, path)
        if before is None:
            return Timeline(now, steps[::-1], change.date.date())
        steps.append(Step(change.date.date(), before, rows))
        rows = before
    return Timeline(now, steps[::-1])


def changed_by_date(timelines: Mapping[str, Timeline]) -> dict[dt.date, set[str]]:
    """Every date on which some device's neighbour rows changed, with those devices."""
    out: dict[dt.date, set[str]] = {}
    for name, line in timelines.items():
        for step in line.steps:
            if step.before != step.after:
                out.setdefault(step.date, set()).add(name)
    return out


def changed_dates(timelines: Mapping[str, Timeline]) -> list[dt.date]:
    """Every date on which some device's neighbour rows changed, oldest first."""
    return sorted(changed_by_date(timelines))


def night(
    timelines: Mapping[str, Timeline], day: dt.date, changed: Iterable[str] | None = None
) -> tuple[dict[str, Rows], dict[str, Rows]]:
    """Every device's rows at the end of `day` and at the end of the day before; with `changed`
    (the devices whose rows changed that day), only what a changed link can involve: their rows,
    and of every device they name, the rows that name them back (a link reported only by
    devices whose rows did not change is unchanged)."""
    if changed is None:
        return (
            {name: t.at_end_of(day) for name, t in timelines.items()},
            {name: t.before(day) for name, t in timelines.items()},
        )
    mine = {n for n in changed if n in timelines}
    tonight = {n: timelines[n].at_end_of(day) for n in sorted(mine)}
    before = {n: timelines[n].before(day) for n in sorted(mine)}
    named = {str(r.get("neighbour")) for rows in (*tonight.values(), *before.values()) for r in rows}
    for far in sorted(named - mine):
        if far in timelines:
            tonight[far] = [r for r in timelines[far].at_end_of(day) if r.get("neighbour") in mine]
            before[far] = [r for r in timelines[far].before(day) if r.get("neighbour") in mine]
    return tonight, before


def not_rebuilt(timelines: Mapping[str, Timeline], day: dt.date) -> list[str]:
    """The devices whose rows on `day` (or the day before) the history could not rebuild."""
    return sorted(n for n, t in timelines.items() if t.unknown_before is not None and day <= t.unknown_before)


def around(links: Iterable[tuple[str, str]], changed: Iterable[tuple[str, str]]) -> set[str]:
    """The devices on a changed link and their direct neighbours (over `links`): what a
    night's map shows."""
    near = {name for pair in changed for name in pair}
    return near | {b for a, b in links if a in near} | {a for a, b in links if b in near}
