"""Service request records (netkb/records/requests.py): every bad field named with its file, the
timeline's order, ids unique across files, and the request types' targets as settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from netkb.records.handwritten import read_records
from netkb.records.requests import Channel, RequestRules, load_requests, parse_request
from netkb.scaffold import write_project
from netkb.settings import Settings

TYPES = ("new_port", "wireless_account", "consultation", "complaint", "other")
RULES = RequestRules(frozenset({"acc-lib-01", "core-1"}), TYPES, frozenset({"INC-2026-0001"}))
GOOD = """---
id: REQ-2026-0012
title: 图书馆三楼新增两个办公信息点
type: new_port
channel: walk-in
requester: 图书馆 王老师
department: 图书馆
building: 图书馆
devices: [acc-lib-01]
received: 2026-09-08T09:10:00+08:00
dispatched: {at: 2026-09-08T09:40:00+08:00, engineer: 李工}
fulfilled: 2026-09-08T15:20:00+08:00
return_call: {at: 2026-09-09T10:00:00+08:00, confirmed: true, satisfaction: 5, comment: 很快}
incident: INC-2026-0001
change: CHG-2026-0004
---
Gi1/0/21–22 划入办公 VLAN。
"""


def test_a_good_record_reads_into_its_fields() -> None:
    request, problems = parse_request(GOOD, "requests/a.md", RULES)
    assert problems == []
    assert request is not None
    assert request.channel is Channel.WALK_IN
    assert request.dispatched == dt.datetime(2026, 9, 8, 9, 40, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert request.engineer == "李工"
    assert request.return_call is not None and request.return_call.satisfaction == 5
    assert request.return_call.confirmed is True
    assert (request.incident, request.change, request.devices) == (
        "INC-2026-0001",
        "CHG-2026-0004",
        ("acc-lib-01",),
    )
    assert request.notes == "Gi1/0/21–22 划入办公 VLAN。"
    assert not request.is_open


def test_every_bad_field_is_named_at_once() -> None:
    text = """---
id: "REQ 1"
title: ""
type: repair
channel: fax
requester: 王老师
department: ""
building: 图书馆
devices: [acc-lib-01, core-9]
received: 2026-09-02 09:10
dispatched: {at: 2026-09-02T11:40:00+08:00}
return_call: {at: 2026-09-07T10:00:00+08:00, confirmed: maybe, satisfaction: 6}
incident: INC-9
priority: high
---
"""
    request, problems = parse_request(text, "requests/bad.md", RULES)
    assert request is None
    known = "id, title, type, channel, requester, department, building, devices, received, dispatched, "
    known += "fulfilled, return_call, incident, change, effort, difficulty, parts, travel"
    assert sorted(problems) == sorted(
        [
            "requests/bad.md: type: 'repair' is not one of new_port, wireless_account, consultation, "
            "complaint, other (settings requests.types)",
            "requests/bad.md: devices[1]: 'core-9' is not in the inventory (check the spelling)",
            "requests/bad.md: incident: 'INC-9' is not the id of an incident record (incidents/*.md)",
            "requests/bad.md: id: 'REQ 1': use letters, digits, '.', '_' and '-' (e.g. REQ-2026-0012)",
            "requests/bad.md: title: empty: write something here",
            "requests/bad.md: channel: 'fax' is not one of phone, walk-in, e-mail, system",
            "requests/bad.md: department: empty: write something here",
            "requests/bad.md: received: '2026-09-02 09:10' has no time zone: add it, "
            "e.g. 2026-09-02 09:10+08:00",
            "requests/bad.md: dispatched.engineer: missing: this field is required",
            "requests/bad.md: return_call.confirmed: 'maybe': write true or false",
            "requests/bad.md: return_call.satisfaction: 6: give a score from 1 (very dissatisfied) to 5 "
            "(very satisfied)",
            f"requests/bad.md: priority: unknown field (check its spelling; known: {known})",
        ]
    )


def test_times_out_of_order_and_a_return_call_before_fulfilment_are_named() -> None:
    text = GOOD.replace("dispatched: {at: 2026-09-08T09:40", "dispatched: {at: 2026-09-08T08:40").replace(
        "fulfilled: 2026-09-08T15:20:00+08:00\n", ""
    )
    _, problems = parse_request(text, "requests/a.md", RULES)
    assert problems == [
        "requests/a.md: dispatched.at: before received (2026-09-08 08:40 < 09:10)",
        "requests/a.md: return_call: the request is not fulfilled: add fulfilled (or remove return_call)",
    ]
    late = GOOD.replace("fulfilled: 2026-09-08T15:20", "fulfilled: 2026-09-08T09:20")
    _, problems = parse_request(late, "requests/a.md", RULES)
    assert problems == ["requests/a.md: fulfilled: before dispatched.at (2026-09-08 09:20 < 09:40)"]


def test_netkb_check_reads_the_folder_and_lists_every_file_problem(tmp_path: Path) -> None:
    folder = tmp_path / "requests"
    folder.mkdir()
    (folder / "README.md").write_text("# not a record\n", encoding="utf-8")
    (folder / "a.md").write_text(GOOD.replace("incident: INC-2026-0001\n", ""), encoding="utf-8")
    (folder / "b.md").write_text(GOOD.replace("incident: INC-2026-0001\n", ""), encoding="utf-8")
    (folder / "c.md").write_text("no front matter\n", encoding="utf-8")
    (folder / "d.md").write_bytes(b"---\nid: \xff\n---\n")
    written = read_records({"acc-lib-01"}, Settings(), tmp_path)
    assert [r.path for r in written.requests] == ["requests/a.md"]
    assert written.problems == [
        "requests/b.md: id: 'REQ-2026-0012' is also the id of requests/a.md",
        "requests/c.md: no front matter: start the file with a '---' line, then the fields (id, title, "
        "type, channel, requester, department, building, received …), then a closing '---' line",
        "requests/d.md: not UTF-8 text (invalid start byte at byte 8): save it as UTF-8",
    ]
    found, problems = load_requests(folder, RULES)
    assert [r.path for r in found] == ["requests/a.md"] and len(problems) == 3


def test_request_types_are_settings_and_name_calendars_that_exist() -> None:
    settings = Settings.model_validate(
        {"requests": {"types": {"move": {"zh": "搬迁", "en": "Move", "response": "1h", "fulfil": "3d"}}}}
    )
    level = settings.requests.types["move"].as_level()
    assert level.response is not None and level.resolve is not None
    assert (str(level.response.within), str(level.resolve.within), level.calendar) == ("1h", "3d", "24x7")
    with pytest.raises(ValidationError) as caught:
        Settings.model_validate(
            {
                "requests": {
                    "types": {
                        "move": {"zh": "搬迁", "en": "Move", "fulfil": {"within": "3d", "calendar": "office"}}
                    }
                }
            }
        )
    assert "requests.types.move.fulfil: calendar 'office' is not defined in sla.calendars" in str(
        caught.value
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_netkb_init_scaffolds_requests_with_a_template_that_passes_the_loader(
    tmp_path: Path, language: str
) -> None:
    write_project(tmp_path / "p", language)
    readme = (tmp_path / "p" / "requests" / "README.md").read_text(encoding="utf-8")
    template = readme.split("```markdown\n", 1)[1].split("```", 1)[0]
    rules = RequestRules(frozenset({"acc-lib-02"}), TYPES, frozenset({"INC-2027-0003"}))
    request, problems = parse_request(template, "requests/t.md", rules)
    assert problems == [] and request is not None and request.return_call is not None
    written = read_records({"acc-lib-02"}, Settings(), tmp_path / "p")
    assert written.requests == [] and not [p for p in written.problems if p.startswith("requests/")]
