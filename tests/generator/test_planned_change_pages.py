"""Change records on the site: the fixed site model of test_pages.py (core-1's config change
`bbbbbbbbbb` found by the 11-02 02:00 collect, made after the 11-01 02:00 one) with change records
that cover it or not, rendered to Markdown."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from netkb.generator.change_report import change_lines
from netkb.generator.generate import render_site
from netkb.generator.pages import planned_changes
from netkb.records.planned_changes import parse_planned_change
from tests.generator.test_pages import HOSTILE, TZ, site

DEVICES = frozenset({"core-1", "acc-lib-01", "new-1"})
NOW = dt.datetime(2026, 11, 3, 9, tzinfo=TZ)  # the site model's now
RECORD = """---
id: {id}
title: {title}
devices: [{devices}]
window: {{start: {start}, end: {end}}}
approver: 赵主任
approved: 2026-10-29T10:00:00+08:00
plan: {title}
---
"""


def built(language: str, *records: dict[str, str]):  # type: ignore[no-untyped-def]
    model = site(language)
    parsed = []
    for i, fields in enumerate(records):
        text = RECORD.format(**{**fields, "title": json.dumps(fields["title"], ensure_ascii=False)})
        record, problems = parse_planned_change(text, f"change-requests/{i}.md", DEVICES)
        assert record and not problems, problems
        parsed.append(record)
    planned_changes.attach(model, parsed)
    return render_site(model)


# acc-lib-01's change on the evening of 10-30: nothing changed there, core-1 changed unplanned.
ELSEWHERE = {
    "id": "CHG-1",
    "title": HOSTILE,
    "devices": "acc-lib-01",
    "start": "2026-10-30T21:00:00+08:00",
    "end": "2026-10-30T22:00:00+08:00",
}
# core-1's VLAN 20 on the evening of 11-01: the commit of 11-02 02:00 is covered.
VLAN = {
    **ELSEWHERE,
    **{"id": "CHG-2", "title": "core-1 VLAN 20", "devices": "core-1"},
    **{"start": "2026-11-01T21:00:00+08:00", "end": "2026-11-01T23:00:00+08:00"},
}


def test_an_unplanned_change_shows_on_the_home_device_run_and_report_pages() -> None:
    pages = built("zh", ELSEWHERE)
    home = pages["index.md"]
    unplanned = home.split("## 计划外变更", 1)[1]
    assert "最近 30 天内有 1 次配置变更没有已批准的变更单覆盖" in unplanned
    row = "| [core-1](devices/core-1.md) | 2026-11-02 02:00 | 2026-11-01 02:00 | "
    assert row + "[bbbbbbbbbb](changes/2026-11.md#bbbbbbbbbb) | **计划外** | — |" in unplanned
    assert "## 变更管理" in pages["devices/core-1.md"] and "**计划外**" in pages["devices/core-1.md"]
    assert "**计划外**" not in pages["devices/acc-lib-01.md"]
    run = pages["inspections/runs/2026/11/20261102T020000_0800.md"]
    assert "## 变更核对" in run and "**计划外**" in run
    november, october = pages["reports/2026-11.md"], pages["reports/2026-10.md"]
    assert "配置变更 1 次：计划内 0，紧急 0，计划外 1，设备不符 0；未实施的变更单 0 个。" in november
    assert "配置变更 0 次：计划内 0，紧急 0，计划外 0，设备不符 0；未实施的变更单 1 个。" in october
    index = pages["change-requests/index.md"]
    assert index.index("## 计划外变更") < index.index("## 未实施的变更") < index.index("## 全部变更单")
    record = pages["change-requests/CHG-1.md"]
    assert "<script>" not in record and "&#60;script&#62;" in record  # the title is the user's text
    assert "**未实施**" in record


def test_a_covered_change_is_no_finding() -> None:
    pages = built("en", ELSEWHERE, VLAN)
    assert "No unplanned change." in pages["index.md"].split("## Unplanned changes", 1)[1]
    record = pages["change-requests/CHG-2.md"]
    assert "| [bbbbbbbbbb](../changes/2026-11.md#bbbbbbbbbb) | planned | [CHG-2](CHG-2.md) |" in record
    assert "| State | carried out |" in record
    run = pages["inspections/runs/2026/11/20261102T020000_0800.md"]
    assert "| planned | [CHG-2](../../../../change-requests/CHG-2.md) |" in run


@pytest.mark.parametrize("language", ["zh", "en"])
def test_without_change_records_the_other_pages_do_not_change(language: str) -> None:
    plain = render_site(site(language))
    pages = built(language)
    assert pages == plain  # the golden pages of test_pages.py stay as they are
    empty = "尚无变更单" if language == "zh" else "No change records yet"
    assert empty in pages["change-requests/index.md"]


def test_netkb_report_lists_the_period_s_unplanned_changes_and_missed_records() -> None:
    model = site("zh")
    record, _ = parse_planned_change(RECORD.format(**{**ELSEWHERE, "title": "门禁"}), "c.md", DEVICES)
    assert record is not None
    tz = TZ
    settings = model.settings
    november = change_lines(model.history, [record], settings, dt.datetime(2026, 11, 1, tzinfo=tz), NOW)
    assert november == [
        "变更管理（2026-10-30 21:00 起核对）",
        "计划内 0，紧急 0，计划外 1，设备不符 0，未实施 0",
        "- 计划外：core-1 2026-11-02 02:00（提交 bbbbbbbbbb）",
    ]
    october = change_lines(
        model.history,
        [record],
        settings,
        dt.datetime(2026, 10, 1, tzinfo=tz),
        dt.datetime(2026, 11, 1, tzinfo=tz),
    )
    assert october[1:] == [
        "计划内 0，紧急 0，计划外 0，设备不符 0，未实施 1",
        "- 未实施：CHG-1 门禁（窗口 2026-10-30 21:00 至 2026-10-30 22:00）",
    ]
    assert change_lines(model.history, [], settings, dt.datetime(2026, 10, 1, tzinfo=tz), NOW) == []
