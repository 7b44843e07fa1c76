"""The lab's clock, firmware upgrades, the ap-down fault and packet filters, on the model."""

from __future__ import annotations

import datetime as dt

from netkb.lab.faults import clear, inject
from netkb.lab.model import Fault
from netkb.lab.operations import lab_time, set_clock, upgrade
from netkb.lab.platforms import cli_for
from netkb.lab.platforms.base import Ctx, Session
from netkb.lab.platforms.comware_config import render_config
from netkb.lab.topology import MIN_DEVICES, build_network

CST = dt.timezone(dt.timedelta(hours=8))


def test_clock_back_keeps_uptimes_and_forward_ages_them() -> None:
    net = build_network(MIN_DEVICES, seed=1)
    core = net.devices["core-1"]
    uptime = core.uptime_seconds()
    set_clock(net, dt.datetime(2026, 3, 1, 2, 0, tzinfo=CST))
    assert abs(lab_time(net) - dt.datetime(2026, 3, 1, 2, 0, tzinfo=CST).timestamp()) < 5
    assert abs(core.uptime_seconds() - uptime) <= 2
    assert all(entry.when <= core.now() for entry in core.logbuffer)
    set_clock(net, dt.datetime(2026, 3, 3, 2, 0, tzinfo=CST))
    assert abs(core.uptime_seconds() - uptime - 2 * 86400) <= 2
    # Each device keeps its own few seconds of skew from the lab's clock.
    assert abs(core.now() - lab_time(net)) <= 2.0


def test_upgrade_changes_the_version_everywhere_and_reloads() -> None:
    net = build_network(MIN_DEVICES, seed=1)
    core = net.devices["core-2"]
    upgrade(core, "7.1.070, Release 7585P08")
    assert core.uptime_seconds() < 5
    assert " version 7.1.070, Release 7585P08" in render_config(core)
    assert any("7585P08" in entry.text for entry in core.logbuffer)


def test_ap_down_takes_one_building_offline_and_clear_brings_it_back() -> None:
    net = build_network(MIN_DEVICES, seed=1)
    controller = net.devices["core-1"]
    inject(net, controller, Fault.AP_DOWN)
    offline = [ap.name for ap in controller.aps if not ap.online]
    assert offline and all(name.startswith("ap-teach-") for name in offline)
    assert len(offline) < len(controller.aps)
    clear(net, controller, Fault.AP_DOWN)
    assert all(ap.online for ap in controller.aps)


def test_packet_filter_in_interface_view() -> None:
    net = build_network(MIN_DEVICES, seed=1)
    fw = net.devices["fw-1"]
    cli, ctx = cli_for(fw), Ctx(net, fw, Session())
    cli.execute(ctx, "system-view")
    for line in ("interface GigabitEthernet1/0/2", "packet-filter 3100 inbound"):
        assert cli.execute(ctx, line).text == ""
    assert "Wrong parameter" in cli.execute(ctx, "packet-filter 3100 sideways").text
    cli.execute(ctx, "return")
    lines = cli.execute(ctx, "display current-configuration").text.splitlines()
    at = lines.index("interface GigabitEthernet1/0/2")
    assert " packet-filter 3100 inbound" in lines[at : lines.index("#", at)]
    cli.execute(ctx, "system-view")
    cli.execute(ctx, "interface GigabitEthernet1/0/2")
    cli.execute(ctx, "undo packet-filter 3100 inbound")
    assert fw.interfaces["GigabitEthernet1/0/2"].packet_filters == []
