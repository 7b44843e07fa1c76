"""`netkb exec`'s guard (collector/exec_command.py: each platform's `changing_commands`) and the
inventory's `skip` (netkb/inventory.py), without a lab; tests/integration/test_exec_skip_notify.py
runs both on the lab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from netkb.cli import main
from netkb.collector.check_command import expired_skips
from netkb.collector.exec_command import refusal
from netkb.inventory import ConfigFileError, load_inventory
from netkb.spec import PLATFORMS, load_spec

CHANGING = {
    "comware": ["system-view", "sys", "save force", "reset counters interface", "reboot", "undo info-center"],
    "vrp": ["system-view", "save", "reset arp all", "reboot fast", "delete flash:/x.cfg", "format flash:"],
    "ios": ["configure terminal", "conf t", "write memory", "wr", "reload", "clear counters", "no debug all"],
    "rgos": ["configure terminal", "conf t", "write", "reload", "delete flash:x", "copy run start"],
}
READING = {
    "comware": ["display interface brief", "dis cur", "dir", "ping 10.0.0.1"],
    "vrp": ["display interface brief", "dis cu", "dir", "tracert 10.0.0.1"],
    "ios": ["show ip interface brief", "sh run", "dir flash:", "ping 10.0.0.1"],
    "rgos": ["show interface status", "sh ver", "dir", "ping 10.0.0.1"],
}


@pytest.mark.parametrize("platform", sorted(CHANGING))
def test_changing_commands_and_their_abbreviations_are_refused(platform: str) -> None:
    spec = load_spec(platform)
    for command in CHANGING[platform]:
        assert refusal(command, spec), (platform, command)
    for command in READING[platform]:
        assert refusal(command, spec) is None, (platform, command)


def test_every_platform_has_a_deny_list() -> None:
    assert all(load_spec(p).changing_commands for p in PLATFORMS)


INVENTORY = """\
devices:
  - {name: core-1, host: 10.0.0.1, platform: comware}
  - {name: rlab-1, host: 10.0.0.2, platform: ios}
  - {name: rlab-2, host: 10.0.0.3, platform: ios, skip: {reason: moved}}
"""


def test_exec_refuses_bad_input_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    base = ["exec", "--inventory", str(inventory), "--settings", str(tmp_path / "none.yml")]
    (tmp_path / "none.yml").write_text("{}\n", encoding="utf-8")
    assert main([*base, "--limit", "core-1,rlab-1", "display version", "conf t", "wr"]) == 2
    said = capsys.readouterr().err.splitlines()
    hint = "; add --config if that is meant"
    assert said == [
        f"netkb exec: refused 'conf t': 'conf', short for 'configure', changes the device (ios){hint}",
        f"netkb exec: refused 'wr': 'wr', short for 'write', changes the device (ios){hint}",
    ]
    assert main([*base, "--limit", "core-1", "display version\nsystem-view"]) == 2
    assert "without line breaks" in capsys.readouterr().err
    assert main([*base, "--limit", "nothing-here", "display version"]) == 2
    assert "no device matches --limit 'nothing-here'" in capsys.readouterr().err
    assert main([*base, "--limit", "rlab-2", "display version"]) == 0  # skipped: not logged into
    assert capsys.readouterr().err == "netkb exec: rlab-2: skipped by the inventory (moved)\n"


def test_skip_is_validated_and_ends_after_its_last_day(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yml"
    path.write_text(
        "devices:\n"
        "  - {name: a, host: h, platform: comware, skip: {reason: moved, until: 2027-01-31}}\n"
        "  - {name: b, host: h, platform: comware, skip: {reason: moved}}\n",
        encoding="utf-8",
    )
    a, b = load_inventory(path).devices
    assert a.skipped_on(dt.date(2027, 1, 31)) and not a.skipped_on(dt.date(2027, 2, 1))
    assert b.skipped_on(dt.date(2099, 1, 1))  # no end: skipped until the entry is removed
    assert expired_skips(load_inventory(path), path, dt.date(2027, 2, 1)) == [
        f"{path}: devices[0].skip.until: 2027-01-31 has passed, so a is collected again; "
        "remove the skip, or move its date"
    ]

    path.write_text(
        "devices:\n"
        "  - {name: a, host: h, platform: comware, skip: {until: 2027-01-31}}\n"
        "  - {name: b, host: h, platform: comware, skip: {reason: x, until: soon}}\n"
        "  - {name: c, host: h, platform: comware, skip: {reason: x, until: 20270131}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigFileError) as caught:
        load_inventory(path)
    assert caught.value.problems == [
        f"{path}: devices[0].skip.reason: Field required",
        f"{path}: devices[1].skip.until: 'soon' is not a date: write YYYY-MM-DD, e.g. 2027-01-31",
        f"{path}: devices[2].skip.until: 20270131 is not a date: write YYYY-MM-DD, e.g. 2027-01-31",
    ]
    path.write_text(
        "devices:\n  - {name: a, host: h, platform: comware, skip: {reason: x, until: 2027-02-30}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigFileError) as caught:
        load_inventory(path)
    assert caught.value.problems == [
        f"{path}: line 2 (2027-02-30): day is out of range for month: not a real date"
    ]
