"""Change records (`change-requests/*.md`): read like incidents, every problem of every file at
once, one line naming the file and the field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from netkb.records.handwritten import read_records
from netkb.records.planned_changes import Risk, load_planned_changes, parse_planned_change
from netkb.scaffold import plan
from netkb.settings import Settings

DEVICES = frozenset({"agg-lib", "acc-lib-01", "core-1"})
GOOD = """---
id: CHG-2026-031
title: 图书馆新增 VLAN
devices: [agg-lib, acc-lib-01]
window: {start: 2026-09-01T21:00:00+08:00, end: 2026-09-01T23:00:00+08:00}
requester: 王老师
approver: 赵主任
approved: 2026-08-30T16:00:00+08:00
risk: medium
plan: 新建 VLAN 105/106
rollback: 删除 VLAN 105/106
result: 已完成
---
## 备注

按计划完成。
"""


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_a_good_record_is_read(tmp_path: Path) -> None:
    write(tmp_path / "change-requests", "lib.md", GOOD)
    write(tmp_path / "change-requests", "README.md", "a guide, not a record")
    records, problems = load_planned_changes(tmp_path / "change-requests", DEVICES)
    assert problems == []
    (r,) = records
    assert (r.id, r.devices, r.risk, r.emergency) == (
        "CHG-2026-031",
        ("agg-lib", "acc-lib-01"),
        Risk.MEDIUM,
        False,
    )
    tz = dt.timezone(dt.timedelta(hours=8))
    assert (r.start, r.end) == (
        dt.datetime(2026, 9, 1, 21, tzinfo=tz),
        dt.datetime(2026, 9, 1, 23, tzinfo=tz),
    )
    assert r.approved == dt.datetime(2026, 8, 30, 16, tzinfo=tz)
    assert r.notes == "## 备注\n\n按计划完成。"
    assert r.path == "change-requests/lib.md"


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "change-requests"
    write(folder, "a.md", GOOD)
    write(folder, "b.md", GOOD)  # the same id again
    write(
        folder,
        "c.md",
        GOOD.replace("[agg-lib, acc-lib-01]", "[agg-lib, agg-libb]")
        .replace("end: 2026-09-01T23:00:00+08:00", "end: 2026-09-01T20:00:00+08:00")
        .replace("approver: 赵主任\n", "")
        .replace("id: CHG-2026-031", "id: CHG-3"),
    )
    write(
        folder,
        "d.md",
        GOOD.replace("risk: medium", "risk: huge\nowner: me").replace(
            "2026-08-30T16:00:00+08:00", "2026-08-30 16:00"
        ),
    )
    write(
        folder,
        "e.md",
        GOOD.replace("2026-08-30T16:00", "2026-09-01T22:00").replace("id: CHG-2026-031", "id: CHG-5"),
    )
    write(folder, "f.md", "no front matter")
    records, problems = load_planned_changes(folder, DEVICES)
    assert [r.id for r in records] == ["CHG-2026-031"]
    assert problems == [
        "change-requests/b.md: id: 'CHG-2026-031' is also the id of change-requests/a.md",
        "change-requests/c.md: devices[1]: 'agg-libb' is not in the inventory (check the spelling)",
        "change-requests/c.md: window: end is not after start: give the end of the window",
        "change-requests/c.md: approved: give both approver and approved (the time), or neither "
        "(not approved yet)",
        "change-requests/d.md: approved: '2026-08-30 16:00' has no time zone: add it, e.g. "
        "2026-08-30 16:00+08:00",
        "change-requests/d.md: risk: 'huge' is not one of low, medium, high",
        "change-requests/d.md: owner: unknown field (check its spelling; known: id, title, devices, window, "
        "requester, approver, approved, risk, emergency, plan, rollback, result)",
        "change-requests/e.md: approved: after the window opened: approve before it, or set emergency: true "
        "if it was an emergency change approved after the fact",
        "change-requests/f.md: no front matter: start the file with a '---' line, then the fields "
        "(id, title, devices, window (start, end), requester, approver, approved, risk, plan, rollback), "
        "then a closing '---' line",
    ]


def test_netkb_check_reads_them_with_the_other_records(tmp_path: Path) -> None:
    write(tmp_path / "change-requests", "x.md", GOOD.replace("agg-lib, ", ""))
    written = read_records({"acc-lib-01"}, Settings(), tmp_path)
    assert [r.id for r in written.planned_changes] == ["CHG-2026-031"]
    write(tmp_path / "change-requests", "y.md", GOOD.replace("CHG-2026-031", "CHG-9"))
    problems = read_records({"acc-lib-01"}, Settings(), tmp_path).problems
    assert problems == [
        "change-requests/y.md: devices[0]: 'agg-lib' is not in the inventory (check the spelling)"
    ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_template_netkb_init_writes_is_a_valid_record(language: str) -> None:
    readme = Path(__file__).parents[2] / f"netkb/scaffold/templates/{language}/change-requests-README.md"
    template = re.search(r"```markdown\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    assert template is not None
    record, problems = parse_planned_change(template.group(1), "t.md", DEVICES)
    assert problems == [] and record is not None
    assert (record.id, record.devices, record.risk) == (
        "CHG-2027-0001",
        ("agg-lib", "acc-lib-01"),
        Risk.MEDIUM,
    )
    assert "change-requests/README.md" in [p.path for p in plan(language, "none")]
