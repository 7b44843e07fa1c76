"""Change records (变更管理): `change-requests/*.md`, one planned change each, YAML front matter
then the team's notes in Markdown.

    ---
    id: CHG-2026-031
    title: 图书馆新增自助借还、研讨间 VLAN
    devices: [agg-lib, acc-lib-01]         # inventory names: the devices the change may touch
    window:                                # when it may be made, ISO 8601 with its zone
      start: 2026-09-01T21:00:00+08:00
      end: 2026-09-01T23:00:00+08:00
    requester: 图书馆信息部 王老师
    approver: 网络中心 赵主任              # approver and approved: both, or neither (not approved yet)
    approved: 2026-08-30T16:00:00+08:00
    risk: low                              # low / medium / high
    emergency: false                       # true: made first, approved after the fact
    plan: 新建 VLAN 105/106 及网关，下联 trunk 放通
    rollback: 删除 VLAN 105/106 及网关
    result: 已完成，自助借还机上线
    ---
    Notes ...

The folder is `change-requests/`, not `changes/`: the site's `changes/` section is the config
changes the collector found, and a record's page must not share that path (or its name).
A record approved after its window opened must say `emergency: true`; the matching
(change_matching.py) then allows it only when the approval came within `emergency_hours`.
Every file is validated whole, every problem one line naming the file and the field, like
incidents.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from netkb.inventory import Strict
from netkb.records.frontmatter import unknown_devices, validated_record
from netkb.records.incidents import Text, Timestamp, _message, _text
from netkb.records.record_file import read_records_with_ids

FOLDER = "change-requests"


class ChangeControl(Strict):
    """Settings `change_records` (netkb.yml)."""

    # Unplanned commits count from this day on (in sla.time_zone). None: from the start of the first
    # record's window. Without it, a store with years of history from before the team kept change
    # records would show every one of those commits as unplanned: nothing was planned on paper then.
    since: dt.date | None = None
    # An emergency change (made first, `emergency: true`) is allowed when approved at most this long
    # after its window ends; approved later it is unplanned.
    emergency_hours: Annotated[float, Field(gt=0, le=24 * 30)] = 24
    # An unplanned change stays a finding (home page, `netkb inspect` exit 1) this many days after it
    # was found; the change-record index and the reports keep it for good.
    recent_days: Annotated[int, Field(ge=1, le=3650)] = 30


class Risk(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class PlannedChange:
    path: str  # as reported, e.g. "change-requests/2026-09-01-lib-vlans.md"
    id: str
    title: str
    devices: tuple[str, ...]
    start: dt.datetime  # aware
    end: dt.datetime
    approved: dt.datetime | None  # None: not approved (yet)
    approver: str = ""
    requester: str = ""
    risk: Risk = Risk.LOW
    emergency: bool = False
    plan: str = ""
    rollback: str = ""
    result: str = ""
    notes: str = ""  # the Markdown after the front matter


class _Window(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    start: Timestamp
    end: Timestamp


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, BeforeValidator(_text), Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    title: Annotated[Text, Field(min_length=1)]
    devices: Annotated[list[str], Field(min_length=1)]
    window: _Window
    requester: Text = ""
    approver: Text = ""
    approved: Timestamp | None = None
    risk: Risk = Risk.LOW
    emergency: bool = False
    plan: Text = ""
    rollback: Text = ""
    result: Text = ""


_FIELDS = "id, title, devices, window (start, end), requester, approver, approved, risk, plan, rollback"


def _problem(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown field (check its spelling; known: {', '.join(_FrontMatter.model_fields)})"
    if error["type"] == "enum":
        return f"{error.get('input')!r} is not one of {', '.join(r.value for r in Risk)}"
    if error["type"] == "string_pattern_mismatch":
        return f"{error.get('input')!r}: use letters, digits, '.', '_' and '-' (e.g. CHG-2026-031)"
    return _message(error)


def _consistency(record: _FrontMatter, devices: frozenset[str]) -> list[str]:
    problems = unknown_devices(record.devices, devices)
    if record.window.end <= record.window.start:
        problems.append("window: end is not after start: give the end of the window")
    if bool(record.approver) != (record.approved is not None):
        problems.append("approved: give both approver and approved (the time), or neither (not approved yet)")
    if record.approved is not None and record.approved > record.window.start and not record.emergency:
        problems.append(
            "approved: after the window opened: approve before it, or set emergency: true if it was "
            "an emergency change approved after the fact"
        )
    return problems


def parse_planned_change(
    text: str, shown: str, devices: frozenset[str]
) -> tuple[PlannedChange | None, list[str]]:
    """One record from one file's text; `shown` is the path the problems start with."""
    record, notes, problems = validated_record(
        text, shown, _FIELDS, _FrontMatter, _problem, consistent=lambda record: _consistency(record, devices)
    )
    if record is None:
        return None, problems
    return PlannedChange(
        path=shown,
        id=record.id,
        title=record.title,
        devices=tuple(record.devices),
        start=record.window.start,
        end=record.window.end,
        approved=record.approved,
        approver=record.approver,
        requester=record.requester,
        risk=record.risk,
        emergency=record.emergency,
        plan=record.plan,
        rollback=record.rollback,
        result=record.result,
        notes=notes.strip(),
    ), []


def load_planned_changes(folder: Path, devices: frozenset[str]) -> tuple[list[PlannedChange], list[str]]:
    """Every record under the folder (by window start) and every problem, one line each."""
    records, problems = read_records_with_ids(folder, parse_planned_change, devices)
    return sorted(records, key=lambda r: (r.start, r.id)), problems
