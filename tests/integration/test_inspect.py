"""The inspection checklist over real SSH: healthy lab normal, each fault exactly its item."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from netkb.i18n import Strings
from netkb.lab.topology import DEFAULT_DEVICES
from netkb.settings import Settings
from tests.conftest import RunningLab, netkb, start_lab
from tests.integration.test_collect import collect, latest_record, workspace


@pytest.fixture(scope="module")
def fresh_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A default lab of its own: other tests leave changes and old log entries in the shared one."""
    state = tmp_path_factory.mktemp("fresh-lab")
    try:
        yield start_lab(state, DEFAULT_DEVICES, seed=11)
    finally:
        netkb("lab", "--state", str(state), "stop", check=False)


def not_normal(ws: Path) -> dict[str, dict[str, str]]:
    devices = latest_record(ws)["devices"]
    return {
        name: bad
        for name, d in devices.items()
        if (bad := {f["item"]: f["verdict"] for f in d["inspection"] if f["verdict"] != "normal"})
    }


def inspect_command(ws: Path, lab: RunningLab) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", "inspect", "--inventory", str(lab.inventory)],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=120,
    )


OLD_CHANGE = """---
id: CHG-2020-001
title: an old change
devices: [core-1]
window: {start: 2020-01-06T21:00:00+08:00, end: 2020-01-06T23:00:00+08:00}
requester: a
approver: b
approved: 2020-01-03T10:00:00+08:00
risk: low
---
"""


def test_faults_make_exactly_their_items_abnormal_then_clear(fresh_lab: RunningLab, tmp_path: Path) -> None:
    lab = fresh_lab
    ws = workspace(tmp_path, lab)
    assert collect(ws, lab).returncode == 0
    assert not_normal(ws) == {}  # the healthy default lab: every applicable item normal
    record = latest_record(ws)["devices"]
    core_items = {f["item"] for f in record["core-1"]["inspection"]}
    assert core_items >= {"power", "fans", "boards", "ospf", "irf", "aps"}

    placed = {
        "dorm-01": ("fan", "fans"),
        "rlab-2": ("reboot", "reboot"),
        "acc-lab-02": ("unsaved", "config_saved"),
    }
    for name, (kind, _) in placed.items():
        lab.fault(name, kind)
    try:
        collect(ws, lab)
        assert not_normal(ws) == {name: {item: "abnormal"} for name, (_, item) in placed.items()}
        inspect = inspect_command(ws, lab)
        assert inspect.returncode == 1 and "dorm-01" in inspect.stdout
    finally:
        for name in placed:
            lab.clear(name)
    collect(ws, lab)
    assert not_normal(ws) == {}  # the next run after clearing
    # A change record from long ago makes every later config change count: acc-lab-02's unsaved
    # port description (the fault's change, and its clearing), which no record covers, is an
    # unplanned change, so inspect exits 1 on a network whose every item is normal, and names it.
    before = inspect_command(ws, lab)
    assert before.returncode == 0, before.stdout + before.stderr  # no record yet: nothing judged
    (ws / "change-requests").mkdir()
    (ws / "change-requests" / "old.md").write_text(OLD_CHANGE, encoding="utf-8")
    inspect = inspect_command(ws, lab)
    assert inspect.returncode == 1, inspect.stdout + inspect.stderr
    unplanned = inspect.stdout.split(Strings(Settings().language).plain("cr_unplanned_heading"), 1)
    assert len(unplanned) == 2 and "acc-lab-02" in unplanned[1], inspect.stdout


def test_check_reports_a_bad_onsite_record_in_one_line(lab: RunningLab, tmp_path: Path) -> None:
    (tmp_path / "inspections").mkdir()
    (tmp_path / "inspections" / "2026-11-20-core.md").write_text(
        "---\ndate: 2026-11-20\nengineer: 张工\ndevices: [core-1]\n"
        "items:\n  dust_screen: {verdict: ok}\n---\n防尘网已清洁。\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "netkb.cli", "check", "--inventory", str(lab.inventory)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("netkb check:")]
    assert len(lines) == 1
    assert "inspections/2026-11-20-core.md" in lines[0] and "items.dust_screen.verdict" in lines[0]
