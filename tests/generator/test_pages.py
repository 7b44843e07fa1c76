"""Golden files for every page kind, rendered from a small, fixed site model.

The model is plain data (what generator/history.py reads from git; the reading itself is
tested in test_history.py and the integration tests), so the Markdown is byte-for-byte stable.
Regenerate after an intended change with `pytest tests/generator/test_pages.py --update-golden`
and review the diff of tests/generator/golden/.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from netkb.generator.generate import render_site
from netkb.generator.model import (
    Change,
    Collected,
    DeviceHistory,
    DeviceRun,
    Finding,
    History,
    LastRun,
    RunSummary,
)
from netkb.generator.pagecache import PageCache
from netkb.generator.service_pages import attach_service
from netkb.generator.site import build_site
from netkb.inspection.checklist import load_checklist
from netkb.inventory import Inventory
from netkb.records.incidents import parse_incident, rules_from
from netkb.records.onsite import parse_record
from netkb.records.runbooks import parse_runbook
from netkb.settings import Settings

GOLDEN = Path(__file__).parent / "golden"
TZ = dt.timezone(dt.timedelta(hours=8))
HOSTILE = "<script>alert(1)</script> | `x` **b** {: .x } [l](javascript:x)"
CORE_CONFIG = """#
 sysname core-1
#
vlan 10
 name mgmt
#
interface GigabitEthernet1/0/1
 description 至图书馆 <b>uplink</b>
 port link-type trunk
#
snmp-agent community read <secret:1a2b3c4d>
#
return
"""
ACCESS_CONFIG = "#\n sysname acc-lib-01\n#\ninterface GigabitEthernet1/0/47\n description ```\n#\nreturn\n"
DIFF = """diff --git a/devices/core-1/config.txt b/devices/core-1/config.txt
index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644
--- a/devices/core-1/config.txt
+++ b/devices/core-1/config.txt
@@ -3,4 +3,6 @@
 #
 vlan 10
  name mgmt
+#
+vlan 20
"""


# Three incidents: one that missed its on-site target, a repeat of it (same device and
# category) right after a config change, and an open one past its resolution target.
INCIDENTS = {
    "incidents/2026-10-20-core-fan.md": """---
id: INC-2026-0001
title: 核心交换机风扇故障
level: P2
category: hardware
devices: [core-1]
reported: 2026-10-20T10:00:00+08:00
responded: 2026-10-20T10:10:00+08:00
onsite: 2026-10-20T13:00:00+08:00
resolved: 2026-10-20T15:00:00+08:00
reporter: 网络中心值班
handler: 李工
status: resolved
cause: fan 1/1 failed
actions: replaced the fan tray
runbooks: [hardware/s7500e-fan]
---
## 处理过程

1. `display fan` 显示 **Fan 1/1 Fault**。
2. 更换风扇框。
""",
    "incidents/2026-11-02-core-fan.md": """---
id: INC-2026-0002
title: 核心交换机风扇再次告警
level: P3
category: hardware
devices: [core-1]
reported: 2026-11-02T08:00:00+08:00
responded: 2026-11-02T08:20:00+08:00
resolved: 2026-11-02T16:00:00+08:00
reporter: "<script>alert(1)</script> | `x` **b** {: .x } [l](javascript:x)"
status: closed
cause: the replacement tray was seated loosely
---
""",
    "incidents/2026-11-03-lib-link.md": """---
id: INC-2026-0003
title: 图书馆接入交换机上联中断
level: P1
category: link
devices: [acc-lib-01]
reported: 2026-11-03T04:30:00+08:00
responded: 2026-11-03T04:40:00+08:00
reporter: 图书馆信息中心 张老师
handler: 王工
status: open
---
等待现场检查光模块。
""",
}


def at(day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=TZ)


def model() -> History:
    first = Change(
        "a" * 40, at(1), "core-1: first snapshot", "first", [], [], ["devices/core-1/config.txt"], ""
    )
    vlan = Change(
        "b" * 40, at(2), "core-1: vlan 20", "config", ["vlan 20"], [], ["devices/core-1/config.txt"], DIFF
    )
    fans = Change(
        "c" * 40, at(2), "core-1: state fans", "state", [], ["fans"], ["devices/core-1/state/fans.yml"], ""
    )
    findings = (
        Finding("fans", "abnormal", "fan 1/1: Fault", "Replace the fan tray"),
        Finding("cpu", "normal", "CPU 5-min 4% (threshold 80%)", ""),
    )
    run1 = RunSummary(
        "runs/2026/11/20261101T020000+0800.json",
        "d" * 40,
        at(1),
        at(1),
        None,
        {"changed": 2, "unchanged": 0, "failed": 0},
        {
            "core-1": DeviceRun("changed", "", 1.2, "a" * 40, (), 0, ()),
            "acc-lib-01": DeviceRun("changed", "", 0.9, "e" * 40, (), 0, ()),
        },
    )
    run2 = RunSummary(
        "runs/2026/11/20261102T020000+0800.json",
        "f" * 40,
        at(2),
        at(2),
        None,
        {"changed": 1, "unchanged": 0, "failed": 1},
        {
            "core-1": DeviceRun("changed", "", 1.3, "b" * 40, ("vlan 20",), 1, (findings[0],)),
            "acc-lib-01": DeviceRun("failed", "connection refused " + HOSTILE, 0.1, None, (), 0, ()),
        },
    )
    core = DeviceHistory(
        name="core-1",
        changes=[first, vlan, fans],
        config=CORE_CONFIG,
        state={
            "fans": [{"id": "1/1", "status": "fault", "raw_status": "Fault"}],
            "version": {"model": "S7500E", "software": "7.1.070, Release 7585P05"},
            "manuinfo": [{"slot": "1/chassis", "name": "S7500E", "serial": "210235A8E0"}],
        },
        files={"devices/core-1/config.txt": "1" * 40},
        last_run=LastRun(run2.path, at(2), "changed", ""),
        last_collected=Collected(
            run2.path,
            at(2),
            {"cpu": {"five_minutes": 4}, "memory": {"used_percent": 41.5}, "uptime": 90061},
            findings,
            [
                {
                    "time": "Nov  2 01:59:00 2026",
                    "module": "DEV",
                    "severity": 2,
                    "mnemonic": "FAN_FAILED",
                    "text": "Fan 1 failed " + HOSTILE,
                }
            ],
            [],
            [],
        ),
    )
    access = DeviceHistory(
        name="acc-lib-01",
        changes=[Change("e" * 40, at(1), "acc-lib-01: first snapshot", "first", [], [], [], "")],
        config=ACCESS_CONFIG,
        state={
            "interfaces": [
                {"name": "GigabitEthernet1/0/47", "admin": "up", "oper": "down", "description": HOSTILE}
            ]
        },
        files={"devices/acc-lib-01/config.txt": "3" * 40},
        last_run=LastRun(run2.path, at(2), "failed", "connection refused " + HOSTILE),
        last_collected=Collected(run1.path, at(1), {}, (), [], ["display irf: timed out"], []),
    )
    return History(head="f" * 40, devices={"acc-lib-01": access, "core-1": core}, runs=[run1, run2])


def site(language: str, incidents: dict[str, str] | None = None, pages: PageCache | None = None):  # type: ignore[no-untyped-def]
    """The fixed site model; `incidents` (path -> record text) replace the three of INCIDENTS."""
    inventory = Inventory.model_validate(
        {
            "devices": [
                {
                    "name": "core-1",
                    "host": "10.254.0.1",
                    "platform": "comware",
                    "role": "core",
                    "building": "网络中心",
                    "mgmt_ip": "10.254.0.1",
                    "serial": "210235A8E0X",
                    "asset": {
                        "room": "信息楼 301",
                        "rack": "A01",
                        "vendor": "H3C",
                        "purchase_date": "2021-12-01",
                        "warranty_end": "2026-12-01",
                        "vendor_support_end": "2028-12-31",
                        "service_level": "7x24",
                        "contract": "HT-2021-017",
                    },
                },
                {
                    "name": "acc-lib-01",
                    "host": "10.254.0.17",
                    "platform": "comware",
                    "role": "access",
                    "building": HOSTILE,
                    "model": "S5130-52S-EI",
                    "asset": {"vendor": "H3C", "warranty_end": "2026-10-01"},
                },
                {
                    "name": "new-1",
                    "host": "10.254.0.99",
                    "platform": "vrp",
                    "role": "access",
                    "building": "宿舍",
                },
            ]
        }
    )
    checklist = load_checklist()
    record, problems = parse_record(
        "---\ndate: 2026-11-01\nengineer: 李工\ntitle: 核心机房巡检\ndevices: [core-1]\n"
        "items:\n  dust_screen: {verdict: normal, note: 已清洁}\n---\n防尘网已清洁。\n",
        "inspections/2026-11-01-core.md",
        {"core-1", "acc-lib-01", "new-1"},
        {i.id for i in checklist.items if i.kind.value == "onsite"},
    )
    assert record and not problems
    runbook, problems = parse_runbook(
        "---\ntitle: S7500E 更换风扇框\nplatforms: [comware]\nroles: [core]\ntags: [风扇, fan]\n---\n"
        "## 步骤\n\n1. `display fan` 确认故障槽位。\n",
        "hardware/s7500e-fan",
        "runbooks/hardware/s7500e-fan.md",
    )
    assert runbook and not problems
    settings = Settings.model_validate({"language": language})
    built = build_site(
        model(),
        inventory,
        settings,
        now=at(3, 9),
        checklist=checklist,
        runbooks=[runbook],
        onsite=[record],
    )
    if pages is not None:
        built = replace(built, pages=pages)
    rules = rules_from([d.name for d in inventory.devices], settings.sla.levels, settings.incident_categories)
    records = []
    for path, text in (INCIDENTS if incidents is None else incidents).items():
        incident, problems = parse_incident(text, path, rules)
        assert incident and not problems, problems
        records.append(incident)
    attach_service(built, records)
    return built


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_kind_matches_its_golden_file(language: str, request: pytest.FixtureRequest) -> None:
    files = render_site(site(language))
    pages = {path: content for path, content in files.items() if path.endswith((".md", ".json", ".xml"))}
    kinds = {
        "index.md",
        "devices/index.md",
        "devices/core-1.md",
        "devices/acc-lib-01.md",
        "devices/new-1.md",
        "status/core-1.md",
        "status/acc-lib-01.md",
        "buildings/index.md",
        "buildings/b-d13f7f4ab7.md",  # 网络中心
        "changes/index.md",
        "changes/2026-11.md",
        "inspections/index.md",
        "inspections/runs/2026/11/20261102T020000_0800.md",
        "inspections/onsite/2026-11-01-core.md",
        "runbooks/index.md",
        "runbooks/hardware/s7500e-fan.md",
        "config-search.md",
        "assets/netkb/configs.json",
        "incidents/index.md",
        "incidents/INC-2026-0001.md",
        "incidents/INC-2026-0002.md",
        "incidents/INC-2026-0003.md",
        "assets/index.md",
        "reports/index.md",
        "reports/2026-10.md",
        "reports/2026-11.md",
        "reports/2026-Q4.md",
        "reports/2026.md",
        "feed.xml",
    }
    assert kinds <= set(pages), sorted(kinds - set(pages))
    update = request.config.getoption("--update-golden")
    for path in sorted(kinds):
        golden = GOLDEN / language / path
        content = pages[path]
        assert isinstance(content, str)
        if update:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(content, encoding="utf-8")
        assert golden.exists(), f"{golden} missing: run with --update-golden"
        assert content == golden.read_text(encoding="utf-8"), f"{path} differs from {golden}"


def test_pages_from_the_page_cache_are_the_pages_rendered_afresh(tmp_path: Path) -> None:
    def rendered(cache: PageCache) -> dict[str, str | bytes]:
        files = render_site(site("zh", pages=cache))
        cache.save()
        return files

    plain = render_site(site("zh"))
    cold = rendered(PageCache(tmp_path / "pages.pickle", "salt"))
    warm_cache = PageCache(tmp_path / "pages.pickle", "salt")
    warm = rendered(warm_cache)
    assert cold == warm == plain
    assert warm_cache._old and set(warm_cache._used) <= set(warm_cache._old)  # all served from the file
