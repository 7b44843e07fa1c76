"""SLA arithmetic: working time on business calendars (nights, weekends, holidays, make-up
workdays), and each incident target met / missed / pending / not applicable / unrecorded."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from netkb.generator.sla import (
    Outcome,
    add_working_seconds,
    compliance,
    evaluate,
    format_seconds,
    target_seconds,
    working_seconds,
)
from netkb.inventory import ConfigFileError
from netkb.records.incidents import Incident, Status
from netkb.records.service import Calendar, SlaPolicy, TargetKind
from netkb.settings import Settings, load_settings

CST = dt.timezone(dt.timedelta(hours=8))
H = 3600

# 5×8, Mon–Fri 08:30–17:30, the 2026 National Day holiday (Oct 1–7, Thu–Wed) and its make-up
# working days: Sunday 2026-09-27 and Saturday 2026-10-10.
BUSINESS = Calendar.model_validate(
    {
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "hours": "08:30-17:30",
        "holidays": ["2026-10-01..2026-10-07"],
        "workdays": ["2026-09-27", "2026-10-10"],
    }
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-09-14 10:00", "2026-09-14 11:30", 1.5),  # inside one working day
        ("2026-09-14 17:00", "2026-09-15 09:00", 1.0),  # across a night: 17:00-17:30 + 08:30-09:00
        ("2026-09-14 20:00", "2026-09-15 08:00", 0.0),  # a whole night off
        ("2026-09-18 17:00", "2026-09-21 09:00", 1.0),  # Fri evening to Mon morning: the weekend is off
        ("2026-09-19 10:00", "2026-09-19 12:00", 0.0),  # inside an ordinary Saturday
        (
            "2026-09-26 10:00",
            "2026-09-27 10:00",
            1.5,
        ),  # Sat off, Sun 2026-09-27 is a make-up day (08:30-10:00)
        ("2026-09-30 17:00", "2026-10-08 09:00", 1.0),  # across the holiday week: only Sep 30 and Oct 8 count
        ("2026-10-02 09:00", "2026-10-02 17:00", 0.0),  # a Friday inside the holiday
        ("2026-10-09 17:00", "2026-10-12 09:00", 10.0),  # Fri, the make-up Saturday (9 h), Mon: 0.5 + 9 + 0.5
    ],
)
def test_working_time_on_a_business_calendar(start: str, end: str, hours: float) -> None:
    assert working_seconds(BUSINESS, at(start), at(end)) == hours * H


def test_working_time_counts_in_the_calendars_zone() -> None:
    # 01:00 UTC is 09:00 in Shanghai, 09:30 UTC is 17:30: the whole span is working time there.
    start = dt.datetime(2026, 9, 14, 1, 0, tzinfo=dt.UTC)
    end = dt.datetime(2026, 9, 14, 9, 30, tzinfo=dt.UTC)
    assert working_seconds(BUSINESS, start, end) == 8.5 * H
    assert working_seconds(None, start, end) == 8.5 * H  # 24x7: every second


def test_deadlines_skip_what_is_not_working_time() -> None:
    # 2 h from Fri 16:30: 1 h on Friday, the weekend off, 1 h from Monday 08:30.
    assert add_working_seconds(BUSINESS, at("2026-09-18 16:30"), 2 * H) == at("2026-09-21 09:30")
    # From a holiday: the clock starts on the next working morning.
    assert add_working_seconds(BUSINESS, at("2026-10-03 12:00"), 30 * 60) == at("2026-10-08 09:00")
    # A make-up Saturday counts.
    assert add_working_seconds(BUSINESS, at("2026-10-09 17:00"), 2 * H) == at("2026-10-10 10:00")
    assert add_working_seconds(None, at("2026-10-03 12:00"), 2 * H) == at("2026-10-03 14:00")


def test_a_day_is_a_working_day_on_a_business_calendar() -> None:
    policy = Settings().sla
    p3 = policy.levels["P3"]
    resolve = p3.target(TargetKind.RESOLVE)
    assert resolve is not None and str(resolve.within) == "3d"
    assert target_seconds(resolve.within, BUSINESS) == 3 * 9 * H
    assert target_seconds(resolve.within, None) == 3 * 24 * H


def incident(**fields: object) -> Incident:
    base: dict[str, object] = {
        "path": "incidents/x.md",
        "id": "INC-1",
        "title": "t",
        "level": "P2",
        "category": "routing",
        "devices": ("core-1",),
        "reported": at("2026-09-14 09:12"),
        "responded": None,
        "onsite": None,
        "resolved": None,
        "status": Status.OPEN,
    }
    return Incident(**{**base, **fields})  # type: ignore[arg-type]


POLICY = SlaPolicy.model_validate(
    {
        "calendars": {"business": BUSINESS},
        "levels": {
            "P2": {"zh": "二级", "en": "Major", "response": "15m", "onsite": "2h", "resolve": "8h"},
            "P4": {
                "zh": "四级",
                "en": "Advisory",
                "response": "30m",
                "resolve": {"within": "1d", "calendar": "business"},
            },
        },
    }
)


def test_met_and_missed_with_their_margins() -> None:
    result = evaluate(
        incident(
            responded=at("2026-09-14 09:15"),  # 3 min of 15: 12 min to spare
            onsite=at("2026-09-14 11:30"),  # 2 h 18 min of 2 h: missed by 18 min
            resolved=at("2026-09-14 12:00"),  # 2 h 48 min of 8 h
            status=Status.RESOLVED,
        ),
        POLICY,
    )
    response, onsite, resolve = (result.results[k] for k in TargetKind)
    assert (response.outcome, response.margin) == (Outcome.MET, 12 * 60)
    assert (onsite.outcome, onsite.margin) == (Outcome.MISSED, -18 * 60)
    assert format_seconds(onsite.margin) == "-18m"
    assert (resolve.outcome, resolve.elapsed) == (Outcome.MET, 2 * H + 48 * 60)
    assert result.missed == [TargetKind.ONSITE]


def test_open_incident_with_missing_timestamps_is_measured_at_now() -> None:
    # Reported 09:12, responded 09:20, nobody on site yet, not resolved; now 10:12 (1 h).
    open_one = incident(responded=at("2026-09-14 09:20"))
    result = evaluate(open_one, POLICY, now=at("2026-09-14 10:12"))
    assert result.results[TargetKind.RESPONSE].outcome is Outcome.MET
    onsite = result.results[TargetKind.ONSITE]
    assert (onsite.outcome, onsite.elapsed, onsite.margin) == (Outcome.PENDING, 1 * H, 1 * H)
    assert onsite.due == at("2026-09-14 11:12")
    resolve = result.results[TargetKind.RESOLVE]
    assert (resolve.outcome, resolve.elapsed) == (Outcome.PENDING, 1 * H)
    # Without `now`, nothing is measured, nothing is decided.
    unmeasured = evaluate(open_one, POLICY).results[TargetKind.RESOLVE]
    assert (unmeasured.outcome, unmeasured.elapsed) == (Outcome.PENDING, None)


def test_an_open_incident_past_its_target_has_missed_it() -> None:
    # Not responded at all; 40 min later the 15 min response target can no longer be met.
    result = evaluate(incident(), POLICY, now=at("2026-09-14 09:52"))
    response = result.results[TargetKind.RESPONSE]
    assert (response.outcome, response.margin) == (Outcome.MISSED, -25 * 60)
    # 3 h later the on-site target is past too, but a visit may not be needed: still pending.
    later = evaluate(incident(), POLICY, now=at("2026-09-14 12:12")).results[TargetKind.ONSITE]
    assert later.outcome is Outcome.PENDING and later.margin == -1 * H


def test_targets_that_do_not_apply_and_timestamps_never_recorded() -> None:
    closed = incident(resolved=at("2026-09-14 10:00"), status=Status.CLOSED)  # no responded, no visit
    result = evaluate(closed, POLICY)
    assert result.results[TargetKind.RESPONSE].outcome is Outcome.UNRECORDED
    assert result.results[TargetKind.ONSITE].outcome is Outcome.NOT_APPLICABLE  # remote fix: no visit
    p4 = evaluate(incident(level="P4"), POLICY, now=at("2026-09-14 09:30"))  # 18 of 30 min
    assert p4.results[TargetKind.ONSITE].outcome is Outcome.NOT_APPLICABLE  # P4 has no on-site target
    figures = compliance([result, p4])
    response = figures[TargetKind.RESPONSE]
    assert (response.unrecorded, response.pending, response.ratio) == (1, 1, None)  # nothing decided


def test_a_business_calendar_resolution_target_spans_the_holiday() -> None:
    # P4 resolve: 1 working day (9 h) on the business calendar. Reported Wed 2026-09-30 16:30,
    # 1 h left that day, the holiday week off, 8 h on Thu 2026-10-08: due 16:30 on Oct 8.
    late = incident(level="P4", reported=at("2026-09-30 16:30"), resolved=at("2026-10-08 17:00"))
    result = evaluate(late, POLICY.model_copy(), now=None)
    assert result.results[TargetKind.RESOLVE].due == at("2026-10-08 16:30")
    resolve = result.results[TargetKind.RESOLVE]
    assert resolve.calendar == "business" and resolve.outcome is Outcome.MISSED
    assert resolve.margin == -30 * 60


def test_sla_settings_errors_name_the_key(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "netkb.yml"  # type: ignore[operator]
    path.write_text(
        yaml.safe_dump(
            {
                "sla": {
                    "calendars": {
                        "business": {"hours": "17:30-08:30", "holidays": ["2026-10-07..2026-10-01"]}
                    },
                    "levels": {"P1": {"zh": "一级", "en": "Critical", "response": "soon", "typo": 1}},
                },
                "repeat_windw_days": 30,
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigFileError) as caught:
        load_settings(path)
    text = "\n".join(caught.value.problems)
    assert "sla.calendars.business.hours" in text and "ends before it starts" in text
    assert "sla.calendars.business.holidays" in text and "FIRST..LAST" in text
    assert "sla.levels.P1.response" in text and "'soon' is not a duration" in text
    assert "sla.levels.P1.typo: unknown key" in text
    assert "repeat_windw_days: unknown key" in text


def test_a_target_on_an_undefined_calendar_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"levels\.P1\.resolve: calendar 'office' is not defined"):
        SlaPolicy.model_validate(
            {"levels": {"P1": {"zh": "一级", "en": "C", "resolve": {"within": "4h", "calendar": "office"}}}}
        )
