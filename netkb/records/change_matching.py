"""Config commits against change records: which were planned, which were not. Pure: commits and
records in, verdicts out; the site (generator) and `netkb inspect` (collector) both call it.

A commit is dated when the collect found the change, not when it was made: the change was made
between the device's previous collection and the commit (`made_after`, None when no collection
is known, e.g. imported history: then only the commit's own time counts). A record covers a
commit when it names the commit's device and its window overlaps that span: a change made at
21:30 inside a 21:00–23:00 window is committed by the 02:00 collect and still covered.

Verdicts, for each config commit from `since` on (a first snapshot is not a change and is never
given to this module):
- covered: an approved record (approved before its window) covers it;
- emergency: only emergency records cover it, approved within `emergency_hours` after the window
  ended (counted apart: allowed, but reported);
- wrong device: not covered, but inside the window of an approved record that does not name
  the device;
- unplanned: anything else (no record; or only records not approved, or approved too late).
A record whose window ended before the newest collection (`collected_until`) with no commit on
its devices overlapping it was not carried out.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from netkb.records.planned_changes import ChangeControl, PlannedChange


class Verdict(enum.StrEnum):
    COVERED = "covered"
    EMERGENCY = "emergency"
    WRONG_DEVICE = "wrong_device"
    UNPLANNED = "unplanned"


@dataclass(frozen=True)
class ConfigCommit:
    device: str
    sha: str
    at: dt.datetime  # the commit's (author) time: when the collect found the change
    made_after: dt.datetime | None  # the device's collection before it (None: unknown)


@dataclass(frozen=True)
class CommitVerdict:
    commit: ConfigCommit
    verdict: Verdict
    records: tuple[str, ...]  # ids: the covering records, or the ones that did not cover it

    @property
    def is_finding(self) -> bool:
        return self.verdict in (Verdict.UNPLANNED, Verdict.WRONG_DEVICE)


@dataclass(frozen=True)
class Matching:
    since: dt.datetime | None  # commits before it are not judged; None: nothing is (no records)
    verdicts: tuple[CommitVerdict, ...]  # oldest first
    not_carried_out: tuple[PlannedChange, ...]
    carried_out: dict[str, tuple[ConfigCommit, ...]]  # record id -> commits in its window on its devices

    @property
    def findings(self) -> list[CommitVerdict]:
        return [v for v in self.verdicts if v.is_finding]

    def count(self, verdict: Verdict) -> int:
        return sum(v.verdict is verdict for v in self.verdicts)

    def between(self, start: dt.datetime, end: dt.datetime) -> list[CommitVerdict]:
        return [v for v in self.verdicts if start <= v.commit.at < end]

    def of_device(self, name: str) -> list[CommitVerdict]:
        return list(self._by_device.get(name, ()))

    def of_commits(self, commits: Iterable[tuple[str, str]]) -> list[CommitVerdict]:
        """The verdicts of these commits, (device, sha) each, in the verdicts' order (a record's or
        a run's page asks for its own: looked up, not one scan of every verdict per page)."""
        found = {i for key in commits if (i := self._position.get(key)) is not None}
        return [self.verdicts[i] for i in sorted(found)]

    @cached_property
    def _position(self) -> dict[tuple[str, str], int]:
        return {(v.commit.device, v.commit.sha): i for i, v in enumerate(self.verdicts)}

    @cached_property
    def _by_device(self) -> dict[str, list[CommitVerdict]]:
        """The verdicts by device, in their order (a device page asks for its own: one pass, not
        one per device)."""
        found: dict[str, list[CommitVerdict]] = {}
        for v in self.verdicts:
            found.setdefault(v.commit.device, []).append(v)
        return found


def tally(verdicts: Iterable[CommitVerdict]) -> dict[str, int]:
    """Commits per verdict, named for the catalogue's strings: covered, emergency, wrong, unplanned."""
    found = [v.verdict for v in verdicts]
    return {k.value.removesuffix("_device"): found.count(k) for k in Verdict}


def made_after(collected: Sequence[float], at: dt.datetime) -> dt.datetime | None:
    """The collection before the one that made the commit at `at`: `collected` holds the
    device's successful collections as POSIX times, ascending; the latest at or before `at`
    is the collect that committed, the one before it the start of the span."""
    i = bisect_right(collected, at.timestamp())
    return dt.datetime.fromtimestamp(collected[i - 2], at.tzinfo) if i >= 2 else None


def counting_from(settings: ChangeControl, zone: str, records: Iterable[PlannedChange]) -> dt.datetime | None:
    """When unplanned commits start to count: the `since` setting (midnight in `zone`), else the
    start of the earliest record's window; None without either (a store with no change records
    has no unplanned changes, however long its history)."""
    if settings.since is not None:
        return dt.datetime.combine(settings.since, dt.time(), zoneinfo.ZoneInfo(zone))
    return min((r.start for r in records), default=None)


def _overlaps(commit: ConfigCommit, record: PlannedChange) -> bool:
    if commit.made_after is None:
        return record.start <= commit.at <= record.end
    return record.start <= commit.at and commit.made_after < record.end


def _allowed(record: PlannedChange, emergency_hours: float) -> bool:
    """Approved in time: before the window, or an emergency's within the hours after it."""
    if record.approved is None:
        return False
    if not record.emergency:
        return record.approved <= record.start
    return record.approved <= record.end + dt.timedelta(hours=emergency_hours)


def judge(commit: ConfigCommit, records: Sequence[PlannedChange], emergency_hours: float) -> CommitVerdict:
    """One commit's verdict against every record (see the module)."""
    during = [r for r in records if _overlaps(commit, r)]
    named = [r for r in during if commit.device in r.devices]
    allowed = [r for r in named if _allowed(r, emergency_hours)]
    planned = [r.id for r in allowed if not r.emergency]
    if planned:
        return CommitVerdict(commit, Verdict.COVERED, tuple(planned))
    if allowed:
        return CommitVerdict(commit, Verdict.EMERGENCY, tuple(r.id for r in allowed))
    if named:  # the device's own records, none approved in time
        return CommitVerdict(commit, Verdict.UNPLANNED, tuple(r.id for r in named))
    elsewhere = [r.id for r in during if _allowed(r, emergency_hours)]
    if elsewhere:
        return CommitVerdict(commit, Verdict.WRONG_DEVICE, tuple(elsewhere))
    return CommitVerdict(commit, Verdict.UNPLANNED, ())


def _order(commit: ConfigCommit) -> tuple[dt.datetime, str, str]:
    return (commit.at, commit.device, commit.sha)


class _Windows:
    """The records whose window may overlap a commit's span, found by bisection instead of a scan
    of every record for every commit (a year holds some 18,000 commits and hundreds of records).
    A record overlaps a span that ends at `at` and starts at `lo` (`made_after`, else `at`) only
    if it starts at or before `at` and ends at or after `lo`, so it starts no earlier than `lo`
    less the longest window. The candidates keep the records' order: `judge` filters them with
    `_overlaps` exactly as it filters every record, so the verdicts are the same."""

    def __init__(self, records: Sequence[PlannedChange]) -> None:
        self.records = records
        self.order = sorted(range(len(records)), key=lambda i: records[i].start)
        self.starts = [records[i].start for i in self.order]
        self.longest = max((r.end - r.start for r in records), default=dt.timedelta(0))

    def around(self, commit: ConfigCommit) -> list[PlannedChange]:
        lo = commit.made_after if commit.made_after is not None else commit.at
        first = bisect_left(self.starts, lo - self.longest)
        last = bisect_right(self.starts, commit.at)
        return [self.records[i] for i in sorted(self.order[first:last])]


def match(
    commits: Iterable[ConfigCommit],
    records: Sequence[PlannedChange],
    settings: ChangeControl,
    zone: str,
    collected_until: dt.datetime | None,
) -> Matching:
    """Every config commit from `counting_from` on judged, and the records not carried out
    (windows that ended before `collected_until`, the newest collection)."""
    since = counting_from(settings, zone, records)
    ordered = sorted(commits, key=_order)
    near = _Windows(records)
    verdicts = tuple(
        judge(c, near.around(c), settings.emergency_hours)
        for c in ordered
        if since is not None and c.at >= since
    )
    by_device: dict[str, list[ConfigCommit]] = {}
    for c in ordered:
        by_device.setdefault(c.device, []).append(c)
    carried = {
        r.id: tuple(
            sorted((c for d in r.devices for c in by_device.get(d, ()) if _overlaps(c, r)), key=_order)
        )
        for r in records
    }
    missing = tuple(
        r for r in records if not carried[r.id] and collected_until is not None and r.end <= collected_until
    )
    return Matching(since, verdicts, missing, carried)
