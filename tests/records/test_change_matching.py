"""Config commits against change records (netkb/records/change_matching.py): hand-made commit
lists, verdicts worked out by hand from the windows below (all times +08:00, nightly collects at
02:00, so a commit's span runs from the previous night's collect)."""

from __future__ import annotations

import datetime as dt

from netkb.records.change_matching import ConfigCommit, Verdict, made_after, match
from netkb.records.planned_changes import ChangeControl, PlannedChange

ZONE = dt.timezone(dt.timedelta(hours=8))


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"2026-{text}").replace(tzinfo=ZONE)


def record(id: str, devices: list[str], start: str, end: str, approved: str | None, emergency: bool = False):
    return PlannedChange(
        path=f"change-requests/{id}.md",
        id=id,
        title=id,
        devices=tuple(devices),
        start=t(start),
        end=t(end),
        approved=t(approved) if approved else None,
        approver="赵主任" if approved else "",
        emergency=emergency,
    )


RECORDS = [
    record("CHG-A", ["agg-lib"], "09-01 21:00", "09-01 23:00", "08-30 10:00"),
    # emergency, approved 2 h after its window closed: allowed (24 h)
    record("CHG-E", ["acc-admin-02"], "09-29 10:00", "09-30 12:00", "09-30 14:00", emergency=True),
    # emergency, approved 47 h after its window closed: too late
    record("CHG-L", ["core-1"], "10-10 09:00", "10-10 10:00", "10-12 09:00", emergency=True),
    record("CHG-W", ["fw-1"], "10-27 19:30", "10-27 21:00", "10-20 09:00"),
    record("CHG-N", ["dorm-02"], "11-18 22:00", "11-18 23:00", "11-15 09:00"),  # nothing happened
    record("CHG-P", ["rlab-1"], "12-01 22:00", "12-01 23:00", "11-20 09:00"),  # still to come
]


def nightly(device: str, sha: str, found: str) -> ConfigCommit:
    at = t(found)
    return ConfigCommit(device, sha, at, at - dt.timedelta(days=1))


COMMITS = [
    nightly("agg-lib", "c1", "09-02 02:00"),  # made 09-01 02:00..09-02 02:00: covers CHG-A's window
    nightly("acc-admin-02", "c2", "09-30 02:00"),  # CHG-E opened 09-29 10:00: emergency
    nightly("core-1", "c3", "10-11 02:00"),  # CHG-L approved too late: unplanned
    nightly("fw-2", "c4", "10-28 02:00"),  # inside CHG-W's window, fw-2 not named: wrong device
    nightly("agg-teach", "c5", "11-03 02:00"),  # no record at all: unplanned
    nightly("agg-lib", "c6", "08-29 02:00"),  # before the first record's window: not judged
    ConfigCommit("agg-lib", "c7", t("09-01 22:00"), None),  # imported, no collection known: in CHG-A
    ConfigCommit("acc-lib-01", "c8", t("09-02 02:00"), None),  # imported, outside every window
]
SETTINGS = ChangeControl()
UNTIL = t("11-25 02:00")


def verdicts(matching) -> dict[str, tuple[Verdict, tuple[str, ...]]]:
    return {v.commit.sha: (v.verdict, v.records) for v in matching.verdicts}


def test_each_commit_gets_its_verdict() -> None:
    found = match(COMMITS, RECORDS, SETTINGS, "Asia/Shanghai", UNTIL)
    assert verdicts(found) == {
        "c1": (Verdict.COVERED, ("CHG-A",)),
        "c7": (Verdict.COVERED, ("CHG-A",)),
        "c2": (Verdict.EMERGENCY, ("CHG-E",)),
        "c3": (Verdict.UNPLANNED, ("CHG-L",)),
        "c4": (Verdict.WRONG_DEVICE, ("CHG-W",)),
        "c5": (Verdict.UNPLANNED, ()),
        "c8": (Verdict.UNPLANNED, ()),
    }
    # by time, then device name: acc-lib-01 before agg-lib at 09-02 02:00
    assert [v.commit.sha for v in found.verdicts] == ["c7", "c8", "c1", "c2", "c3", "c4", "c5"]
    assert [v.commit.sha for v in found.findings] == ["c8", "c3", "c4", "c5"]
    assert (found.count(Verdict.COVERED), found.count(Verdict.EMERGENCY)) == (2, 1)
    assert found.since == t("09-01 21:00")


def test_a_window_that_passed_without_a_commit_was_not_carried_out() -> None:
    found = match(COMMITS, RECORDS, SETTINGS, "Asia/Shanghai", UNTIL)
    # CHG-W's device fw-1 never changed (fw-2 did, in its window): not carried out, like CHG-N;
    # CHG-L's window did see a commit (unapproved): carried out; CHG-P's has not come yet.
    assert [r.id for r in found.not_carried_out] == ["CHG-W", "CHG-N"]
    assert [c.sha for c in found.carried_out["CHG-A"]] == ["c7", "c1"]
    assert [c.sha for c in found.carried_out["CHG-L"]] == ["c3"]
    assert found.carried_out["CHG-W"] == ()  # fw-2 is not its device
    later = match(COMMITS, RECORDS, SETTINGS, "Asia/Shanghai", t("12-02 02:00"))
    assert [r.id for r in later.not_carried_out] == ["CHG-W", "CHG-N", "CHG-P"]


def test_emergency_hours_is_the_setting() -> None:
    generous = ChangeControl(emergency_hours=48)  # CHG-L approved 47 h after: now allowed
    found = verdicts(match(COMMITS, RECORDS, generous, "Asia/Shanghai", UNTIL))
    assert found["c3"] == (Verdict.EMERGENCY, ("CHG-L",))
    strict = ChangeControl(emergency_hours=1)  # CHG-E approved 2 h after: too late
    assert verdicts(match(COMMITS, RECORDS, strict, "Asia/Shanghai", UNTIL))["c2"] == (
        Verdict.UNPLANNED,
        ("CHG-E",),
    )


def test_unplanned_changes_count_from_since_or_the_first_record() -> None:
    assert match(COMMITS, [], SETTINGS, "Asia/Shanghai", UNTIL).verdicts == ()  # years of history, no records
    since = ChangeControl(since=dt.date(2026, 8, 29))  # midnight of 08-29 in Shanghai
    found = verdicts(match(COMMITS, RECORDS, since, "Asia/Shanghai", UNTIL))
    assert found["c6"] == (Verdict.UNPLANNED, ())
    assert len(found) == 8


def test_made_after_is_the_collection_before_the_committing_one() -> None:
    nights = [t(f"08-{d} 02:00").timestamp() for d in (28, 29, 30)]
    assert made_after(nights, t("08-30 02:00") + dt.timedelta(seconds=5)) == t("08-29 02:00")
    assert made_after(nights, t("08-30 02:00")) == t("08-29 02:00")
    assert made_after(nights, t("08-28 02:00")) is None  # the first collection: nothing before
