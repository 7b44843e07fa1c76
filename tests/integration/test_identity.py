"""The right device: an inventory address that points at another switch never puts that switch's
config into this device's history (lab, real SSH, a real snapshot repository)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import git
import yaml

from tests.conftest import RunningLab
from tests.integration.test_collect import collect, latest_record, workspace


def _two_comware(lab: RunningLab) -> tuple[str, str]:
    names = sorted(
        n for n, d in lab.devices.items() if d["platform"] == "comware" and d.get("role") == "access"
    )
    return names[0], names[1]


def _inventory(lab: RunningLab, ws: Path, **changes: dict[str, object]) -> Path:
    """A copy of the lab's inventory with some devices' fields changed (its credentials file beside it)."""
    data = yaml.safe_load(lab.inventory.read_text(encoding="utf-8"))
    for device in data["devices"]:
        device.update(changes.get(device["name"], {}))
    shutil.copy(lab.inventory.parent / "credentials.yml", ws / "credentials.yml")
    (ws / "credentials.yml").chmod(0o600)
    path = ws / "inventory.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _config_of(ws: Path, name: str) -> str:
    return (ws / "configs" / "devices" / name / "config.txt").read_text(encoding="utf-8")


def test_an_address_pointing_at_another_known_device_is_refused(lab: RunningLab, tmp_path: Path) -> None:
    a, b = _two_comware(lab)
    ws = workspace(tmp_path, lab)
    collect(ws, lab, "--limit", f"{a},{b}")
    before = _config_of(ws, a)
    # A typo: a's address is now b's.
    inventory = _inventory(lab, ws, **{a: {"port": lab.devices[b]["port"]}})
    result = collect(ws, lab, "--limit", a, inventory=inventory)
    assert result.returncode == 1
    reason = latest_record(ws)["devices"][a]["reason"]
    assert "host key" in reason and f"netkb accept {a}" in reason, reason
    assert _config_of(ws, a) == before  # the last good snapshot stays


def test_a_device_that_names_itself_otherwise_is_refused_until_accepted(
    lab: RunningLab, tmp_path: Path
) -> None:
    a, b = _two_comware(lab)
    ws = workspace(tmp_path, lab)
    collect(ws, lab, "--limit", a)  # b was never collected: its key is pinned nowhere
    before = _config_of(ws, a)
    # Host keys lost (a store restored without them) and a's address now points at b.
    shutil.rmtree(ws / "configs" / "known_hosts.d")
    inventory = _inventory(lab, ws, **{a: {"port": lab.devices[b]["port"]}})
    result = collect(ws, lab, "--limit", a, inventory=inventory)
    assert result.returncode == 1
    reason = latest_record(ws)["devices"][a]["reason"]
    assert (
        reason.startswith("gate: the device that answered is ") and f"'{b}'" in reason and f"'{a}'" in reason
    )
    assert f"netkb accept {a}" in reason
    assert _config_of(ws, a) == before
    # The team says the swap is real: the next collect takes the new device and uses the acceptance up.
    accepted = subprocess.run(
        [
            sys.executable,
            "-m",
            "netkb.cli",
            "accept",
            a,
            "--reason",
            "RMA",
            "--inventory",
            str(inventory),
        ],
        cwd=ws,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "accepted" in accepted.stdout
    assert collect(ws, lab, "--limit", a, inventory=inventory).returncode == 0
    assert f"sysname {b}" in _config_of(ws, a)
    assert not (ws / "configs" / "accepted" / a).exists()
    messages = [c.message.strip() for c in git.Repo(ws / "configs").iter_commits()]
    assert any(m == f"{a}: replacement accepted (RMA)" for m in messages)
    assert any(m.startswith(f"{a}: replacement accepted, identity") for m in messages)


def test_the_inventory_sysname_is_checked_on_a_first_collect(lab: RunningLab, tmp_path: Path) -> None:
    a, _ = _two_comware(lab)
    ws = workspace(tmp_path, lab)
    inventory = _inventory(lab, ws, **{a: {"sysname": "core-9"}})
    result = collect(ws, lab, "--limit", a, inventory=inventory)
    assert result.returncode == 1
    reason = latest_record(ws)["devices"][a]["reason"]
    assert f"the inventory says {a} is 'core-9'" in reason
    assert not (ws / "configs" / "devices" / a).exists()
