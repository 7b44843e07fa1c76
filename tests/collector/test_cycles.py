"""Inspection cycles: calendar months, due dates across month ends and leap years, completeness."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from netkb.inspection.checklist import Verdict
from netkb.records.cycles import Cycles, add_months, last_inspection, last_log_export, overdue
from netkb.records.onsite import OnsiteItem, OnsiteRecord

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 8, 31), 2, D(2026, 10, 31)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),  # clamped to the shorter month's end
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 1, 15), -2, D(2025, 11, 15)),
        (D(2026, 5, 31), 1, D(2026, 6, 30)),
    ],
)
def test_add_months_is_calendar_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("role", "last", "today", "expected"),
    [
        ("core", D(2026, 8, 31), D(2026, 10, 31), (False, D(2026, 10, 31))),  # on the due date: not overdue
        ("core", D(2026, 8, 31), D(2026, 11, 1), (True, D(2026, 10, 31))),  # the day after: overdue
        ("access", D(2026, 12, 31), D(2027, 2, 28), (False, D(2027, 2, 28))),
        ("access", D(2026, 12, 31), D(2027, 3, 1), (True, D(2027, 2, 28))),
        ("aggregation", D(2027, 12, 31), D(2028, 2, 29), (False, D(2028, 2, 29))),  # leap day is due
        ("aggregation", D(2027, 12, 31), D(2028, 3, 1), (True, D(2028, 2, 29))),
        ("firewall", D(2026, 11, 30), D(2027, 2, 28), (False, D(2027, 2, 28))),  # a quarter
        ("firewall", D(2026, 11, 30), D(2027, 3, 1), (True, D(2027, 2, 28))),
        ("controller", D(2026, 1, 31), D(2026, 4, 30), (False, D(2026, 4, 30))),  # other devices: quarter
        ("core", None, D(2026, 1, 1), (True, None)),  # never inspected
    ],
)
def test_overdue_across_cycle_boundaries(
    role: str, last: dt.date | None, today: dt.date, expected: tuple[bool, dt.date | None]
) -> None:
    assert overdue(role, last, today) == expected


def test_cycles_are_settings() -> None:
    cycles = Cycles.model_validate(
        {
            "switches": "3 months",
            "others": "quarter",
            "roles": {"controller": "1 month"},
            "log_export": "1 year",
        }
    )
    assert cycles.months_for("access") == 3 and cycles.months_for("controller") == 1
    assert cycles.months_for("firewall") == 3 and cycles.log_export == 12
    assert overdue("controller", D(2026, 1, 31), D(2026, 3, 1), cycles) == (True, D(2026, 2, 28))
    with pytest.raises(ValidationError, match="is not a period"):
        Cycles.model_validate({"switches": "fortnightly"})
    with pytest.raises(ValidationError, match="Extra inputs"):
        Cycles.model_validate({"swiches": 2})


def test_firewall_log_export_once_a_year() -> None:
    cycles = Cycles()
    assert cycles.log_export_overdue("core", D(2020, 1, 1), D(2026, 1, 1)) is None  # not exported
    assert cycles.log_export_overdue("firewall", D(2025, 2, 28), D(2026, 2, 28)) == (False, D(2026, 2, 28))
    assert cycles.log_export_overdue("firewall", D(2025, 2, 28), D(2026, 3, 1)) == (True, D(2026, 2, 28))


def _visit(
    day: dt.date, devices: tuple[str, ...] = ("core-1",), rooms: tuple[str, ...] = (), **items: str
) -> OnsiteRecord:
    found = {k: OnsiteItem(Verdict(v)) for k, v in (items or {"grounding": "normal"}).items()}
    return OnsiteRecord(f"inspections/{day}.md", day, "张工", devices, rooms, found)


def _runs(*days: dt.date) -> list[dt.datetime]:
    return [dt.datetime(d.year, d.month, d.day, 2, 0) for d in days]


def test_complete_needs_a_run_and_a_visit_within_one_cycle() -> None:
    runs = _runs(D(2026, 8, 1), D(2026, 9, 20))
    # Visit after a run in the cycle before it: complete on the visit.
    assert last_inspection("core-1", runs, [_visit(D(2026, 9, 30))], months=2) == D(2026, 9, 30)
    # Visit first, the next run completes it.
    assert last_inspection("core-1", _runs(D(2026, 10, 5)), [_visit(D(2026, 9, 30))], months=2) == D(
        2026, 10, 5
    )
    # A run and a visit more than a cycle apart are not one inspection.
    assert last_inspection("core-1", _runs(D(2026, 1, 1)), [_visit(D(2026, 9, 30))], months=2) is None
    # A run alone, or a visit to other devices, is not complete.
    assert last_inspection("core-1", runs, [], months=2) is None
    assert last_inspection("core-1", runs, [_visit(D(2026, 9, 30), ("core-2",))], months=2) is None


def test_window_edges_are_calendar_months() -> None:
    visit = [_visit(D(2026, 10, 31))]
    assert last_inspection("core-1", _runs(D(2026, 8, 31)), visit, months=2) == D(2026, 10, 31)
    assert last_inspection("core-1", _runs(D(2026, 8, 30)), visit, months=2) is None
    assert last_inspection("core-1", _runs(D(2026, 12, 31)), visit, months=2) == D(2026, 12, 31)
    assert last_inspection("core-1", _runs(D(2027, 1, 1)), visit, months=2) is None


def test_latest_complete_inspection_counts_and_rooms_cover_devices() -> None:
    runs = _runs(D(2026, 3, 1), D(2026, 9, 1))
    visits = [_visit(D(2026, 3, 2)), _visit(D(2026, 9, 2), devices=(), rooms=("图书馆机房",))]
    assert last_inspection("core-1", runs, visits, months=2) == D(2026, 3, 2)
    assert last_inspection("core-1", runs, visits, months=2, room="图书馆机房") == D(2026, 9, 2)


def test_last_log_export_is_the_last_normal_export() -> None:
    visits = [
        _visit(D(2025, 6, 1), ("fw-1",), log_export="normal"),
        _visit(D(2026, 6, 1), ("fw-1",), log_export="abnormal"),  # the export failed
        _visit(D(2026, 7, 1), ("fw-1",)),
    ]
    assert last_log_export("fw-1", visits) == D(2025, 6, 1)
    assert last_log_export("fw-2", visits) is None
