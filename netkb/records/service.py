"""Service-management settings: the SLA policy (fault levels, targets, calendars) and the
incident categories, as `netkb.yml` writes them.

    sla:
      calendars:
        business:                       # 5×8: Mon–Fri 08:30–17:30, China's public holidays
          days: [mon, tue, wed, thu, fri]
          hours: ["08:30-17:30"]          # several windows allowed: ["08:30-12:00", "13:30-17:30"]
          holidays: [2026-10-01..2026-10-07, 2027-01-01]
          workdays: [2026-09-27, 2026-10-10]   # make-up working days (调休)
          time_zone: Asia/Shanghai
      levels:
        P1: {zh: 一级, en: Critical, response: 15m, onsite: 2h, resolve: 4h}
        P3: {zh: 三级, en: Minor, response: 30m, onsite: 2h,
             resolve: {within: 3d, calendar: business}}

A target is a duration (`15m`, `2h`, `1d`, `1h30m`) measured on the level's `calendar`
(default `24x7`), or `{within: DURATION, calendar: NAME}` for its own calendar. On a business
calendar a day (`d`) is one working day (the sum of its hour windows, 9 h for 08:30–17:30):
"resolve within 3 working days" is `3d`. The calendar `24x7` always exists.

The defaults come from the contract: 7×24 phone response, an engineer on site within 2 hours.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
import zoneinfo
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

ALWAYS = "24x7"
# key: (zh, en)
DEFAULT_CATEGORIES = {
    "hardware": ("硬件故障", "Hardware"),
    "link": ("链路故障", "Link"),
    "routing": ("路由故障", "Routing"),
    "switching": ("交换故障", "Switching"),
    "wireless": ("无线故障", "Wireless"),
    "security": ("安全事件", "Security"),
    "power": ("电源/供电", "Power"),
    "config": ("配置错误", "Configuration"),
    "software": ("软件缺陷", "Software"),
    "other": ("其他", "Other"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetKind(enum.StrEnum):
    """What an SLA target measures, each from `reported`."""

    RESPONSE = "response"  # to `responded`
    ONSITE = "onsite"  # to `onsite` (only when an engineer went on site)
    RESOLVE = "resolve"  # to `resolved`


_DURATION = re.compile(r"(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?")


class Duration(_Strict):
    """Days apart from the rest: a day's length depends on the calendar (24 h, or a working day)."""

    days: int = 0
    seconds: int = 0

    def __str__(self) -> str:
        h, rest = divmod(self.seconds, 3600)
        m, s = divmod(rest, 60)
        text = "".join(f"{n}{u}" for n, u in ((self.days, "d"), (h, "h"), (m, "m"), (s, "s")) if n)
        return text or "0m"


def parse_duration(value: Any) -> Any:
    if isinstance(value, Duration | dict):
        return value
    text = str(value).strip().lower() if isinstance(value, str | int) else ""
    match = _DURATION.fullmatch(text)
    if not text or not match or not any(match.groups()):
        raise ValueError(f"{value!r} is not a duration: write it like 15m, 2h, 1h30m or 3d")
    d, h, m, s = (int(g or 0) for g in match.groups())
    return Duration(days=d, seconds=h * 3600 + m * 60 + s)


DurationField = Annotated[Duration, BeforeValidator(parse_duration)]


class Target(_Strict):
    within: DurationField
    calendar: str | None = None  # None: the level's calendar


def _target(value: Any) -> Any:
    return value if isinstance(value, dict | Target) or value is None else {"within": value}


TargetField = Annotated[Target | None, BeforeValidator(_target)]


class Level(_Strict):
    zh: str
    en: str
    response: TargetField = None  # None: no target of this kind for the level
    onsite: TargetField = None
    resolve: TargetField = None
    calendar: str = ALWAYS

    def target(self, kind: TargetKind) -> Target | None:
        found: Target | None = getattr(self, kind.value)
        return found

    def calendar_of(self, kind: TargetKind) -> str:
        target = self.target(kind)
        return (target.calendar if target and target.calendar else None) or self.calendar


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


def _day_names(value: Any) -> Any:
    if isinstance(value, list):
        out = []
        for day in value:
            key = str(day).strip().lower()[:3]
            if key not in _WEEKDAYS:
                raise ValueError(f"{day!r} is not a weekday: use mon, tue, wed, thu, fri, sat, sun")
            out.append(_WEEKDAYS.index(key))
        return out
    return value


def _windows(value: Any) -> Any:
    """["08:30-17:30"] -> [(510, 1050)]: minutes after midnight, 24:00 allowed as an end."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return value
    out = []
    for item in items:
        match = _WINDOW.fullmatch(str(item).strip())
        h1, m1, h2, m2 = (int(g) for g in match.groups()) if match else (99, 0, 0, 0)
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if not match or max(m1, m2) > 59 or start >= 1440 or end > 1440:
            raise ValueError(f"{item!r} is not an hour window: write it like 08:30-17:30 (00:00-24:00)")
        if end <= start:
            raise ValueError(f"{item!r}: the window ends before it starts")
        out.append((start, end))
    return out


def _dates(value: Any) -> Any:
    """Dates and ranges `2026-10-01..2026-10-07` (both ends included) into a sorted list of dates."""
    if not isinstance(value, list):
        return value
    out: set[dt.date] = set()
    for item in value:
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            out.add(item)
            continue
        parts = str(item).split("..")
        try:
            first, last = dt.date.fromisoformat(parts[0].strip()), dt.date.fromisoformat(parts[-1].strip())
        except ValueError:
            raise ValueError(
                f"{item!r} is not a date or a range: write 2026-10-01 or 2026-10-01..2026-10-07"
            ) from None
        if len(parts) > 2 or last < first:
            raise ValueError(f"{item!r}: a range is FIRST..LAST with FIRST not after LAST")
        out.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return sorted(out)


def _zone_name(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a time zone (e.g. Asia/Shanghai)") from None
    return value


ZoneName = Annotated[str, AfterValidator(_zone_name)]


class Calendar(_Strict):
    """Working time: `days` at `hours`, except `holidays`, plus make-up `workdays` (调休)."""

    days: Annotated[list[int], BeforeValidator(_day_names)] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    # Minutes after midnight, local time; written as "08:30-17:30".
    hours: Annotated[list[tuple[int, int]], BeforeValidator(_windows)] = Field(
        default_factory=lambda: [(510, 1050)]
    )
    holidays: Annotated[list[dt.date], BeforeValidator(_dates)] = Field(default_factory=list)
    workdays: Annotated[list[dt.date], BeforeValidator(_dates)] = Field(default_factory=list)
    time_zone: ZoneName = "Asia/Shanghai"

    @field_validator("hours")
    @classmethod
    def _no_overlap(cls, value: list[tuple[int, int]]) -> list[tuple[int, int]]:
        ordered = sorted(value)
        if any(a[1] > b[0] for a, b in itertools.pairwise(ordered)):
            raise ValueError("hour windows overlap")
        return ordered

    @model_validator(mode="after")
    def _some_working_time(self) -> Calendar:
        if not self.hours or not (self.days or self.workdays):
            raise ValueError("a calendar needs hours and days (or make-up workdays) to work in")
        return self

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() in self.days and day not in self.holidays

    @property
    def day_seconds(self) -> int:
        """The length of one working day (what `1d` means on this calendar)."""
        return sum(end - start for start, end in self.hours) * 60


def _default_levels() -> dict[str, Level]:
    def level(zh: str, en: str, response: str, onsite: Any, resolve: Any) -> Level:
        return Level.model_validate(
            {"zh": zh, "en": en, "response": response, "onsite": onsite, "resolve": resolve}
        )

    return {
        "P1": level("一级", "Critical", "15m", "2h", "4h"),
        "P2": level("二级", "Major", "15m", "2h", "8h"),
        "P3": level("三级", "Minor", "30m", "2h", {"within": "3d", "calendar": "business"}),
        "P4": level("四级", "Advisory", "30m", {"within": "1d", "calendar": "business"},
                    {"within": "5d", "calendar": "business"}),
    }  # fmt: skip


class SlaPolicy(_Strict):
    levels: dict[str, Level] = Field(default_factory=_default_levels)
    calendars: dict[str, Calendar] = Field(default_factory=lambda: {"business": Calendar()})
    time_zone: ZoneName = "Asia/Shanghai"  # where report periods (months, quarters, years) begin and end

    @model_validator(mode="after")
    def _calendars_exist(self) -> SlaPolicy:
        if ALWAYS in self.calendars:
            raise ValueError(f"calendars.{ALWAYS}: built in (every hour of every day); do not define it")
        known = {ALWAYS, *self.calendars}
        problems = [
            f"levels.{name}.{kind.value}: calendar {level.calendar_of(kind)!r} is not defined "
            f"(one of {', '.join(sorted(known))})"
            for name, level in self.levels.items()
            for kind in TargetKind
            if level.target(kind) and level.calendar_of(kind) not in known
        ]
        if problems:
            raise ValueError("; ".join(problems))
        if not self.levels:
            raise ValueError("levels: define at least one fault level")
        return self

    def calendar(self, name: str) -> Calendar | None:
        """None for the 7×24 calendar."""
        return None if name == ALWAYS else self.calendars[name]


class Names(_Strict):
    zh: str
    en: str


def _categories(value: Any) -> Any:
    """A plain list of keys is allowed: each is then its own zh and en name."""
    if isinstance(value, list):
        return {str(key): {"zh": str(key), "en": str(key)} for key in value}
    return value


Categories = Annotated[dict[str, Names], BeforeValidator(_categories)]


def default_categories() -> dict[str, Names]:
    return {key: Names(zh=zh, en=en) for key, (zh, en) in DEFAULT_CATEGORIES.items()}
