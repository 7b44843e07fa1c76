"""Inspection cycles: how often each device class is inspected, and what is overdue.

The contract: switches every 2 months, other maintained devices (firewalls, wireless
controllers…) every quarter, firewall logs exported once a year. Periods are calendar
months: 2 months after 2026-08-31 is 2026-10-31, after 2026-12-31 it is 2027-02-28 (a
month without the day ends the period on its last day).

An inspection is *complete* when the device has both halves within one cycle of each other:
an automatic run (the collect reads the checklist's automatic items) and an on-site record
(the engineer's visit). The visit anchors it: complete on the visit's date when a run came
in the cycle before, else on the first run in the cycle after it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_right
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from netkb.inspection.checklist import Verdict
from netkb.records.onsite import OnsiteRecord

_WORDS = {"month": 1, "quarter": 3, "year": 12}


def _months(value: Any) -> int:
    """12, "2 months", "quarter", "1 year" -> months."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+)?\s*(month|quarter|year)s?\s*", value.lower())
        if match:
            return int(match.group(1) or 1) * _WORDS[match.group(2)]
    raise ValueError(
        f"{value!r} is not a period: write months as a number, or '2 months', 'quarter', '1 year'"
    )


Months = Annotated[int, BeforeValidator(_months), Field(ge=1, le=120)]


class Cycles(BaseModel):
    """Settings (`cycles:`): inspection period per device class, in months."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    switch_roles: list[str] = Field(default_factory=lambda: ["core", "aggregation", "access"])
    switches: Months = 2
    others: Months = 3  # every other maintained device: firewalls, controllers…
    roles: dict[str, Months] = Field(default_factory=dict)  # per-role overrides
    log_export: Months = 12
    log_export_roles: list[str] = Field(default_factory=lambda: ["firewall"])

    def months_for(self, role: str) -> int:
        if role in self.roles:
            return self.roles[role]
        return self.switches if role in self.switch_roles else self.others

    def overdue(
        self, role: str, last_complete: dt.date | None, today: dt.date
    ) -> tuple[bool, dt.date | None]:
        return _overdue(last_complete, self.months_for(role), today)

    def log_export_overdue(
        self, role: str, last_export: dt.date | None, today: dt.date
    ) -> tuple[bool, dt.date | None] | None:
        """None for a role that exports no logs."""
        if role not in self.log_export_roles:
            return None
        return _overdue(last_export, self.log_export, today)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (or earlier, negative), on the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _overdue(last: dt.date | None, months: int, today: dt.date) -> tuple[bool, dt.date | None]:
    """(overdue, due date): due on the date itself, overdue from the day after; never done = overdue."""
    if last is None:
        return True, None
    due = add_months(last, months)
    return today > due, due


def overdue(
    device_role: str, last_complete: dt.date | None, today: dt.date, cycles: Cycles | None = None
) -> tuple[bool, dt.date | None]:
    return (cycles or Cycles()).overdue(device_role, last_complete, today)


def last_inspection(
    device: str,
    automatic_runs: list[dt.datetime],
    onsite: list[OnsiteRecord],
    *,
    months: int,
    room: str | None = None,
) -> dt.date | None:
    """The date of the device's last complete inspection (None: never complete).

    `automatic_runs`: when the device was read by a collect; `onsite`: all records (those
    naming the device, or its room, count); `months`: the device's cycle (Cycles.months_for).
    """
    visits = [record.date for record in onsite if record.covers(device, room)]
    if not visits:
        return None  # no visit, no complete inspection: the runs need not be looked at
    runs = sorted({run.date() for run in automatic_runs})
    completed = []
    for visit in visits:
        # the last run on or before the visit, and the first one after it
        i = bisect_right(runs, visit)
        if i > 0 and runs[i - 1] >= add_months(visit, -months):
            completed.append(visit)
        elif i < len(runs) and runs[i] <= add_months(visit, months):
            completed.append(runs[i])
    return max(completed, default=None)


def last_log_export(device: str, onsite: list[OnsiteRecord], room: str | None = None) -> dt.date | None:
    """The last record where the engineer exported the device's logs (an abnormal export is no export)."""
    dates = [
        r.date
        for r in onsite
        if r.covers(device, room)
        and "log_export" in r.items
        and r.items["log_export"].verdict is Verdict.NORMAL
    ]
    return max(dates, default=None)
