"""The lab's site, built once per session: lab -> collect -> change -> collect -> generate -> build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from netkb.lab.fidelity import connect
from tests.conftest import RunningLab

FAST = {"timeouts": {"connect": 10, "command": 20, "device": 60}, "retries": 0}
HOSTILE_TITLE = "<img src=x onerror=alert(9)> </title><script>alert(8)</script> **B** {: .evil }"
CHANGED = "agg-teach"


@dataclass
class BuiltSite:
    ws: Path
    site: Path
    docs: Path
    build_log: str

    def inventory_entry(self, name: str) -> dict[str, object]:
        data = yaml.safe_load((self.ws / "inventory.yml").read_text(encoding="utf-8"))
        return next(d for d in data["devices"] if d["name"] == name)

    def hostile_pages(self) -> list[str]:
        """URL paths of the pages holding the lab's hostile descriptions or the hostile records."""
        devices = [
            f"/devices/{p.stem}/"
            for p in sorted(self.docs.glob("devices/*.md"))
            if "alert('netkb')" in (text := p.read_text(encoding="utf-8")) or "javascript:alert(1)" in text
        ]
        return [
            *devices,
            "/",
            "/devices/",
            "/inspections/",
            "/inspections/onsite/2026-11-19-core/",
            "/runbooks/fan-tray/",
        ]


def run(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "CI": "true", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result


def write_records(ws: Path, inventory: Path) -> Path:
    """A hostile building in the inventory, a runbook and an on-site record with hostile fields."""
    data = yaml.safe_load(inventory.read_text(encoding="utf-8"))
    for device in data["devices"]:
        if device["name"] == "acc-lib-01":
            device["building"] = HOSTILE_TITLE
    data["credentials_file"] = str(inventory.parent / "credentials.yml")
    own = ws / "inventory.yml"
    own.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (ws / "runbooks").mkdir()
    (ws / "runbooks" / "fan-tray.md").write_text(
        "---\n"
        f"title: {json.dumps('S7500E 更换风扇框 ' + HOSTILE_TITLE, ensure_ascii=False)}\n"
        "platforms: [comware]\nroles: [core]\ntags: [风扇, fan]\n---\n"
        "更换风扇框前，先用 display fan 确认故障风扇的槽位。\n",
        encoding="utf-8",
    )
    (ws / "inspections").mkdir()
    (ws / "inspections" / "2026-11-19-core.md").write_text(
        "---\n"
        "date: 2026-11-19\n"
        f"engineer: {json.dumps(HOSTILE_TITLE, ensure_ascii=False)}\n"
        f"title: {json.dumps('核心机房巡检 ' + HOSTILE_TITLE, ensure_ascii=False)}\n"
        "devices: [core-1, acc-lib-01]\n"
        "items:\n  dust_screen: {verdict: normal, note: " + json.dumps(HOSTILE_TITLE) + "}\n"
        "---\n现场检查正常。\n",
        encoding="utf-8",
    )
    (ws / "incidents").mkdir()
    (ws / "incidents" / "2026-11-19-teach.md").write_text(
        "---\n"
        "id: INC-2026-0101\n"
        "title: 教学楼部分教室无法上网 / Teaching building classrooms offline\n"
        "level: P2\n"
        "category: switching\n"
        f"devices: [{CHANGED}]\n"
        "reported: 2026-11-19T08:00:00+08:00\n"
        "responded: 2026-11-19T08:10:00+08:00\n"
        "reporter: 教务处\n"
        "handler: 李工\n"
        "status: open\n"
        "runbooks: [fan-tray]\n"
        "---\n"
        "上课前报修，怀疑与昨晚新增 VLAN 有关。\n",
        encoding="utf-8",
    )
    return own


def build_site(lab: RunningLab, ws: Path) -> BuiltSite:
    (ws / "netkb.yml").write_text(yaml.safe_dump(FAST), encoding="utf-8")
    inventory = write_records(ws, lab.inventory)
    run(ws, "netkb.cli", "collect", "--inventory", str(inventory), "--at", "2026-11-18T02:00:00+08:00")
    with connect(lab.devices[CHANGED], lab.profile(CHANGED)) as conn:
        conn.send_config_set(["vlan 733", "name teach-new", "description 教学楼新增"])
        conn.save_config()
    run(ws, "netkb.cli", "collect", "--inventory", str(inventory), "--at", "2026-11-19T02:00:00+08:00")
    run(ws, "netkb.cli", "generate", "--inventory", str(inventory), "--now", "2026-11-19T09:00:00+08:00")
    log = run(ws, "mkdocs", "build", "--strict", "-f", "build/mkdocs.yml")
    return BuiltSite(ws, ws / "site", ws / "build" / "docs", log.stderr)
