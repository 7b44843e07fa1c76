"""LLDP over real SSH from the lab into state/neighbours.yml, and the topology pages of it: the
two ends of a cable agree, a rogue router plugged in between two nights is an unknown neighbour
(the `unknown_neighbours` item abnormal, naming its ports), an added link on the map and on the
page of its date."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import git
import yaml

from tests.conftest import RunningLab

FAST = {"timeouts": {"connect": 10, "command": 20, "device": 60}, "retries": 0}
# One device per platform and both ends of two cables: agg-dorm - dorm-01 (Comware - VRP),
# agg-admin - acc-admin-02 (Comware 7 - Comware 5); rlab-1 (IOS), rg-acc-1 (RGOS).
DEVICES = "agg-dorm,dorm-01,agg-admin,acc-admin-02,rlab-1,rg-acc-1"


def _netkb(ws: Path, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args],
        cwd=ws, capture_output=True, text=True, timeout=120, env={**os.environ, "CI": "true"},
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr + result.stdout


def _neighbours(ws: Path, device: str) -> list[dict[str, object]]:
    blob = git.Repo(ws / "configs").head.commit.tree / f"devices/{device}/state/neighbours.yml"
    return yaml.safe_load(blob.data_stream.read().decode("utf-8"))


def test_neighbours_are_state_and_the_rogue_router_shows_on_the_map(lab: RunningLab, tmp_path: Path) -> None:
    (tmp_path / "netkb.yml").write_text(yaml.safe_dump(FAST), encoding="utf-8")
    inventory = str(lab.inventory)
    _netkb(
        tmp_path, "collect", "--inventory", inventory, "--limit", DEVICES, "--at", "2026-09-28T02:00:00+08:00"
    )
    lab.fault("acc-admin-02", "rogue-neighbour")
    try:
        _netkb(
            tmp_path,
            "collect",
            "--inventory",
            inventory,
            "--limit",
            DEVICES,
            "--at",
            "2026-09-29T02:00:00+08:00",
        )
    finally:
        lab.clear("acc-admin-02", "rogue-neighbour")
    agg, dorm = _neighbours(tmp_path, "agg-dorm"), _neighbours(tmp_path, "dorm-01")
    to_dorm = next(r for r in agg if r["neighbour"] == "dorm-01")
    to_agg = next(r for r in dorm if r["neighbour"] == "agg-dorm")
    assert str(to_dorm["neighbour_interface"]) == "GigabitEthernet0/0/25" == to_agg["interface"]
    assert str(to_agg["neighbour_interface"]).endswith(str(to_dorm["interface"]).rsplit("Ethernet", 1)[1])
    for device in ("rlab-1", "rg-acc-1"):
        assert any(r["neighbour"] for r in _neighbours(tmp_path, device)), device
    rogue = [r["interface"] for r in _neighbours(tmp_path, "acc-admin-02") if r["neighbour"] == "TL-WR842N"]
    assert rogue == ["GigabitEthernet1/0/17", "GigabitEthernet1/0/18"]
    record = sorted((tmp_path / "configs" / "runs").rglob("*.json"))[-1]
    found = {
        f["item"]: f
        for f in json.loads(record.read_text(encoding="utf-8"))["devices"]["acc-admin-02"]["inspection"]
    }
    assert found["unknown_neighbours"]["verdict"] == "abnormal"
    assert "TL-WR842N on GigabitEthernet1/0/17 (announced LAN1" in found["unknown_neighbours"]["detail"]
    assert found["neighbours"]["verdict"] == "normal"  # nothing was lost

    _netkb(tmp_path, "generate", "--inventory", inventory, "--now", "2026-09-29T09:00:00+08:00")
    docs = tmp_path / "build" / "docs" / "topology"
    index = (docs / "index.md").read_text(encoding="utf-8")
    unknown = index.split("\n## ", 3)[2]  # the section of neighbours not in the inventory
    assert "TL-WR842N" in unknown and "GigabitEthernet1/0/17" in unknown
    campus = (docs / "campus.svg").read_text(encoding="utf-8")
    assert 'xlink:href="../devices/agg-dorm/"' in campus and "<script" not in campus
    assert "#2e7d32" in campus  # the rogue's links, added since the night before, in green
    history = (docs / "history" / "2026-09-29.md").read_text(encoding="utf-8")
    assert "history/2026-09-29.md" in index and "TL-WR842N" in history and "GigabitEthernet1/0/18" in history
    assert "#2e7d32" in (docs / "history" / "2026-09-29.svg").read_text(encoding="utf-8")
