"""Off-the-shelf clients against the lab: netmiko's unmodified drivers, every device, every command."""

from __future__ import annotations

import pytest
from netmiko.exceptions import NetmikoAuthenticationException

from netkb.lab.fidelity import commands_for, connect, run_check
from tests.conftest import RunningLab


def test_netmiko_runs_every_command_on_every_default_device(lab: RunningLab) -> None:
    results = list(run_check(lab.inventory, workers=8))

    assert sorted(r.name for r in results) == sorted(lab.devices)
    assert {r.name: r.problems for r in results if r.problems} == {}
    for result in results:
        assert result.commands == len(commands_for(lab.devices[result.name])), result.name
    # ntc-templates parse real rows out of every platform's outputs.
    for platform in ("comware", "vrp", "ios"):
        assert max(r.parsed for r in results if r.platform == platform) >= 3, platform


CONFIG_CHANGES = {
    # device: (config lines, show command, text the next session must show)
    "agg-lib": (
        ["vlan 3999", "name netkb-test", "description 新建测试VLAN"],
        "display vlan all",
        "netkb-test",
    ),
    "acc-admin-01": (["vlan 3998", "description netkb-c5"], "display current-configuration", "vlan 3998"),
    "dorm-01": (["vlan 3997", "description 宿舍测试"], "display current-configuration", "宿舍测试"),
    "rlab-1": (["vlan 3996", "name netkb-ios"], "show vlan brief", "netkb-ios"),
}


@pytest.mark.parametrize("name", sorted(CONFIG_CHANGES))
def test_send_config_set_changes_what_the_next_session_sees(lab: RunningLab, name: str) -> None:
    lines, show, expected = CONFIG_CHANGES[name]
    entry, profile = lab.devices[name], lab.profile(name)
    with connect(entry, profile) as conn:
        if entry["platform"] == "ios":
            conn.enable()
        before = conn.send_command(show)
        assert expected not in before
        conn.send_config_set(lines)
        conn.save_config()  # leave the shared lab saved, as an engineer would

    with connect(entry, profile) as conn:
        if entry["platform"] == "ios":
            conn.enable()
        after = conn.send_command(show)
    assert expected in after


def test_a_wrong_password_is_refused(lab: RunningLab) -> None:
    entry = lab.devices["core-1"]
    with pytest.raises(NetmikoAuthenticationException):
        connect(entry, {**lab.profile("core-1"), "password": "not-the-password"}, timeout=10)
