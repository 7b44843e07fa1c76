"""Service requests (客户交付): `requests/*.md`, YAML front matter then notes in Markdown.

    ---
    id: REQ-2026-0012
    title: 图书馆三楼新增两个办公信息点
    type: new_port                          # a key of settings requests.types
    channel: phone                          # phone / walk-in / e-mail / system
    requester: 图书馆 王老师
    department: 图书馆
    building: 图书馆                         # as the inventory spells it (reports count by it)
    devices: [acc-lib-01]                   # optional: inventory names
    received: 2026-09-08T09:10:00+08:00     # ISO 8601 with its zone (required)
    dispatched: {at: 2026-09-08T09:40:00+08:00, engineer: 李工}   # the first response
    fulfilled: 2026-09-08T15:20:00+08:00    # absent while the request is open
    return_call: {at: 2026-09-09T10:00:00+08:00, confirmed: true, satisfaction: 5, comment: 很快}
    incident: INC-2026-0031                 # optional: a linked incident id
    change: CHG-2026-0004                   # optional: a linked change record id
    ---
    Notes ...

The targets are the type's (settings `requests.types`): time to first response (received ->
dispatched) and to fulfilment (received -> fulfilled), each on an SLA calendar. Every file is
validated whole, each problem one line naming the file and the field, like incidents.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from netkb.records.effort import Difficulty, Effort, PartUse, Travel, work_problems
from netkb.records.frontmatter import unknown_devices, validated_record

# The incident records' field types and message helpers: one way to read a time or a field path.
from netkb.records.incidents import Text, Timestamp
from netkb.records.incidents import _shown as shown_pair
from netkb.records.record_file import read_records_with_ids
from netkb.records.service import ALWAYS, Level, TargetField

# --- settings: the request types and their targets ---------------------------------------------


class RequestType(BaseModel):
    """A kind of request with its names and targets (`4h`, `2d`, or `{within, calendar}`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str
    en: str
    response: TargetField = None  # received -> dispatched; None: no target
    fulfil: TargetField = None  # received -> fulfilled
    calendar: str = ALWAYS

    def as_level(self) -> Level:
        """The type as an SLA level (fulfilment is the level's `resolve`): one SLA arithmetic."""
        return Level(
            zh=self.zh, en=self.en, response=self.response, resolve=self.fulfil, calendar=self.calendar
        )


def _default_types() -> dict[str, RequestType]:
    def kind(zh: str, en: str, response: str, fulfil: str) -> RequestType:
        return RequestType.model_validate(
            {"zh": zh, "en": en, "response": response, "fulfil": fulfil, "calendar": "business"}
        )

    return {
        "new_port": kind("新增端口/VLAN", "New port or VLAN", "2h", "2d"),
        "wireless_account": kind("无线账号", "Wireless account", "30m", "1d"),
        "consultation": kind("咨询", "Consultation", "30m", "1d"),
        "complaint": kind("投诉", "Complaint", "1h", "2d"),
        "other": kind("其他", "Other", "4h", "5d"),
    }


class RequestPolicy(BaseModel):
    """Settings `requests`: the types (keys the records' `type` names) and their targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    types: Annotated[dict[str, RequestType], Field(min_length=1)] = Field(default_factory=_default_types)

    def unknown_calendars(self, calendars: Iterable[str]) -> list[str]:
        known = {ALWAYS, *calendars}
        return [
            f"requests.types.{name}.{kind}: calendar {cal!r} is not defined in sla.calendars "
            f"(one of {', '.join(sorted(known))})"
            for name, t in self.types.items()
            for kind, target in (("response", t.response), ("fulfil", t.fulfil))
            if target is not None and (cal := target.calendar or t.calendar) not in known
        ]


# --- the records -----------------------------------------------------------------------------


class Channel(enum.StrEnum):
    PHONE = "phone"
    WALK_IN = "walk-in"
    EMAIL = "e-mail"
    SYSTEM = "system"


@dataclass(frozen=True)
class ReturnCall:
    at: dt.datetime
    confirmed: bool  # the requester confirmed the result
    satisfaction: int | None  # 1–5
    comment: str = ""


@dataclass(frozen=True)
class ServiceRequest:
    path: str  # as reported, e.g. "requests/2026-09-08-lib-port.md"
    id: str
    title: str
    type: str
    channel: Channel
    requester: str
    department: str
    building: str
    devices: tuple[str, ...]
    received: dt.datetime  # aware
    dispatched: dt.datetime | None
    engineer: str
    fulfilled: dt.datetime | None
    return_call: ReturnCall | None
    incident: str = ""
    change: str = ""
    notes: str = ""  # the Markdown after the front matter
    effort: Effort | None = None  # the work it took, as incidents record it (netkb/records/effort.py)
    difficulty: str | None = None
    parts: tuple[PartUse, ...] = ()
    travel: Travel | None = None

    @property
    def is_open(self) -> bool:
        return self.fulfilled is None


@dataclass(frozen=True)
class RequestRules:
    devices: frozenset[str]
    types: tuple[str, ...]
    incidents: frozenset[str] | None = None  # None: incident ids are not checked
    difficulties: tuple[str, ...] | None = None  # settings cost.difficulty; None: not checked


_ID = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]


class _Dispatch(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at: Timestamp
    engineer: Annotated[Text, Field(min_length=1)]


class _ReturnCall(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at: Timestamp
    confirmed: bool
    satisfaction: Annotated[int, Field(ge=1, le=5)] | None = None
    comment: Text = ""


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[_ID, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    title: Annotated[Text, Field(min_length=1)]
    type: Text
    channel: Channel
    requester: Annotated[Text, Field(min_length=1)]
    department: Annotated[Text, Field(min_length=1)]
    building: Annotated[Text, Field(min_length=1)]
    devices: list[str] = Field(default_factory=list)
    received: Timestamp
    dispatched: _Dispatch | None = None
    fulfilled: Timestamp | None = None
    return_call: _ReturnCall | None = None
    incident: _ID = ""
    change: _ID = ""
    effort: Effort | None = None
    difficulty: Difficulty | None = None
    parts: list[PartUse] = Field(default_factory=list)
    travel: Travel | None = None


def _message(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return "unknown field (check its spelling; known: " + ", ".join(_known_fields(error["loc"])) + ")"
    if kind == "missing":
        return "missing: this field is required"
    if kind == "enum":
        return f"{value!r} is not one of {', '.join(c.value for c in Channel)}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "too_short":
        return "empty: write something here"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{value!r}: give a score from 1 (very dissatisfied) to 5 (very satisfied)"
    if kind == "string_pattern_mismatch":
        return f"{value!r}: use letters, digits, '.', '_' and '-' (e.g. REQ-2026-0012)"
    if kind in ("bool_parsing", "bool_type"):
        return f"{value!r}: write true or false"
    return f"{error['msg']} (got {value!r})"


def _known_fields(loc: tuple[Any, ...]) -> list[str]:
    nested: dict[str, type[BaseModel]] = {"dispatched": _Dispatch, "return_call": _ReturnCall}
    nested.update({"effort": Effort, "travel": Travel, "parts": PartUse})  # netkb/records/effort.py
    model = nested.get(str(loc[0]), _FrontMatter)
    return list((_FrontMatter if len(loc) == 1 else model).model_fields)


def _order(record: _FrontMatter) -> list[str]:
    """Each time after the one it follows: received, dispatched, fulfilled, the return call."""
    times = [
        ("received", record.received),
        ("dispatched.at", record.dispatched.at if record.dispatched else None),
        ("fulfilled", record.fulfilled),
        ("return_call.at", record.return_call.at if record.return_call else None),
    ]
    problems = []
    for i, (name, stamp) in enumerate(times[1:], start=1):
        after = [(n, s) for n, s in times[:i] if s is not None and stamp is not None and stamp < s]
        if after and stamp is not None:
            left, right = shown_pair(stamp, after[0][1])
            problems.append(f"{name}: before {after[0][0]} ({left} < {right})")
    if record.return_call is not None and record.fulfilled is None:
        problems.append("return_call: the request is not fulfilled: add fulfilled (or remove return_call)")
    return problems


def _known(rules: RequestRules, data: dict[str, Any]) -> list[str]:
    problems = []
    kind = data.get("type")
    if kind is not None and str(kind) not in rules.types:
        problems.append(f"type: {kind!r} is not one of {', '.join(rules.types)} (settings requests.types)")
    devices = data.get("devices")
    problems += unknown_devices(devices, rules.devices)
    incident = data.get("incident")
    if rules.incidents is not None and incident and str(incident) not in rules.incidents:
        problems.append(f"incident: {incident!r} is not the id of an incident record (incidents/*.md)")
    named = [str(d) for d in devices] if isinstance(devices, list) else []
    return problems + work_problems(data, named, rules.difficulties)


def parse_request(text: str, shown: str, rules: RequestRules) -> tuple[ServiceRequest | None, list[str]]:
    """One record from one file's text; `shown` is the path the problems start with."""
    record, notes, problems = validated_record(
        text,
        shown,
        "id, title, type, channel, requester, department, building, received …",
        _FrontMatter,
        _message,
        lambda data: _known(rules, data),
        _order,
    )
    if record is None:
        return None, problems
    call = record.return_call
    return ServiceRequest(
        path=shown,
        id=record.id,
        title=record.title,
        type=record.type,
        channel=record.channel,
        requester=record.requester,
        department=record.department,
        building=record.building,
        devices=tuple(record.devices),
        received=record.received,
        dispatched=record.dispatched.at if record.dispatched else None,
        engineer=record.dispatched.engineer if record.dispatched else "",
        fulfilled=record.fulfilled,
        return_call=ReturnCall(call.at, call.confirmed, call.satisfaction, call.comment) if call else None,
        incident=record.incident,
        change=record.change,
        notes=notes.strip(),
        effort=record.effort,
        difficulty=record.difficulty,
        parts=tuple(record.parts),
        travel=record.travel,
    ), []


def load_requests(folder: Path, rules: RequestRules) -> tuple[list[ServiceRequest], list[str]]:
    """Every request under the folder (by received time) and every problem, one line each."""
    requests, problems = read_records_with_ids(folder, parse_request, rules)
    return sorted(requests, key=lambda r: (r.received, r.id)), problems
