"""`netkb lab scenario`: a dated timeline replayed on a real lab over SSH into a real snapshot
repository; and the demo's records and scenario agree with the lab they describe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netkb.inventory import load_inventory
from netkb.lab.inventory import write_lab_files
from netkb.lab.scenario import load_scenario
from netkb.lab.topology import DEFAULT_DEVICES, MIN_DEVICES, build_network
from tests.conftest import netkb, start_lab

ROOT = Path(__file__).resolve().parents[2]

SHORT = {
    "title": "test",
    "time_zone": "Asia/Shanghai",
    "first_night": "2026-03-01",
    "last_night": "2026-03-03",
    "collect_time": "02:00",
    "events": [
        {
            "at": "2026-03-01T21:30",
            "device": "agg-lib",
            "config": [
                "vlan 107",
                "name lib-7",
                "description 图书馆测试",
                "interface GigabitEthernet1/0/1",
                "port trunk permit vlan 107",
            ],
        },
        {"at": "2026-03-02T10:00", "device": "core-1", "fault": "fan"},
    ],
}


def _scenario(cwd: Path, lab_state: Path, scenario: Path, settings: Path) -> subprocess.CompletedProcess[str]:
    command = ["lab", "--state", str(lab_state), "scenario", str(scenario), "--settings", str(settings)]
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def test_scenario_replays_nights_changes_and_faults_with_their_dates(tmp_path: Path) -> None:
    lab = start_lab(tmp_path / "lab", MIN_DEVICES, seed=3)
    try:
        scenario = tmp_path / "short.yaml"
        scenario.write_text(yaml.safe_dump(SHORT, allow_unicode=True), encoding="utf-8")
        (tmp_path / "netkb.yml").write_text("snapshot_repo: snapshots\nretries: 0\n", encoding="utf-8")
        result = _scenario(tmp_path, lab.state, scenario, tmp_path / "netkb.yml")
        assert result.returncode == 0, result.stderr + result.stdout
        assert "3 nights, 2 events" in result.stdout

        repo = tmp_path / "snapshots"
        runs = _git(repo, "log", "--format=%ad|%s", "--date=iso-strict", "--grep=^run ").splitlines()
        assert [line.split("|")[0] for line in reversed(runs)] == [
            "2026-03-01T02:00:00+08:00",
            "2026-03-02T02:00:00+08:00",
            "2026-03-03T02:00:00+08:00",
        ]
        # The change made in configuration mode the evening of the 1st is the next night's commit.
        change = _git(repo, "log", "--format=%ad|%s", "--date=iso-strict", "--", "devices/agg-lib/config.txt")
        newest = change.splitlines()[0]
        assert newest.startswith("2026-03-02T02:00:00+08:00|agg-lib:") and "vlan 107" in newest
        config = (repo / "devices/agg-lib/config.txt").read_text(encoding="utf-8")
        assert "vlan 107\n name lib-7\n description 图书馆测试\n" in config
        downlink = config.split("interface GigabitEthernet1/0/1\n", 1)[1].split("#", 1)[0]
        permitted = [ln for ln in downlink.splitlines() if ln.startswith(" port trunk permit vlan")]
        assert permitted and permitted[0].endswith(" 107"), downlink
        # Saved after the change, as the event asked: the inspection sees no unsaved config.
        records = sorted((repo / "runs").glob("*/*/*.json"))
        last = json.loads(records[-1].read_text(encoding="utf-8"))
        verdicts = {f["item"]: f for f in last["devices"]["agg-lib"]["inspection"]}
        assert verdicts["config_saved"]["verdict"] == "normal"
        # The fan fault of the 2nd is found by the night of the 3rd, not before.
        middle = json.loads(records[1].read_text(encoding="utf-8"))
        assert {f["item"]: f["verdict"] for f in middle["devices"]["core-1"]["inspection"]}[
            "fans"
        ] == "normal"
        fans = {f["item"]: f for f in last["devices"]["core-1"]["inspection"]}["fans"]
        assert fans["verdict"] == "abnormal"
        # The devices' clocks follow the scenario: a day between nights is a day of uptime, no reboot.
        first = json.loads(records[0].read_text(encoding="utf-8"))
        up0 = first["devices"]["core-2"]["measures"]["uptime"]
        up2 = last["devices"]["core-2"]["measures"]["uptime"]
        assert 2 * 86400 - 120 <= up2 - up0 <= 2 * 86400 + 120
        assert {f["item"]: f["verdict"] for f in last["devices"]["core-2"]["inspection"]}[
            "reboot"
        ] == "normal"

        # Replaying onto later history is refused: the dates would run backwards.
        again = _scenario(tmp_path, lab.state, scenario, tmp_path / "netkb.yml")
        assert again.returncode == 1 and "already has runs up to 2026-03-03 02:00" in again.stderr

        # A command the device refuses stops the scenario and says which event and why.
        bad = dict(
            SHORT, events=[{"at": "2026-03-01T22:00", "device": "agg-lib", "config": ["vlan 108", "nme x"]}]
        )
        scenario.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
        (tmp_path / "other.yml").write_text("snapshot_repo: other\nretries: 0\n", encoding="utf-8")
        refused = _scenario(tmp_path, lab.state, scenario, tmp_path / "other.yml")
        assert refused.returncode == 1
        assert "events[0] at 2026-03-01 22:00: agg-lib: the device refused the change" in refused.stderr
        assert "nme x" in refused.stderr
    finally:
        netkb("lab", "--state", str(lab.state), "stop", check=False)


@pytest.fixture(scope="module")
def demo_inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default lab's inventory, written without starting the lab (the names are what matter)."""
    net = build_network(DEFAULT_DEVICES, seed=0)
    for index, dev in enumerate(net.devices.values()):
        dev.port = 16000 + index
    return write_lab_files(net, tmp_path_factory.mktemp("inventory"), "# demo inventory\n")


def test_campus_scenario_names_only_lab_devices(demo_inventory: Path) -> None:
    scenario = load_scenario(ROOT / "lab/scenarios/campus.yaml", load_inventory(demo_inventory))
    assert len(scenario.nights()) == 90
    assert scenario.nights()[-1].isoformat() == "2026-11-25T02:00:00+08:00"


def test_demo_records_validate(demo_inventory: Path, tmp_path: Path) -> None:
    result = netkb(
        "check",
        "--inventory",
        str(demo_inventory),
        "--settings",
        str(ROOT / "demo" / "netkb.yml"),
        "--records",
        str(ROOT / "demo"),
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert " 0 on-site" not in result.stdout and " 0 incident" not in result.stdout
