"""One truth over real SSH: what `netkb inspect` says is what the collect recorded (what the site shows).

A dated scenario on a lab of its own: an OSPF adjacency lost for three nights, a device that
reboots while it cannot be reached, a device whose last collect fails; then collects written
from hosts in two time zones.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from netkb.collector.inspect_command import Snapshots, inspect_device, read_runs
from netkb.inspection.checklist import Thresholds, load_checklist
from netkb.inventory import load_inventory
from netkb.lab.topology import MIN_DEVICES
from tests.conftest import RunningLab, netkb, start_lab

NIGHTS = ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05"]
SCENARIO = {
    "title": "one truth",
    "time_zone": "Asia/Shanghai",
    "first_night": NIGHTS[0],
    "last_night": NIGHTS[-1],
    "collect_time": "02:00",
    "events": [
        # agg-lib loses an adjacency after the first night and gets it back after the fourth.
        {"at": "2026-12-01T12:00", "device": "agg-lib", "fault": "ospf-down"},
        {"at": "2026-12-04T12:00", "device": "agg-lib", "clear": "ospf-down"},
        # rlab-2 cannot be reached on the second night and reboots before the third.
        {"at": "2026-12-01T12:00", "device": "rlab-2", "fault": "connection-refused"},
        {"at": "2026-12-02T12:00", "device": "rlab-2", "fault": "reboot"},
        {"at": "2026-12-02T12:05", "device": "rlab-2", "clear": "connection-refused"},
        # acc-lib-01 cannot be reached on the last night.
        {"at": "2026-12-04T12:00", "device": "acc-lib-01", "fault": "connection-refused"},
    ],
}


@pytest.fixture(scope="module")
def own_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    state = tmp_path_factory.mktemp("one-truth-lab")
    try:
        yield start_lab(state, MIN_DEVICES, seed=5)
    finally:
        netkb("lab", "--state", str(state), "stop", check=False)


def _netkb(cwd: Path, *args: str, tz: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true", "COLUMNS": "300"}
    if tz:
        env["TZ"] = tz
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def _records(repo: Path) -> list[dict[str, Any]]:
    """The run records, oldest first by the instant they started."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in (repo / "runs").glob("*/*/*.json")]
    return sorted(records, key=lambda r: dt.datetime.fromisoformat(r["started"]))


def _verdicts(record: dict[str, Any], name: str) -> dict[str, str]:
    return {f["item"]: f["verdict"] for f in record["devices"][name]["inspection"]}


def _finding(record: dict[str, Any], name: str, item: str) -> dict[str, str]:
    return next(f for f in record["devices"][name]["inspection"] if f["item"] == item)


def test_inspect_says_what_the_collect_recorded_night_after_night(
    own_lab: RunningLab, tmp_path: Path
) -> None:
    (tmp_path / "netkb.yml").write_text("snapshot_repo: configs\nretries: 0\n", encoding="utf-8")
    scenario = tmp_path / "nights.yaml"
    scenario.write_text(yaml.safe_dump(SCENARIO, allow_unicode=True), encoding="utf-8")
    replay = _netkb(
        tmp_path,
        "lab",
        "--state",
        str(own_lab.state),
        "scenario",
        str(scenario),
        "--settings",
        str(tmp_path / "netkb.yml"),
    )
    assert replay.returncode == 0, replay.stdout + replay.stderr
    repo = tmp_path / "configs"
    records = _records(repo)
    assert len(records) == len(NIGHTS)

    # 2. The lost adjacency is abnormal on each of the three nights it stays down, not only the first.
    ospf = [_verdicts(r, "agg-lib")["ospf"] for r in records]
    assert ospf == ["normal", "abnormal", "abnormal", "abnormal", "normal"], [
        _finding(r, "agg-lib", "ospf")["detail"] for r in records
    ]
    assert "still lost" in _finding(records[3], "agg-lib", "ospf")["detail"]

    # 3. The reboot while rlab-2 could not be reached is reported the night it is back.
    assert records[1]["devices"]["rlab-2"]["outcome"] == "failed"
    assert _finding(records[2], "rlab-2", "reboot")["verdict"] == "abnormal", _finding(
        records[2], "rlab-2", "reboot"
    )
    assert _verdicts(records[3], "rlab-2")["reboot"] == "normal"  # and not again

    # 1. inspect holds, device by device, the findings of the newest record that collected it.
    inventory = load_inventory(own_lab.inventory)
    checklist, runs, snapshots = load_checklist(), read_runs(repo), Snapshots(repo)
    now = dt.datetime.now(dt.UTC)
    newest = records[-1]["devices"]
    for entry in inventory.devices:
        shown = inspect_device(
            entry, inventory.expected(entry), runs, snapshots, checklist, Thresholds(), now
        )
        findings = [
            {"item": f.item_id, "verdict": f.verdict.value, "detail": f.detail, "suggestion": f.suggestion}
            for f in shown.findings
            if f.item_id != "collect"
        ]
        source = next(r for r in reversed(records) if r["devices"][entry.name]["outcome"] != "failed")
        assert findings == source["devices"][entry.name]["inspection"], entry.name
        if newest[entry.name]["outcome"] == "failed":
            (note,) = [f for f in shown.findings if f.item_id == "collect"]
            assert note.verdict.value == "abnormal" and newest[entry.name]["reason"] in note.detail

    # The command itself: the failed device and its reason, and exit status 1.
    inspect = _netkb(
        tmp_path, "inspect", "--inventory", str(own_lab.inventory), "--limit", "acc-lib-01,agg-lib"
    )
    assert inspect.returncode == 1, inspect.stdout + inspect.stderr
    assert (
        "acc-lib-01" in inspect.stdout and "latest collect" in inspect.stdout and "failed" in inspect.stdout
    )


def test_collects_from_two_time_zones_read_the_right_previous_run(
    own_lab: RunningLab, tmp_path: Path
) -> None:
    (tmp_path / "netkb.yml").write_text("snapshot_repo: configs\nretries: 0\n", encoding="utf-8")
    device = "agg-teach"
    own_lab.clear(device)
    args = ("collect", "--inventory", str(own_lab.inventory), "--limit", device)
    try:
        assert _netkb(tmp_path, *args, tz="Asia/Shanghai").returncode in (0, 1)  # a laptop in +08:00
        own_lab.fault(device, "log-errors")
        assert _netkb(tmp_path, *args, tz="UTC").returncode in (0, 1)  # CI, minutes later
        assert _netkb(tmp_path, *args, tz="Asia/Shanghai").returncode in (0, 1)  # the laptop again
    finally:
        own_lab.clear(device)
    records = _records(tmp_path / "configs")
    logs = [_verdicts(r, device)["logs"] for r in records]
    # The errors are reported once, by the run that first read them; the third run compares with
    # the second (the newest by instant), not with the laptop's first run.
    assert logs == ["normal", "abnormal", "normal"], [_finding(r, device, "logs")["detail"] for r in records]
    inspect = _netkb(tmp_path, "inspect", "--inventory", str(own_lab.inventory), "--limit", device)
    assert "serious entries" not in inspect.stdout, inspect.stdout
