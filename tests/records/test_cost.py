"""The cost model (netkb/records/cost.py): working hours vs out of hours on the SLA calendars,
rates per level and per request type, difficulty factors, parts at cost, travel; a period by kind,
category, request type, building and role. Every expectation is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from netkb.inventory import ConfigFileError, validate
from netkb.records.cost import incident_cost, period_cost, request_cost, working_time
from netkb.records.effort import Effort, PartUse, Travel
from netkb.records.incidents import Incident, Status
from netkb.records.requests import Channel, ServiceRequest
from netkb.records.service import Calendar
from netkb.settings import Settings

CST = dt.timezone(dt.timedelta(hours=8))
SETTINGS = validate(
    Settings,
    {
        "cost": {
            "calendar": "business",  # the default: Mon-Fri 08:30-17:30, Asia/Shanghai
            "rates": {"P1": {"working": 300, "out_of_hours": 450}},
            "default_rate": {"working": 100, "out_of_hours": 150},
            "difficulty": {
                1: {"zh": "简单", "en": "Simple"},  # factor 1 by default
                2: {"zh": "复杂", "en": "Complex", "factor": 1.5},
            },
            "travel_per_trip": 40,
            "request_rates": {"new_port": {"working": 120, "out_of_hours": 180}},
        }
    },
    Path("netkb.yml"),
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST)


def incident(
    id: str, level: str, category: str, devices: tuple[str, ...], reported: str, **more: object
) -> Incident:
    return Incident(
        path=f"incidents/{id}.md", id=id, title=id, level=level, category=category, devices=devices,
        reported=at(reported), responded=at(str(more["responded"])) if "responded" in more else None,
        onsite=at(str(more["onsite"])) if "onsite" in more else None, resolved=None, status=Status.OPEN,
        effort=more.get("effort"), difficulty=more.get("difficulty"),  # type: ignore[arg-type]
        parts=more.get("parts", ()), travel=more.get("travel"),  # type: ignore[arg-type]
    )  # fmt: skip


# A: P1 (300 working / 450 out of hours), two devices. Responded Wed 10-14 20:10: out of hours, so
# the 1 remote hour is at 450; on site Thu 10-15 09:00: working, so the 3 on-site hours are at 300.
# Labour (3 × 300 + 1 × 450) × 1.5 (difficulty 2) = (900 + 450) × 1.5 = 2025; the fan 1000; travel
# 1 trip × 40 + 25 expenses = 65. Total 2025 + 1000 + 65 = 3090.
A = incident(
    "A", "P1", "hardware", ("core-1", "agg-lib"), "2026-10-14 20:00", responded="2026-10-14 20:10",
    onsite="2026-10-15 09:00", effort=Effort(remote=1, onsite=3), difficulty="2",
    parts=(PartUse(part="FAN", device="core-1", cost=1000),), travel=Travel(trips=1, expenses=25),
)  # fmt: skip
# B: P2 has no rate of its own: default 100 / 150. Responded Sat 10-17 10:05: out of hours.
# No difficulty: factor 1. Labour 2 × 150 = 300; no parts, no travel. Total 300.
B = incident(
    "B",
    "P2",
    "link",
    ("acc-lib-01",),
    "2026-10-17 10:00",
    responded="2026-10-17 10:05",
    effort=Effort(remote=2),
)
# C records none of its work: it costs nothing and is not counted as recorded.
C = incident("C", "P3", "routing", ("agg-lib",), "2026-10-20 09:00")


def request(
    id: str, kind: str, building: str, devices: tuple[str, ...], received: str, **more: object
) -> ServiceRequest:
    return ServiceRequest(
        path=f"requests/{id}.md", id=id, title=id, type=kind, channel=Channel.PHONE, requester="r",
        department="d", building=building, devices=devices, received=at(received),
        dispatched=at(str(more["dispatched"])) if "dispatched" in more else None, engineer="e",
        fulfilled=None, return_call=None, effort=more.get("effort"),  # type: ignore[arg-type]
        difficulty=more.get("difficulty"), parts=more.get("parts", ()),  # type: ignore[arg-type]
        travel=more.get("travel"),  # type: ignore[arg-type]
    )  # fmt: skip


# R1: a new port, at new_port's own rate (120 / 180). Dispatched Mon 10-19 09:30: working time, so
# all 3 hours (1 remote + 2 on site: a request has no on-site time of its own) at 120 = 360,
# × 1.5 (difficulty 2) = 540; a patch cord 60 to acc-lib-01; 1 trip × 40. Total 540 + 60 + 40 = 640.
R1 = request(
    "R1", "new_port", "图书馆", ("acc-lib-01", "agg-lib"), "2026-10-19 09:00", dispatched="2026-10-19 09:30",
    effort=Effort(remote=1, onsite=2), difficulty="2",
    parts=(PartUse(part="CORD", device="acc-lib-01", cost=60),), travel=Travel(trips=1),
)  # fmt: skip
# R2: a consultation has no rate of its own: default 100 / 150. Never dispatched, so its half hour
# is at the rate of its receipt, Sat 10-24 10:00: out of hours, 0.5 × 150 = 75. Names no device.
R2 = request("R2", "consultation", "行政楼", (), "2026-10-24 10:00", effort=Effort(remote=0.5))
# R3 records none of its work.
R3 = request("R3", "complaint", "图书馆", ("agg-lib",), "2026-10-25 10:00")
PLACES = {
    "core-1": ("网络中心", "core"),
    "agg-lib": ("图书馆", "aggregation"),
    "acc-lib-01": ("图书馆", "access"),
}


def test_each_incident_costs_labour_at_its_rate_and_calendar_times_difficulty_plus_parts_and_travel() -> None:
    a = incident_cost(A, SETTINGS.cost, SETTINGS.sla)
    assert (a.hours_working, a.hours_out, a.labour) == (3, 1, 2025)
    assert (a.parts, a.travel, a.total) == (1000, 65, 3090)
    b = incident_cost(B, SETTINGS.cost, SETTINGS.sla)
    assert (b.hours_working, b.hours_out, b.labour, b.total) == (0, 2, 300, 300)
    c = incident_cost(C, SETTINGS.cost, SETTINGS.sla)
    assert (c.total, c.recorded) == (0, False)


def test_a_period_by_category_building_and_role() -> None:
    cost = period_cost([C, B, A], SETTINGS.cost, SETTINGS.sla, PLACES)
    assert [c.record.id for c in cost.incidents] == ["A", "B", "C"]  # by reported time
    # 3090 + 300 + 0; labour 2025 + 300; hours 4 + 2 of which 1 + 2 out of hours.
    assert (cost.total, cost.labour, cost.parts, cost.travel) == (3390, 2325, 1000, 65)
    assert (cost.hours, cost.hours_out, cost.recorded) == (6, 3, 2)
    assert cost.by_category == {"hardware": 3090, "link": 300}  # routing cost nothing: left out
    # A's labour and travel (2025 + 65 = 2090) halved between its devices: 1045 each, and the fan
    # (1000) to core-1: core-1 2045, agg-lib 1045; B's 300 to acc-lib-01.
    assert cost.by_building == {"图书馆": 1045 + 300, "网络中心": 2045}
    assert cost.by_role == {"access": 300, "aggregation": 1045, "core": 2045}


def test_each_request_costs_labour_at_its_type_rate_from_its_dispatch_plus_parts_and_travel() -> None:
    r1 = request_cost(R1, SETTINGS.cost, SETTINGS.sla)
    assert (r1.hours_working, r1.hours_out, r1.labour, r1.parts, r1.travel, r1.total) == (
        3,
        0,
        540,
        60,
        40,
        640,
    )
    r2 = request_cost(R2, SETTINGS.cost, SETTINGS.sla)
    assert (r2.hours_working, r2.hours_out, r2.labour, r2.total) == (0, 0.5, 75, 75)
    r3 = request_cost(R3, SETTINGS.cost, SETTINGS.sla)
    assert (r3.total, r3.recorded) == (0, False)


def test_a_period_with_requests_by_kind_type_building_and_role() -> None:
    cost = period_cost([C, B, A], SETTINGS.cost, SETTINGS.sla, PLACES, [R3, R1, R2])
    assert [c.record.id for c in cost.requests] == ["R1", "R2", "R3"]  # by received time
    # Incidents 3390 (above) + R1 640 + R2 75 = 4105; labour 2325 + 540 + 75 = 2940; parts 1000 + 60;
    # travel 65 + 40; hours 6 + 3 + 0.5, of which 3 + 0.5 out of hours; recorded A, B, R1, R2.
    assert (cost.total, cost.labour, cost.parts, cost.travel) == (4105, 2940, 1060, 105)
    assert (cost.hours, cost.hours_out, cost.recorded, len(cost.tickets)) == (9.5, 3.5, 4, 6)
    assert cost.by_kind == {"incident": 3390, "request": 640 + 75}
    assert cost.by_category == {"hardware": 3090, "link": 300}  # incidents only
    assert cost.by_type == {"consultation": 75, "new_port": 640}  # the complaint cost nothing
    # A request's whole cost goes to the building it names: 图书馆 1045 + 300 (incidents) + 640.
    assert cost.by_building == {"图书馆": 1045 + 300 + 640, "网络中心": 2045, "行政楼": 75}
    # R1's labour and travel (540 + 40 = 580) halved: acc-lib-01 290 + the cord 60 = 350 (access),
    # agg-lib 290 (aggregation); R2 names no device: no role.
    assert cost.by_role == {"": 75, "access": 300 + 350, "aggregation": 1045 + 290, "core": 2045}


def test_working_time_follows_the_calendar_holidays_and_make_up_days() -> None:
    calendar = Calendar.model_validate({"holidays": ["2026-10-01..2026-10-07"], "workdays": ["2026-10-10"]})
    assert working_time(calendar, at("2026-10-09 08:30"))  # Friday, the window's first minute
    assert not working_time(calendar, at("2026-10-09 17:30"))  # its end is out of hours
    assert not working_time(calendar, at("2026-10-09 08:29"))
    assert not working_time(calendar, at("2026-10-05 10:00"))  # Monday of the National Day holiday
    assert working_time(calendar, at("2026-10-10 10:00"))  # Saturday, a make-up working day
    assert not working_time(calendar, at("2026-10-11 10:00"))  # Sunday
    # 02:00 UTC on Friday is 10:00 in Shanghai: working.
    assert working_time(calendar, dt.datetime(2026, 10, 9, 2, 0, tzinfo=dt.UTC))
    assert working_time(None, at("2026-10-11 03:00"))  # 24x7: every hour is working time


def test_the_cost_settings_must_name_what_the_sla_settings_define() -> None:
    with pytest.raises(ConfigFileError) as caught:
        validate(
            Settings,
            {"cost": {"calendar": "weekends", "rates": {"P9": {"working": 1, "out_of_hours": 2}}}},
            Path("netkb.yml"),
        )
    message = str(caught.value.problems)
    assert "cost.calendar: 'weekends' is not a calendar of sla (24x7, business)" in message
    assert "cost.rates.P9: not a level of sla.levels (P1, P2, P3, P4)" in message
    with pytest.raises(ConfigFileError) as caught:
        validate(Settings, {"cost": {"request_rates": {"vip": {"working": 1, "out_of_hours": 2}}}}, Path("x"))
    assert (
        "cost.request_rates.vip: not a type of requests.types "
        "(new_port, wireless_account, consultation, complaint, other)" in str(caught.value.problems)
    )
