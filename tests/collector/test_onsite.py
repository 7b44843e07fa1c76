"""On-site records: good files load, every bad field is one line naming the file and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from netkb.inspection.checklist import Verdict, load_checklist
from netkb.records.onsite import load_records, record_findings

DEVICES = {"core-1", "core-2", "fw-1"}
GOOD = """---
date: 2026-10-01
engineer: 张工
title: 10月巡检
devices: [core-1, core-2]
rooms: [图书馆机房]
items:
  indicator_lights: {verdict: normal}
  dust_screen: {verdict: abnormal, note: 2号风扇框防尘网积灰，已清洁}
  room_environment: {verdict: normal}
readings: {room_temperature_c: 24.5, humidity_percent: 48}
---
核心机房巡检，**无**其他异常。
"""


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _load(tmp_path: Path, **files: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    folder = tmp_path / "inspections"
    for name, text in files.items():
        _write(folder, name, text)
    return load_records(folder, DEVICES)


def test_good_record_loads(tmp_path: Path) -> None:
    records, problems = _load(tmp_path, **{"2026-10-01-core.md": GOOD})
    assert problems == []
    (record,) = records
    assert record.path == "inspections/2026-10-01-core.md"
    assert record.date == dt.date(2026, 10, 1) and record.engineer == "张工" and record.title == "10月巡检"
    assert record.devices == ("core-1", "core-2") and record.rooms == ("图书馆机房",)
    assert record.items["dust_screen"].verdict is Verdict.ABNORMAL
    assert record.readings is not None and record.readings.humidity_percent == 48
    assert record.notes == "核心机房巡检，**无**其他异常。"
    assert (
        record.covers("core-1") and record.covers("agg-lib", room="图书馆机房") and not record.covers("fw-1")
    )


def test_records_become_findings(tmp_path: Path) -> None:
    (record,), _ = _load(tmp_path, **{"a.md": GOOD})
    findings = {f.item_id: f for f in record_findings(record, load_checklist())}
    assert findings["dust_screen"].verdict is Verdict.ABNORMAL and findings["dust_screen"].suggestion
    assert findings["room_environment"].detail == "room 24.5 °C, humidity 48%"
    assert findings["indicator_lights"].suggestion == ""


def test_missing_folder_is_no_records(tmp_path: Path) -> None:
    assert load_records(tmp_path / "inspections", DEVICES) == ([], [])


def test_records_sorted_by_date_and_readme_skipped(tmp_path: Path) -> None:
    later = GOOD.replace("2026-10-01", "2026-12-01")
    records, problems = _load(
        tmp_path, **{"a.md": later, "2026/b.md": GOOD, "README.md": "# How to write a record"}
    )
    assert problems == []
    assert [r.path for r in records] == ["inspections/2026/b.md", "inspections/a.md"]


F = "inspections/2026-10-01-core.md"


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            "dust_screen: {verdict: abnormal",
            "dust_screen: {verdict: ok",
            f"{F}: items.dust_screen.verdict: 'ok' is not one of normal, abnormal",
        ),
        (
            "date: 2026-10-01",
            "date: 2026-13-01",
            f"{F}: date: '2026-13-01' is not a date: write it as YYYY-MM-DD",
        ),
        (
            "date: 2026-10-01",
            "date: 1.10.2026",
            f"{F}: date: '1.10.2026' is not a date: write it as YYYY-MM-DD",
        ),
        ("date: 2026-10-01\n", "", f"{F}: date: missing: this field is required"),
        (
            "engineer: 张工",
            "engineer: ''",
            f"{F}: engineer: String should have at least 1 character (got '')",
        ),
        (
            "devices: [core-1, core-2]",
            "devices: [core-1, core-9]",
            f"{F}: devices[1]: 'core-9' is not in the inventory",
        ),
        (
            "  indicator_lights:",
            "  indicator_light:",
            f"{F}: items.indicator_light: not an on-site item; one of",
        ),
        ("  indicator_lights:", "  fans:", f"{F}: items.fans: not an on-site item"),  # an automatic item
        ("title:", "titel:", f"{F}: titel: unknown field (check its spelling; known: date, engineer"),
        (
            "{verdict: normal}",
            "{verdict: normal, nots: x}",
            f"{F}: items.indicator_lights.nots: unknown field",
        ),
        (
            "humidity_percent: 48",
            "humidity_percent: 148",
            f"{F}: readings.humidity_percent: Input should be less",
        ),
        ("devices: [core-1, core-2]\nrooms: [图书馆机房]", "", f"{F}: devices: name the devices"),
    ],
)
def test_bad_field_is_one_line_with_file_and_field(tmp_path: Path, old: str, new: str, line: str) -> None:
    assert old in GOOD
    records, problems = _load(tmp_path, **{"2026-10-01-core.md": GOOD.replace(old, new, 1)})
    assert records == []  # reported, never half-counted as an inspection
    assert len(problems) == 1, problems
    assert problems[0].startswith(line), problems


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("date: 2026-10-01\n", f"{F}: no front matter: start the file with a '---' line"),
        ("---\ndate: 2026-10-01\nno closing line\n", f"{F}: no front matter"),
        ("---\ndate: [2026\n---\n", f"{F}: line 3: front matter is not valid YAML"),
        ("---\n- a list\n---\n", f"{F}: front matter must be fields"),
    ],
)
def test_file_level_problems(tmp_path: Path, text: str, line: str) -> None:
    records, problems = _load(tmp_path, **{"2026-10-01-core.md": text})
    assert records == [] and len(problems) == 1 and problems[0].startswith(line), problems


def test_every_problem_of_every_file_is_reported(tmp_path: Path) -> None:
    bad = (
        GOOD.replace("verdict: abnormal", "verdict: ok")
        .replace("core-2", "core-9")
        .replace("2026-10-01", "x")
    )
    folder = tmp_path / "inspections"
    _write(folder, "good.md", GOOD)
    _write(folder, "bad.md", bad)
    (folder / "binary.md").write_bytes(b"---\n\xff\xfe\n---\n")
    records, problems = load_records(folder, DEVICES)
    assert [r.path for r in records] == ["inspections/good.md"]
    assert sorted(p.split(": ")[0:2][1] for p in problems if p.startswith("inspections/bad.md")) == [
        "date",
        "devices[1]",
        "items.dust_screen.verdict",
    ]
    assert any(p.startswith("inspections/binary.md: not UTF-8 text") for p in problems)
