"""Incident records: every error of a file at once, each naming the file and the field; a bad
record fails `netkb check` (the real command line)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netkb.records.incidents import IncidentRules, Status, load_incidents, parse_incident, rules_from
from netkb.settings import Settings

SETTINGS = Settings()
RULES = rules_from({"agg-lib", "core-1"}, SETTINGS.sla.levels, SETTINGS.incident_categories)
SHOWN = "incidents/2026-09-14-ospf.md"

GOOD = {
    "id": "INC-2026-0007",
    "title": "图书馆汇聚 OSPF 邻居中断",
    "level": "P2",
    "category": "routing",
    "devices": ["agg-lib", "core-1"],
    "reported": "2026-09-14T09:12:00+08:00",
    "responded": "2026-09-14T09:15:00+08:00",
    "onsite": "2026-09-14T10:30:00+08:00",
    "resolved": "2026-09-14T11:02:00+08:00",
    "reporter": "图书馆信息中心 张老师",
    "handler": "李工",
    "status": "resolved",
    "cause": "OSPF cost changed on agg-lib uplink",
    "actions": "restored the cost, verified neighbours Full",
    "runbooks": ["ospf-neighbour-down"],
}


def record(**changes: object) -> str:
    data = {**GOOD, **changes}
    # Lists in flow style (JSON is YAML), as people write them: `devices: [agg-lib, core-1]`.
    front = "\n".join(
        f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
        for k, v in data.items()
        if v is not None
    )
    return f"---\n{front}\n---\n处理经过：……\n"


def problems(text: str, rules: IncidentRules = RULES) -> list[str]:
    incident, found = parse_incident(text, SHOWN, rules)
    assert (incident is None) == bool(found)
    return found


def test_a_good_record_reads_whole() -> None:
    incident, found = parse_incident(record(), SHOWN, RULES)
    assert found == [] and incident is not None
    assert incident.id == "INC-2026-0007" and incident.status is Status.RESOLVED
    assert incident.devices == ("agg-lib", "core-1")
    assert incident.reported == dt.datetime(2026, 9, 14, 9, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert incident.narrative == "处理经过：……"
    assert incident.runbooks == ("ospf-neighbour-down",)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"resolved": "2026-09-14T08:00:00+08:00", "onsite": None},
            "resolved: before reported (2026-09-14 08:00 < 09:12)",
        ),
        ({"responded": "2026-09-14T09:00:00+08:00"}, "responded: before reported (2026-09-14 09:00 < 09:12)"),
        ({"onsite": "2026-09-14T09:13:00+08:00"}, "onsite: before responded (2026-09-14 09:13 < 09:15)"),
        ({"resolved": "2026-09-14T10:00:00+08:00"}, "resolved: before onsite (2026-09-14 10:00 < 10:30)"),
        # Another zone: 01:00 UTC is 09:00 in Shanghai, before 09:12; both shown as written.
        (
            {"responded": "2026-09-14T01:00:00Z"},
            "responded: before reported (2026-09-14 01:00+0000 < 2026-09-14 09:12+0800)",
        ),
        (
            {"onsite": "2026-09-13T23:00:00+08:00"},
            "onsite: before reported (2026-09-13 23:00 < 2026-09-14 09:12)",
        ),
        ({"resolved": None}, "resolved: missing: status is resolved; give the time it was resolved"),
        ({"status": "closed", "resolved": None}, "resolved: missing: status is closed"),
        ({"status": "open"}, "status: open but resolved is set"),
        ({"reported": "2026-09-14T09:12:00"}, "reported: '2026-09-14T09:12:00' has no time zone"),
        ({"responded": "2026-09-14 09:15"}, "responded: '2026-09-14 09:15' has no time zone"),
        (
            {"reported": "2026-09-31T09:12:00+08:00"},
            "reported: '2026-09-31T09:12:00+08:00' is not a real date",
        ),
        ({"reported": "yesterday"}, "reported: 'yesterday' is not a time"),
        ({"reported": None}, "reported: missing: this field is required"),
        ({"devices": ["agg-lib", "agg-libx"]}, "devices[1]: 'agg-libx' is not in the inventory"),
        ({"devices": []}, "devices: empty"),
        ({"level": "P5"}, "level: 'P5' is not one of P1, P2, P3, P4 (settings sla.levels)"),
        ({"category": "routng"}, "category: 'routng' is not one of hardware, link, routing"),
        ({"status": "done"}, "status: 'done' is not one of open, resolved, closed"),
        ({"severity": "high"}, "severity: unknown field (check its spelling"),
        ({"id": "INC 7"}, "id: 'INC 7': use letters, digits"),
    ],
)
def test_each_bad_field_is_one_line_naming_file_and_field(changes: dict[str, object], expected: str) -> None:
    found = problems(record(**changes))
    assert any(p.startswith(f"{SHOWN}: {expected}") for p in found), found


def test_every_error_of_a_file_at_once() -> None:
    found = problems(
        record(level="P9", category="x", devices=["nope"], responded="2026-09-14T09:00:00+08:00")
    )
    fields = sorted(p.split(": ")[1] for p in found)
    assert fields == ["category", "devices[0]", "level", "responded"]


def test_a_file_without_front_matter_or_with_broken_yaml() -> None:
    assert "no front matter" in problems("# just a heading\n")[0]
    broken = problems("---\nid: [unclosed\n---\n")
    assert broken[0].startswith(f"{SHOWN}: line") and "not valid YAML" in broken[0]


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_duplicate_ids_and_unknown_runbooks(tmp_path: Path) -> None:
    write(tmp_path, "runbooks/ospf-neighbour-down.md", "# OSPF\n")
    write(tmp_path, "incidents/a.md", record())
    write(tmp_path, "incidents/b.md", record(title="again"))
    write(tmp_path, "incidents/c.md", record(id="INC-2026-0008", runbooks=["fan-tray"]))
    write(tmp_path, "incidents/README.md", "How to write an incident record.\n")
    rules = rules_from({"agg-lib", "core-1"}, ["P1", "P2"], ["routing"], tmp_path / "runbooks")
    incidents, found = load_incidents(tmp_path / "incidents", rules)
    assert [i.path for i in incidents] == ["incidents/a.md"]
    assert found == [
        "incidents/b.md: id: 'INC-2026-0007' is also the id of incidents/a.md",
        "incidents/c.md: runbooks[0]: 'fan-tray' is not a runbook (no runbooks/fan-tray.md)",
    ]


def netkb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_a_bad_record_fails_netkb_check_naming_file_and_field(tmp_path: Path) -> None:
    inventory = {
        "devices": [
            {"name": "agg-lib", "host": "10.0.0.2", "platform": "comware"},
            {"name": "core-1", "host": "10.0.0.1", "platform": "comware"},
        ]
    }
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory), encoding="utf-8")
    write(tmp_path, "runbooks/ospf-neighbour-down.md", "# OSPF\n")
    write(tmp_path, "incidents/2026-09-14-ospf.md", record())
    ok = netkb("check", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "1 incident record(s)" in ok.stdout

    write(tmp_path, "incidents/2026-09-14-ospf.md", record(resolved="2026-09-14T08:00:00+08:00", onsite=None))
    bad = netkb("check", cwd=tmp_path)
    assert bad.returncode == 1
    assert (
        "netkb check: incidents/2026-09-14-ospf.md: resolved: before reported (2026-09-14 08:00 < 09:12)"
        in bad.stderr
    )
    assert "Traceback" not in bad.stderr
