"""On-site inspection records: `inspections/*.md`, YAML front matter then the engineer's notes.

What a collect cannot read (indicator lights, dust screens, grounding, machine-room
temperature and humidity, cable labels, the firewall log export) is written down by the
engineer after a visit:

    ---
    date: 2026-10-01
    engineer: 张工
    devices: [core-1, core-2]          # inventory names, and/or
    rooms: [图书馆机房]                  # machine rooms (every device placed there)
    items:
      dust_screen: {verdict: abnormal, note: 2号风扇框防尘网积灰，已清洁}
      grounding: {verdict: normal}
    readings: {room_temperature_c: 24.5, humidity_percent: 48}
    title: 10月巡检                      # optional
    ---
    Free Markdown notes.

Every file is validated whole and every problem comes back as one line naming the file and
the field (`inspections/2026-10-01-core.md: items.dust_screen.verdict: 'ok' is not one of
normal, abnormal`). A file with a problem gives no record, so a half-read visit is never
counted as an inspection.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from netkb.inspection.checklist import Checklist, Finding, Kind, Verdict, load_checklist
from netkb.records.frontmatter import parse_front_matter, read_text


@dataclass(frozen=True)
class OnsiteItem:
    verdict: Verdict  # normal or abnormal: the engineer looked
    note: str = ""


@dataclass(frozen=True)
class Readings:
    room_temperature_c: float | None = None
    humidity_percent: float | None = None


@dataclass(frozen=True)
class OnsiteRecord:
    path: str  # as reported, e.g. "inspections/2026-10-01-core.md"
    date: dt.date
    engineer: str
    devices: tuple[str, ...]
    rooms: tuple[str, ...]
    items: dict[str, OnsiteItem]
    readings: Readings | None = None
    title: str | None = None
    notes: str = ""  # the Markdown after the front matter

    def covers(self, device: str, room: str | None = None) -> bool:
        return device in self.devices or (room is not None and room in self.rooms)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Item(_Strict):
    verdict: Literal["normal", "abnormal"]
    note: str = ""


class _Readings(_Strict):
    room_temperature_c: Annotated[float, Field(ge=-20, le=60)] | None = None
    humidity_percent: Annotated[float, Field(ge=0, le=100)] | None = None


class _FrontMatter(_Strict):
    date: Annotated[dt.date, BeforeValidator(_date)]
    engineer: Annotated[str, Field(min_length=1)]
    devices: list[str] = Field(default_factory=list)
    rooms: list[str] = Field(default_factory=list)
    items: Annotated[dict[str, _Item], Field(min_length=1)]
    readings: _Readings | None = None
    title: str | None = None


def _message(error: Any) -> str:
    """A pydantic error in the words of the file's author."""
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        depth = len(error["loc"])  # top level, readings.x, items.<id>.x
        model: type[BaseModel] = _FrontMatter if depth == 1 else _Readings if depth == 2 else _Item
        return f"unknown field (check its spelling; known: {', '.join(model.model_fields)})"
    if kind == "missing":
        return "missing: this field is required"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", error["ctx"]["expected"])
        return f"{value!r} is not one of {', '.join(expected)}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "too_short" and isinstance(value, dict):
        return "empty: record at least one on-site item"
    return f"{error['msg']} (got {value!r})"


def _path(loc: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def parse_record(
    text: str, shown: str, known_devices: set[str], onsite_items: set[str]
) -> tuple[OnsiteRecord | None, list[str]]:
    """One record from one file's text; `shown` is the path the problems start with."""
    data, notes, problems = parse_front_matter(text, shown, "date, engineer, devices/rooms, items")
    if data is None:
        return None, problems
    problems = []
    try:
        record = _FrontMatter.model_validate(data)
    except ValidationError as exc:
        problems = [f"{shown}: {_path(e['loc'])}: {_message(e)}" for e in exc.errors()]
        record = None
    if not data.get("devices") and not data.get("rooms"):
        problems.append(
            f"{shown}: devices: name the devices (devices: [...]) or the rooms (rooms: [...]) visited"
        )
    devices = data.get("devices")
    for i, name in enumerate(devices if isinstance(devices, list) else []):
        if isinstance(name, str) and name not in known_devices:
            problems.append(f"{shown}: devices[{i}]: {name!r} is not in the inventory (check the spelling)")
    items = data.get("items")
    for item_id in items if isinstance(items, dict) else []:
        if item_id not in onsite_items:
            problems.append(
                f"{shown}: items.{item_id}: not an on-site item; one of {', '.join(sorted(onsite_items))}"
            )
    if problems or record is None:
        return None, problems
    readings = Readings(**record.readings.model_dump()) if record.readings else None
    return OnsiteRecord(
        path=shown,
        date=record.date,
        engineer=record.engineer,
        devices=tuple(record.devices),
        rooms=tuple(record.rooms),
        items={k: OnsiteItem(Verdict(v.verdict), v.note) for k, v in record.items.items()},
        readings=readings,
        title=record.title,
        notes=notes.strip(),
    ), []


def load_records(
    folder: Path, known_devices: set[str], checklist: Checklist | None = None
) -> tuple[list[OnsiteRecord], list[str]]:
    """Every record under the folder (oldest first) and every problem, one line each."""
    if not folder.is_dir():
        return [], []
    checklist = checklist or load_checklist()
    onsite_items = {item.id for item in checklist.of_kind(Kind.ONSITE)}
    records, problems = [], []
    for path in sorted(folder.rglob("*.md")):
        if path.name.lower() in ("readme.md", "index.md"):
            continue  # a guide for the engineers next to the records, not a visit
        shown = path.relative_to(folder.parent).as_posix()
        text, unreadable = read_text(path, shown)
        if text is None:
            problems += unreadable
            continue
        record, found = parse_record(text, shown, known_devices, onsite_items)
        problems += found
        if record:
            records.append(record)
    records.sort(key=lambda r: (r.date, r.path))
    return records, problems


def record_findings(record: OnsiteRecord, checklist: Checklist) -> list[Finding]:
    """The record's items as findings (the report puts them next to the automatic ones)."""
    findings = []
    for item_id, item in record.items.items():
        detail = item.note
        if item_id == "room_environment" and record.readings:
            measured = [
                f"{label} {value:g}{unit}"
                for label, value, unit in (
                    ("room", record.readings.room_temperature_c, " °C"),
                    ("humidity", record.readings.humidity_percent, "%"),
                )
                if value is not None
            ]
            detail = "; ".join([", ".join(measured), *([item.note] if item.note else [])])
        suggestion = checklist.texts(item_id, "en").suggestion if item.verdict is Verdict.ABNORMAL else ""
        findings.append(Finding(item_id, item.verdict, detail, suggestion))
    return findings
