"""Service requests against their targets on both calendars, and a period's request figures.

Every expectation is worked out by hand below: the business calendar is Mon–Fri 08:30–17:30
(9 h a working day) with the National Day holidays 2026-10-01..07 and Saturday 2026-10-10 as
a make-up working day; `2d` on it is 18 working hours."""

from __future__ import annotations

import datetime as dt

from netkb.generator.periods import parse_period
from netkb.generator.request_figures import evaluate_requests, request_figures, request_policy
from netkb.generator.sla import Outcome
from netkb.records.requests import Channel, ReturnCall, ServiceRequest
from netkb.records.service import TargetKind
from netkb.settings import Settings

TZ = dt.timezone(dt.timedelta(hours=8))
HOUR = 3600.0
SETTINGS = Settings.model_validate(
    {
        "sla": {
            "calendars": {
                "business": {"holidays": ["2026-10-01..2026-10-07"], "workdays": ["2026-10-10"]},
            }
        },
        "requests": {
            "types": {
                "new_port": {
                    "zh": "新增端口",
                    "en": "New port",
                    "response": "2h",
                    "fulfil": "2d",
                    "calendar": "business",
                },
                "complaint": {"zh": "投诉", "en": "Complaint", "response": "30m", "fulfil": "8h"},  # 7×24
            }
        },
    }
)


def t(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def req(
    rid: str,
    kind: str,
    received: dt.datetime,
    dispatched: dt.datetime | None = None,
    fulfilled: dt.datetime | None = None,
    call: ReturnCall | None = None,
    where: tuple[str, str] = ("图书馆", "图书馆"),
) -> ServiceRequest:
    return ServiceRequest(
        path=f"requests/{rid}.md",
        id=rid,
        title=f"title of {rid}",
        type=kind,
        channel=Channel.PHONE,
        requester="王老师",
        department=where[0],
        building=where[1],
        devices=(),
        received=received,
        dispatched=dispatched,
        engineer="李工" if dispatched else "",
        fulfilled=fulfilled,
        return_call=call,
    )


# Fri 16:30 -> dispatched Fri 17:00 (0.5 h worked); fulfilled Tue 10:00: Fri 1 h + Mon 9 h + Tue 1.5 h.
OVER_A_WEEKEND = req(
    "R1", "new_port", t(9, 4, 16, 30), t(9, 4, 17), t(9, 8, 10), ReturnCall(t(9, 9, 9), True, 3)
)
# Sat 22:00 on 7×24 -> dispatched 22:20 (20 min); fulfilled Sun 07:00 (9 h against 8 h).
AT_NIGHT = req(
    "R2",
    "complaint",
    t(9, 5, 22),
    t(9, 5, 22, 20),
    t(9, 6, 7),
    ReturnCall(t(9, 7, 9), False, 5),
    ("教务处", "教学楼"),
)
# Wed 09-30 15:00 -> dispatched Thu 10-08 09:00: 2.5 h + the holidays (0) + 0.5 h = 3 h against 2 h;
# fulfilled on the make-up Saturday 10-10 12:00: 2.5 + 9 (10-08) + 9 (10-09) + 3.5 = 24 h against 18 h.
OVER_THE_HOLIDAYS = req("R3", "new_port", t(9, 30, 15), t(10, 8, 9), t(10, 10, 12))


def results(request: ServiceRequest, now: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    [evaluated] = evaluate_requests([request], request_policy(SETTINGS), now)
    return evaluated.sla.results


def test_business_calendar_counts_working_hours_only() -> None:
    r = results(OVER_A_WEEKEND)
    assert (r[TargetKind.RESPONSE].outcome, r[TargetKind.RESPONSE].elapsed) == (Outcome.MET, 0.5 * HOUR)
    assert (r[TargetKind.RESOLVE].outcome, r[TargetKind.RESOLVE].elapsed) == (Outcome.MET, 11.5 * HOUR)
    assert r[TargetKind.RESOLVE].target == 18 * HOUR
    assert r[TargetKind.RESOLVE].due == t(9, 8, 16, 30)  # Fri 1 h + Mon 9 h + Tue 08:30 + 8 h
    assert r[TargetKind.ONSITE].outcome is Outcome.NOT_APPLICABLE
    r = results(OVER_THE_HOLIDAYS)
    assert (r[TargetKind.RESPONSE].outcome, r[TargetKind.RESPONSE].margin) == (Outcome.MISSED, -1 * HOUR)
    assert (r[TargetKind.RESOLVE].outcome, r[TargetKind.RESOLVE].margin) == (Outcome.MISSED, -6 * HOUR)


def test_always_calendar_counts_every_hour() -> None:
    r = results(AT_NIGHT)
    assert (r[TargetKind.RESPONSE].outcome, r[TargetKind.RESPONSE].margin) == (Outcome.MET, 10 * 60)
    assert (r[TargetKind.RESOLVE].outcome, r[TargetKind.RESOLVE].margin) == (Outcome.MISSED, -1 * HOUR)


def test_an_open_request_is_pending_until_its_target_runs_out() -> None:
    waiting = req("R5", "complaint", t(11, 24, 16))
    r = results(waiting, now=t(11, 24, 16, 20))
    assert (r[TargetKind.RESPONSE].outcome, r[TargetKind.RESPONSE].elapsed) == (Outcome.PENDING, 20 * 60)
    r = results(waiting, now=t(11, 24, 16, 45))  # 45 min without a dispatch: can no longer be met
    assert r[TargetKind.RESPONSE].outcome is Outcome.MISSED
    assert r[TargetKind.RESOLVE].outcome is Outcome.PENDING
    undispatched = req("R6", "new_port", t(11, 24, 9), fulfilled=t(11, 24, 11))
    assert results(undispatched)[TargetKind.RESPONSE].outcome is Outcome.UNRECORDED


EARLIER = req(
    "R4",
    "complaint",
    t(8, 20, 10),
    t(8, 20, 10, 10),
    t(8, 20, 12),
    ReturnCall(t(8, 21, 9), True, 2),
    ("教务处", "教学楼"),
)
SET = [EARLIER, OVER_A_WEEKEND, AT_NIGHT, OVER_THE_HOLIDAYS]


def test_a_months_figures() -> None:
    f = request_figures(parse_period("2026-09"), SET, SETTINGS, t(11, 25, 9))
    assert [e.request.id for e in f.requests] == ["R1", "R2", "R3"]  # R4 was received in August
    assert f.by_type == {"new_port": 2, "complaint": 1}
    assert f.by_department == {"图书馆": 2, "教务处": 1}
    assert f.by_building == {"图书馆": 2, "教学楼": 1}
    response, fulfil = f.compliance[TargetKind.RESPONSE], f.compliance[TargetKind.RESOLVE]
    assert (response.met, response.missed, fulfil.met, fulfil.missed) == (2, 1, 1, 2)
    # wall clock: R1 3 d 17.5 h = 89.5 h, R2 9 h, R3 9 d 21 h = 237 h
    assert f.mean_fulfilment == (89.5 + 9 + 237) * HOUR / 3
    assert (f.fulfilled, f.return_calls, f.confirmed, f.coverage) == (3, 2, 1, 2 / 3)
    assert (f.satisfaction, f.rated) == (4.0, 2)
    assert f.trend == (("09", 4.0, 2),)
    assert [c.id for c in f.complaints] == ["R2"]
    assert f.open == 0


def test_a_quarters_satisfaction_trend_has_a_point_per_month() -> None:
    f = request_figures(parse_period("2026-Q3"), SET, SETTINGS, t(11, 25, 9))
    assert f.trend == (("07", None, 0), ("08", 2.0, 1), ("09", 4.0, 2))
    assert f.satisfaction == (2 + 3 + 5) / 3
    assert [c.id for c in f.complaints] == ["R4", "R2"]
