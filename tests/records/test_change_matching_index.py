"""The change matching's window index (`_Windows`) gives the verdicts a scan of every record gives.

Random records (windows of minutes to days, some emergencies, some unapproved, overlapping) and
random commits (with and without the collection before them) are judged both ways."""

from __future__ import annotations

import datetime as dt
import random

from netkb.records.change_matching import ConfigCommit, judge, match
from netkb.records.planned_changes import ChangeControl, PlannedChange

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2025, 1, 1, tzinfo=TZ)
DEVICES = [f"dev-{i}" for i in range(6)]


def _records(rng: random.Random, count: int) -> list[PlannedChange]:
    out = []
    for i in range(count):
        start = START + dt.timedelta(minutes=rng.randrange(60 * 24 * 60))
        end = start + dt.timedelta(minutes=rng.choice([30, 90, 600, 3000]))
        approved = rng.choice([None, start - dt.timedelta(days=1), end + dt.timedelta(hours=2)])
        devices = tuple(rng.sample(DEVICES, rng.randint(1, 2)))
        out.append(
            PlannedChange(
                f"c/{i}.md", f"CHG-{i}", "t", devices, start, end, approved, emergency=rng.random() < 0.2
            )
        )
    return out


def _commits(rng: random.Random, count: int) -> list[ConfigCommit]:
    out = []
    for i in range(count):
        at = START + dt.timedelta(minutes=rng.randrange(60 * 24 * 62))
        before = rng.choice([None, at - dt.timedelta(hours=rng.choice([1, 24, 24 * 30]))])
        out.append(ConfigCommit(rng.choice(DEVICES), f"s{i}", at, before))
    return out


def test_the_index_judges_as_a_scan_of_every_record() -> None:
    for seed in range(20):
        rng = random.Random(seed)
        records, commits = _records(rng, rng.randint(0, 60)), _commits(rng, 300)
        settings = ChangeControl(since=dt.date(2025, 1, 1))
        found = match(commits, records, settings, "Asia/Shanghai", None)
        ordered = [c for c in sorted(commits, key=lambda c: (c.at, c.device, c.sha))]
        assert found.verdicts == tuple(judge(c, records, settings.emergency_hours) for c in ordered)
        for name in DEVICES:
            assert found.of_device(name) == [v for v in found.verdicts if v.commit.device == name]


def test_the_verdicts_of_some_commits_keep_the_verdicts_order() -> None:
    rng = random.Random(7)
    records, commits = _records(rng, 40), _commits(rng, 300)
    found = match(commits, records, ChangeControl(since=dt.date(2025, 1, 1)), "Asia/Shanghai", None)
    some = {(c.device, c.sha) for c in rng.sample(commits, 50)}
    expected = [v for v in found.verdicts if (v.commit.device, v.commit.sha) in some]
    assert found.of_commits(some) == expected and expected
    assert found.of_commits([("nowhere", "x")]) == []
