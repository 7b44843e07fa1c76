"""Report periods: a month `2026-10`, a quarter `2026-Q3`, a year `2026` — 17 reports a year."""

from __future__ import annotations

import datetime as dt
import enum
import re
import zoneinfo
from dataclasses import dataclass

from netkb.i18n import Strings
from netkb.records.cycles import add_months


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    number: int  # month 1–12, quarter 1–4, 0 for a year

    @property
    def key(self) -> str:
        """`2026-10`, `2026-Q3`, `2026`: what `netkb report` takes and page names use."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def start(self) -> dt.date:
        month = {PeriodKind.MONTH: self.number, PeriodKind.QUARTER: self.number * 3 - 2}.get(self.kind, 1)
        return dt.date(self.year, month, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        return add_months(self.start, {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}.get(self.kind, 12))

    def bounds(self, zone: str) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware instants: midnight in the reports' time zone."""
        tz = zoneinfo.ZoneInfo(zone)
        return (
            dt.datetime.combine(self.start, dt.time(0), tzinfo=tz),
            dt.datetime.combine(self.end, dt.time(0), tzinfo=tz),
        )

    def label(self, language: str) -> str:
        """`2026年10月` / `October 2026`, `2026年第三季度` / `Q3 2026`, `2026年度` / `Year 2026`."""
        s = Strings(language)
        if self.kind is PeriodKind.MONTH:
            return s.plain("period_month", year=self.year, month=s.plain(f"month_{self.number}"))
        if self.kind is PeriodKind.QUARTER:
            return s.plain("period_quarter", year=self.year, quarter=s.plain(f"quarter_{self.number}"))
        return s.plain("period_year", year=self.year)

    def months(self) -> list[Period]:
        """The months it spans (itself for a month)."""
        if self.kind is PeriodKind.MONTH:
            return [self]
        first = self.start.month
        count = 3 if self.kind is PeriodKind.QUARTER else 12
        return [Period(PeriodKind.MONTH, self.year, m) for m in range(first, first + count)]

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days)]


def parse_period(text: str) -> Period:
    """`2026-10`, `2026-Q3` (or `2026q3`), `2026`; ValueError with the accepted forms otherwise."""
    value = text.strip()
    forms = "a month 2026-10, a quarter 2026-Q3 or a year 2026"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        if not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"{text!r}: month {int(m.group(2))} does not exist (01–12)")
        period = Period(PeriodKind.MONTH, int(m.group(1)), int(m.group(2)))
    elif m := re.fullmatch(r"(\d{4})-?[Qq](\d)", value):
        if not 1 <= int(m.group(2)) <= 4:
            raise ValueError(f"{text!r}: quarter {m.group(2)} does not exist (Q1–Q4)")
        period = Period(PeriodKind.QUARTER, int(m.group(1)), int(m.group(2)))
    elif re.fullmatch(r"\d{4}", value):
        period = Period(PeriodKind.YEAR, int(value), 0)
    else:
        raise ValueError(f"{text!r} is not a report period: give {forms}")
    if not 1970 <= period.year <= 9998:
        raise ValueError(f"{text!r}: the year is out of range (1970–9998)")
    return period


def periods_of_year(year: int) -> list[Period]:
    """The 17 reports of a year: 12 months, 4 quarters, the year."""
    return [
        *(Period(PeriodKind.MONTH, year, m) for m in range(1, 13)),
        *(Period(PeriodKind.QUARTER, year, q) for q in range(1, 5)),
        Period(PeriodKind.YEAR, year, 0),
    ]
