"""A cache must be invisible: after every kind of input change, a generation that reuses the
caches of the night before (history, pages) writes the same tree, byte for byte, as a cold
generation from scratch. (A new netkb — checklist, strings, templates or a library upgraded — is a
new fingerprint, under which nothing cached is served: tests/generator/test_pagecache.py and
tests/test_fingerprint.py.)"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netkb.collector.runrecord import DeviceResult, Outcome, RunRecord
from netkb.generator.generate import generate
from netkb.inventory import Inventory
from netkb.settings import Settings
from tests.generator.test_history import CORE, Collector, Snap

INCIDENT = """\
---
id: {id}
title: "{title}"
level: P2
category: switching
devices: [core-1]
reported: 2025-03-02T08:00:00+08:00
responded: 2025-03-02T08:10:00+08:00
reporter: 教务处
handler: 李工
status: open
---
上课前报修。
"""
INC = "INC-2025-0001"
ROGUE = {
    "interface": "GigabitEthernet1/0/17",
    "neighbour": "TL-WR842N",
    "neighbour_interface": "LAN1",
    "chassis_id": None,
}
ONSITE = """\
---
date: 2025-03-02
engineer: 李工
title: 核心机房巡检
devices: [core-1]
items:
  dust_screen: {verdict: normal, note: 干净}
---
现场检查正常。
"""
RUNBOOK = (
    "---\ntitle: 更换风扇框 / Fan tray\nplatforms: [comware]\ntags: [风扇]\n---\n先用 display fan 确认。\n"
)


class Project:
    """A store the collector's way, an inventory, settings and records; generated twice per step."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = Collector(root / "configs")
        self.devices: list[dict[str, Any]] = [
            {
                "name": "core-1",
                "host": "10.0.0.1",
                "platform": "comware",
                "role": "core",
                "building": "网络中心",
            },
            {"name": "agg-1", "host": "10.0.0.2", "platform": "comware", "role": "aggregation"},
        ]
        self.settings: dict[str, Any] = {"snapshot_repo": str(root / "configs"), "language": "zh"}
        self.records = root / "records"
        # core-1's LLDP neighbours (the topology pages, a page per date a link changed)
        self.neighbours: list[dict[str, Any]] = [
            {
                "interface": "GigabitEthernet1/0/1",
                "neighbour": "agg-1",
                "neighbour_interface": "GE1/0/49",
                "chassis_id": None,
            }
        ]
        for folder in ("incidents", "inspections", "runbooks"):
            (self.records / folder).mkdir(parents=True)
        self.night(core="")

    def night(self, core: str = "", **others: str) -> None:
        snaps: dict[str, Snap | str] = {
            "core-1": Snap(
                CORE + core,
                {"fans": [{"id": "1/1", "status": "normal"}], "neighbours": list(self.neighbours)},
            )
        }
        snaps |= {name: Snap(f"sysname {name}\n{text}") for name, text in others.items()}
        snaps.setdefault("agg-1", Snap("sysname agg-1\n"))
        self.store.run(snaps)

    def generate(self, build: Path) -> dict[str, bytes]:
        inventory = Inventory.model_validate({"devices": self.devices})
        now = self.store.at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        generate(
            inventory,
            Settings.model_validate(self.settings),
            records=self.records,
            build=build,
            site_dir=self.root / "site",
            now=now,
        )
        tree = {
            p.relative_to(build).as_posix(): p.read_bytes()
            for p in (build / "docs").rglob("*")
            if p.is_file()
        }
        return tree | {"mkdocs.yml": (build / "mkdocs.yml").read_bytes()}

    def write(self, relpath: str, text: str) -> None:
        (self.records / relpath).write_text(text, encoding="utf-8")


def _shards(p: Project) -> None:
    """Four shard records of one night, each naming its own devices."""
    for k, names in enumerate((["core-1"], ["agg-1"], [], ["acc-9"]), start=1):
        run = RunRecord(started=p.store.at + dt.timedelta(seconds=k), shard=f"{k}/4")
        run.devices = {
            n: DeviceResult(n, Outcome.UNCHANGED if n != "acc-9" else Outcome.FAILED) for n in names
        }
        p.store.record(run)
    p.store.at += dt.timedelta(days=1)


def _force_push(p: Project) -> None:
    """The store's last night rewritten (e.g. a bad night removed with a force-push)."""
    subprocess.run(["git", "-C", str(p.store.path), "reset", "-q", "--hard", "HEAD~3"], check=True)
    p.night(core="interface Vlan-interface 9\n")


CHANGES: list[tuple[str, Callable[[Project], None]]] = [
    ("a new night", lambda p: p.night(core="vlan 10\n")),
    ("a device added", lambda p: (p.devices.append({"name": "acc-1", "host": "10.0.0.3", "platform": "vrp"}),
                                  p.night(**{"acc-1": "vlan 20\n"}))),
    ("a device removed", lambda p: p.devices.pop()),
    ("a device renamed", lambda p: (p.devices.__setitem__(1, {**p.devices[1], "name": "agg-01"}),
                                    p.night(**{"agg-01": "vlan 30\n"}))),
    ("a setting changed", lambda p: p.settings.update(stale_days=9)),
    ("the site's language", lambda p: p.settings.update(language="en")),
    ("a collector-only setting changed", lambda p: p.settings.update(workers=3)),
    ("an incident added", lambda p: p.write("incidents/a.md", INCIDENT.format(id=INC, title="断网"))),
    ("an incident edited", lambda p: p.write("incidents/a.md", INCIDENT.format(id=INC, title="断网了"))),
    ("an incident deleted", lambda p: (p.records / "incidents" / "a.md").unlink()),
    ("an on-site record", lambda p: p.write("inspections/2025-03-02-core.md", ONSITE)),
    ("a runbook", lambda p: p.write("runbooks/fan.md", RUNBOOK)),
    ("an asset field", lambda p: p.devices[0].update(building="图书馆")),
    ("four shard records in one night", _shards),
    ("an LLDP neighbour plugged in", lambda p: (p.neighbours.append(ROGUE), p.night(core="vlan 11\n"))),
    ("an LLDP neighbour gone", lambda p: (p.neighbours.remove(ROGUE), p.night(core="vlan 12\n"))),
    ("a rewritten history", _force_push),
]  # fmt: skip


def test_every_incremental_generation_equals_a_cold_one(tmp_path: Path) -> None:
    project = Project(tmp_path)
    incremental = tmp_path / "build"
    project.generate(incremental)
    for number, (what, change) in enumerate(CHANGES):
        change(project)
        warm = project.generate(incremental)  # the caches of every step before
        cold = project.generate(tmp_path / f"cold-{number}")
        assert warm.keys() == cold.keys(), what
        # The pages that move every night (a device's status, the buildings) are compared too.
        assert {"docs/status/core-1.md", "docs/buildings/index.md"} <= cold.keys(), what
        differ = [path for path in cold if warm[path] != cold[path]]
        assert not differ, f"after {what}: {differ[:5]}"
