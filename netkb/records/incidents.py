"""Incident records: `incidents/*.md`, YAML front matter then the narrative in Markdown.

    ---
    id: INC-2026-0007
    title: 图书馆汇聚 OSPF 邻居中断
    level: P2                              # a key of settings sla.levels
    category: routing                      # a key of settings incident_categories
    devices: [agg-lib, core-1]             # inventory names
    reported: 2026-09-14T09:12:00+08:00    # ISO 8601 with its zone (required)
    responded: 2026-09-14T09:15:00+08:00   # optional while open
    onsite: 2026-09-14T10:30:00+08:00      # only when an engineer went on site
    resolved: 2026-09-14T11:02:00+08:00    # optional while open
    reporter: 图书馆信息中心 张老师
    handler: 李工
    status: resolved                       # open / resolved / closed
    cause: OSPF cost changed on agg-lib uplink
    actions: restored the cost, verified neighbours Full
    runbooks: [ospf-neighbour-down]        # runbook slugs (file stems under runbooks/)
    effort: {onsite: 1.5, remote: 0.5}     # optional: effort, difficulty, parts, travel (effort.py)
    ---
    Narrative ...

Every file is validated whole; each problem is one line naming the file and the field
(`incidents/2026-09-14-ospf.md: resolved: before reported (2026-09-14 08:00 < 09:12)`). A
file with a problem gives no record; the problems make `netkb check` and the site build fail,
so a bad record never disappears silently.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from netkb.records.effort import Difficulty, Effort, PartUse, Travel, work_problems
from netkb.records.frontmatter import unknown_devices, validated_record
from netkb.records.record_file import read_records_with_ids


class Status(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    CLOSED = "closed"


@dataclass(frozen=True)
class Incident:
    path: str  # as reported, e.g. "incidents/2026-09-14-ospf.md"
    id: str
    title: str
    level: str
    category: str
    devices: tuple[str, ...]
    reported: dt.datetime  # aware
    responded: dt.datetime | None
    onsite: dt.datetime | None
    resolved: dt.datetime | None
    status: Status
    reporter: str = ""
    handler: str = ""
    cause: str = ""
    actions: str = ""
    runbooks: tuple[str, ...] = ()
    narrative: str = ""  # the Markdown after the front matter
    effort: Effort | None = None  # the work it took (netkb/records/effort.py)
    difficulty: str | None = None
    parts: tuple[PartUse, ...] = ()
    travel: Travel | None = None

    @property
    def is_open(self) -> bool:
        return self.status is Status.OPEN


@dataclass(frozen=True)
class IncidentRules:
    """What the records are checked against: the inventory and the settings."""

    devices: frozenset[str]
    levels: tuple[str, ...]
    categories: tuple[str, ...]
    runbooks: frozenset[str] | None = None  # None: no runbooks folder, slugs are not checked
    difficulties: tuple[str, ...] | None = None  # settings cost.difficulty; None: not checked


# Timestamps in the order a timeline must follow.
TIMELINE = ("reported", "responded", "onsite", "resolved")


def _timestamp(value: Any) -> dt.datetime:
    text = value.strip() if isinstance(value, str) else None
    if not text or not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", text
    ):
        raise ValueError(f"{value!r} is not a time: write it like 2026-09-14T09:12:00+08:00")
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date and time") from None
    if stamp.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone: add it, e.g. {text}+08:00")
    return stamp


Timestamp = Annotated[dt.datetime, BeforeValidator(_timestamp)]


def _text(value: Any) -> Any:
    """Short text fields: a number or a date typed bare is still text."""
    return str(value) if isinstance(value, int | float | dt.date) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(_text)]


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, BeforeValidator(_text), Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    title: Annotated[Text, Field(min_length=1)]
    level: Text
    category: Text
    devices: Annotated[list[str], Field(min_length=1)]
    reported: Timestamp
    responded: Timestamp | None = None
    onsite: Timestamp | None = None
    resolved: Timestamp | None = None
    reporter: Text = ""
    handler: Text = ""
    status: Status
    cause: Text = ""
    actions: Text = ""
    runbooks: list[str] = Field(default_factory=list)
    effort: Effort | None = None
    difficulty: Difficulty | None = None
    parts: list[PartUse] = Field(default_factory=list)
    travel: Travel | None = None


def _message(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden" and len(error["loc"]) > 1:  # inside effort, parts or travel
        return "unknown field (check its spelling)"
    if kind == "extra_forbidden":
        return f"unknown field (check its spelling; known: {', '.join(_FrontMatter.model_fields)})"
    if kind == "missing":
        return "missing: this field is required"
    if kind == "enum":
        return f"{value!r} is not one of {', '.join(s.value for s in Status)}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "too_short":
        return "empty: name at least one"
    if kind == "string_pattern_mismatch":
        return f"{value!r}: use letters, digits, '.', '_' and '-' (e.g. INC-2026-0007)"
    return f"{error['msg']} (got {value!r})"


def _shown(stamp: dt.datetime, other: dt.datetime) -> tuple[str, str]:
    """`2026-09-14 08:00` and `09:12` (the date once when both share it), each as written; with
    their offsets when the two were written in different zones."""
    if stamp.utcoffset() != other.utcoffset():
        return stamp.strftime("%Y-%m-%d %H:%M%z"), other.strftime("%Y-%m-%d %H:%M%z")
    left = stamp.strftime("%Y-%m-%d %H:%M")
    right = other.strftime("%H:%M" if other.date() == stamp.date() else "%Y-%m-%d %H:%M")
    return left, right


def timeline_problems(record: _FrontMatter | Incident) -> list[str]:
    """One line per timestamp that comes before one it must follow (the earliest such one)."""
    problems = []
    for i, name in enumerate(TIMELINE[1:], start=1):
        stamp = getattr(record, name)
        if stamp is None:
            continue
        for earlier in TIMELINE[:i]:
            before = getattr(record, earlier)
            if before is not None and stamp < before:
                left, right = _shown(stamp, before)
                problems.append(f"{name}: before {earlier} ({left} < {right})")
                break
    if record.status in (Status.RESOLVED, Status.CLOSED) and record.resolved is None:
        problems.append(f"resolved: missing: status is {record.status.value}; give the time it was resolved")
    if record.status is Status.OPEN and record.resolved is not None:
        problems.append("status: open but resolved is set: set status: resolved (or remove resolved)")
    return problems


def _known(rules: IncidentRules, data: dict[str, Any]) -> list[str]:
    """Names the settings, inventory and runbooks folder must know."""
    problems = []
    level, category = data.get("level"), data.get("category")
    if level is not None and str(level) not in rules.levels:
        problems.append(f"level: {level!r} is not one of {', '.join(rules.levels)} (settings sla.levels)")
    if category is not None and str(category) not in rules.categories:
        problems.append(
            f"category: {category!r} is not one of {', '.join(rules.categories)} "
            "(settings incident_categories)"
        )
    devices = data.get("devices")
    problems += unknown_devices(devices, rules.devices)
    slugs = data.get("runbooks")
    if rules.runbooks is not None:
        for i, slug in enumerate(slugs if isinstance(slugs, list) else []):
            if isinstance(slug, str) and slug not in rules.runbooks:
                problems.append(f"runbooks[{i}]: {slug!r} is not a runbook (no runbooks/{slug}.md)")
    named = [str(d) for d in devices] if isinstance(devices, list) else []
    return problems + work_problems(data, named, rules.difficulties)


def parse_incident(text: str, shown: str, rules: IncidentRules) -> tuple[Incident | None, list[str]]:
    """One record from one file's text; `shown` is the path the problems start with."""
    record, narrative, problems = validated_record(
        text,
        shown,
        "id, title, level, category, devices, reported, status …",
        _FrontMatter,
        _message,
        lambda data: _known(rules, data),
        timeline_problems,
    )
    if record is None:
        return None, problems
    return Incident(
        path=shown,
        id=record.id,
        title=record.title,
        level=record.level,
        category=record.category,
        devices=tuple(record.devices),
        reported=record.reported,
        responded=record.responded,
        onsite=record.onsite,
        resolved=record.resolved,
        status=record.status,
        reporter=record.reporter,
        handler=record.handler,
        cause=record.cause,
        actions=record.actions,
        runbooks=tuple(record.runbooks),
        narrative=narrative.strip(),
        effort=record.effort,
        difficulty=record.difficulty,
        parts=tuple(record.parts),
        travel=record.travel,
    ), []


def runbook_slugs(folder: Path) -> frozenset[str]:
    """Slugs of `runbooks/**/*.md`: the file stem, and the path below the folder without `.md`."""
    slugs: set[str] = set()
    for path in folder.rglob("*.md") if folder.is_dir() else ():
        slugs.add(path.stem)
        slugs.add(path.relative_to(folder).with_suffix("").as_posix())
    return frozenset(slugs)


def load_incidents(folder: Path, rules: IncidentRules) -> tuple[list[Incident], list[str]]:
    """Every record under the folder (by reported time) and every problem, one line each."""
    incidents, problems = read_records_with_ids(folder, parse_incident, rules)
    return sorted(incidents, key=lambda i: (i.reported, i.id)), problems


def rules_from(
    devices: Iterable[str],
    levels: Iterable[str],
    categories: Iterable[str],
    runbooks: Path | None = None,
    difficulties: Iterable[str] | None = None,
) -> IncidentRules:
    return IncidentRules(
        frozenset(devices),
        tuple(levels),
        tuple(categories),
        runbook_slugs(runbooks) if runbooks is not None and runbooks.is_dir() else None,
        tuple(difficulties) if difficulties is not None else None,
    )
