"""A wireless controller's AP online ratio, night by night: the collect keeps the AP counts in the
run record and the device's trends chart them (lab: core-1's WX card, its APs dropped by a fault)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import RunningLab
from tests.integration.site_fixture import run
from tests.integration.test_collect import collect, workspace

NIGHTS = ("2026-11-16T02:00:00+08:00", "2026-11-17T02:00:00+08:00")


def records(ws: Path) -> list[dict]:  # type: ignore[type-arg]
    paths = sorted((ws / "configs" / "runs").glob("*/*/*.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def test_the_ap_online_ratio_is_recorded_each_night_and_charted(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab, language="en")
    collect(ws, lab, "--limit", "core-1,agg-lib", "--at", NIGHTS[0])
    lab.fault("core-1", "ap-down")
    try:
        collect(ws, lab, "--limit", "core-1,agg-lib", "--at", NIGHTS[1])
    finally:
        lab.clear("core-1")
    aps = yaml.safe_load((ws / "configs/devices/core-1/state/aps.yml").read_text(encoding="utf-8"))
    counts = [r["devices"]["core-1"]["measures"]["ap_counts"] for r in records(ws)]
    down = sum(a["state"] != "online" for a in aps)
    assert 0 < down < len(aps)  # one building's APs, not all
    assert counts == [{"online": len(aps), "total": len(aps)}, {"online": len(aps) - down, "total": len(aps)}]
    assert all("ap_counts" not in r["devices"]["agg-lib"]["measures"] for r in records(ws))  # no APs

    run(ws, "netkb.cli", "generate", "--inventory", str(lab.inventory), "--now", "2026-11-17T09:00:00+08:00")
    # The trends stand on the device's page or its status page: wherever they are, core-1's alone.
    pages = {p: p.read_text(encoding="utf-8") for p in (ws / "build/docs").rglob("*.md")}
    low = f"{100 * (len(aps) - down) / len(aps):.0f} %"
    charted = {p.name: text for p, text in pages.items() if "AP online ratio, last" in text}
    assert list(charted) == ["core-1.md"]
    for days in (30, 90, 365):
        assert f"AP online ratio, last {days} days: lowest {low}, highest 100 %" in charted["core-1.md"]
        assert f"| AP online ratio | Last {days} days | {low} | 100 % |" in charted["core-1.md"]  # its table
