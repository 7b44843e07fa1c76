"""The simulated Huawei VRP 5 CLI (S5700): displays agree with the model, config mode changes it."""

from __future__ import annotations

import random
import re
import time

import pytest
from netmiko.huawei.huawei import HuaweiSSH
from ntc_templates.parse import parse_output

from netkb.lab.model import (
    AaaServer,
    Board,
    Device,
    FanTray,
    Fault,
    Interface,
    LocalUser,
    Network,
    NtpServer,
    Ospf,
    OspfArea,
    Platform,
    PowerSupply,
    Secrets,
    SnmpCommunity,
    SnmpUser,
    TempSensor,
    Vlan,
)
from netkb.lab.platforms import cli_for
from netkb.lab.platforms.base import Ctx, Mode, Session
from netkb.lab.topology import build_network

NAME = "dorm-A1"
CHINESE = "学生宿舍1号楼 3层-东"
HOSTILE = "<script>alert(1)</script> | `rm -rf` {: } $x"
CIPHER = re.compile(r"%\^%#[^ ?]+?%\^%#")


def make_net() -> Network:
    """One S5700 with an uplink trunk and a Vlanif in OSPF to an aggregation switch."""
    dev = Device(
        name=NAME,
        platform=Platform.VRP,
        os_major=5,
        model="S5700-28C-EI",
        software="V200R019C10SPC500",
        role="access",
        building="学生宿舍1号楼",
        mgmt_ip="10.254.0.11",
        serial="2102350DLL10N4000123",
        bridge_mac="289e-97fb-41b4",
        rng=random.Random(7),
        boot_time=time.time() - 3 * 86400,
    )
    for i in range(1, 29):
        name = f"GigabitEthernet0/0/{i}"
        dev.interfaces[name] = Interface(name, access_vlan=501, cabled=i % 4 != 0)
    dev.interfaces["GigabitEthernet0/0/1"].description = CHINESE
    dev.interfaces["GigabitEthernet0/0/2"].description = HOSTILE
    dev.interfaces["GigabitEthernet0/0/3"].admin_up = False
    uplink = dev.interfaces["GigabitEthernet0/0/28"]
    uplink.mode, uplink.trunk_vlans, uplink.description = "trunk", [10, 501, 502], "上联-汇聚"
    uplink.peer = ("agg", "GigabitEthernet1/0/1")
    dev.interfaces["Vlanif10"] = Interface(
        "Vlanif10", "网管地址", mode="vlanif", ip="10.99.0.2/30", ospf_cost=10
    )
    dev.interfaces["Vlanif10"].peer = ("agg", "Vlan-interface10")
    dev.vlans = {1: Vlan(1, "default"), 10: Vlan(10, "mgmt", "网管"), 501: Vlan(501, description="宿舍学生")}
    dev.vlans[502] = Vlan(502)
    dev.ospf = Ospf(
        1, "10.255.0.11", [OspfArea("0.0.0.0", [("10.99.0.0", "0.0.0.3")], md5_key="Ospf-Md5-Key")]
    )
    dev.boards = [Board(0, "S5700-28C-EI", is_mpu=True, ports=28), Board(1, "ES5D00X2SA00", ports=2)]
    dev.power_supplies = [PowerSupply(1, watts=150), PowerSupply(2, watts=150)]
    dev.fans = [FanTray(1)]
    dev.sensors = [TempSensor(0, "hotspot 1", 38.0, warning=63, alarm=70)]
    dev.secrets = Secrets(
        users=[LocalUser("netkb", "netkb-lab"), LocalUser("monitor", "Monitor-Pass1", level=1)],
        super_password="Super-Pass-9",
        snmp_communities=[SnmpCommunity("campus-ro-community")],
        snmp_users=[SnmpUser("nms", "nmsgroup", "Auth-Key-123", "Priv-Key-456")],
        aaa_servers=[
            AaaServer("radius", "campus", "10.0.1.5", "Radius-Key-7"),
            AaaServer("hwtacacs", "tac", "10.0.1.6", "Tacacs-Key-8"),
        ],
        ntp_servers=[NtpServer("10.254.255.1", 1, "Ntp-Key-5"), NtpServer("10.254.255.2")],
    )
    dev.acls = {"3001": ["rule 5 permit ip source 10.0.0.0 0.255.255.255"]}
    agg = Device(
        name="agg",
        platform=Platform.COMWARE,
        os_major=7,
        model="S7506E",
        software="7.1.070",
        role="aggregation",
        building="x",
        mgmt_ip="10.254.0.1",
    )
    agg.interfaces["GigabitEthernet1/0/1"] = Interface(
        "GigabitEthernet1/0/1", mode="trunk", trunk_vlans=[10, 501, 502], peer=(NAME, "GigabitEthernet0/0/28")
    )
    agg.interfaces["Vlan-interface10"] = Interface(
        "Vlan-interface10", mode="vlanif", ip="10.99.0.1/30", peer=(NAME, "Vlanif10")
    )
    agg.ospf = Ospf(1, "10.255.0.1", [OspfArea("0.0.0.0", [("10.99.0.0", "0.0.0.3")])])
    return Network(devices={NAME: dev, "agg": agg})


@pytest.fixture
def lab():
    net = make_net()
    dev = net.devices[NAME]
    return cli_for(dev), Ctx(net, dev, Session())


def run(cli, ctx, *lines):
    reply = None
    for line in lines:
        reply = cli.execute(ctx, line)
    return reply


def text(cli, ctx, *lines) -> str:
    return run(cli, ctx, *lines).text


def out(cli, ctx, *lines) -> str:
    """The reply with LF line ends, for `^...$` regexes."""
    return unlines(text(cli, ctx, *lines))


def unlines(s: str) -> str:
    return s.replace("\r\n", "\n")


def plain(config: str) -> str:
    """A config with its salted ciphers masked, for comparing two displays."""
    return CIPHER.sub("<cipher>", config)


DISPLAYS = [
    "display current-configuration",
    "display saved-configuration",
    "display startup",
    "display version",
    "display device",
    "display power",
    "display fan",
    "display temperature all",
    "display cpu-usage",
    "display memory-usage",
    "display interface brief",
    "display interface description",
    "display port vlan",
    "display vlan",
    "display ospf peer brief",
    "display ospf peer",
    "display logbuffer",
    "display clock",
    "display ntp-service status",
    "display esn",
]


# --- session, prompts, banner, paging ----------------------------------------------------------


def test_banner_is_the_s5700_login_notice_and_has_no_password_change_prompt(lab):
    cli, ctx = lab
    banner = cli.banner(ctx)
    notice = (
        "Info: The max number of VTY users is 5, and the number\r\n"
        + "      of current VTY users on line is 1.\r\n"
    )
    assert notice in banner
    assert re.search(r"The current login time is \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+08:00\.", banner)
    # netmiko's huawei driver reads up to the first `>` or `]` and answers "Change now"/"Please choose".
    assert not re.search(r"[\]>]|Change now|Please choose", banner)


def test_prompts_follow_the_views(lab):
    cli, ctx = lab
    assert cli.prompt(ctx) == f"<{NAME}>"
    expected = [
        ("system-view", f"[{NAME}]"),
        ("interface GigabitEthernet0/0/1", f"[{NAME}-GigabitEthernet0/0/1]"),
        ("vlan 10", f"[{NAME}-vlan10]"),
        ("ospf 1", f"[{NAME}-ospf-1]"),
        ("area 0", f"[{NAME}-ospf-1-area-0.0.0.0]"),
        ("quit", f"[{NAME}-ospf-1]"),
        ("acl number 3001", f"[{NAME}-acl-adv-3001]"),
        ("acl 2000", f"[{NAME}-acl-basic-2000]"),
        ("aaa", f"[{NAME}-aaa]"),
        ("interface Vlanif10", f"[{NAME}-Vlanif10]"),
        ("return", f"<{NAME}>"),
    ]
    for line, prompt in expected:
        reply = cli.execute(ctx, line)
        assert "Error" not in reply.text, (line, reply.text)
        assert cli.prompt(ctx) == prompt, line


def test_system_view_quit_and_return(lab):
    cli, ctx = lab
    assert text(cli, ctx, "system-view") == "Enter system view, return user view with Ctrl+Z."
    assert ctx.session.mode is Mode.CONFIG
    run(cli, ctx, "quit")
    assert ctx.session.mode is Mode.USER
    assert "Unrecognized" in text(cli, ctx, "return")  # user view has no `return`
    run(cli, ctx, "quit")
    assert ctx.session.closed


def test_screen_length_disables_paging_as_netmiko_expects(lab):
    cli, ctx = lab
    reply = run(cli, ctx, "screen-length 0 temporary")
    assert reply.text == "Info: The configuration takes effect on the current user terminal interface only."
    assert ctx.session.paging is False
    run(cli, ctx, "screen-length 30 temporary")
    assert ctx.session.paging is True and ctx.session.screen_length == 30


def test_more_prompt_and_erase_are_what_netmiko_strips():
    cli = cli_for(make_net().devices[NAME])
    assert cli.more_prompt == "  ---- More ----"
    assert cli.more_erase == "\x1b[42D" + " " * 42 + "\x1b[42D"
    driver = HuaweiSSH.__new__(HuaweiSSH)  # only its text cleaning is used
    driver.ansi_escape_codes, driver.RETURN = True, "\n"
    cleaned = driver.strip_ansi_escape_codes("line 1\r\n" + cli.more_prompt + cli.more_erase + "line 2\r\n")
    assert "\x1b" not in cleaned and "line 2" in cleaned


# --- every command answers, abbreviations, errors ------------------------------------------------


@pytest.mark.parametrize("command", DISPLAYS)
def test_every_display_answers_without_error(lab, command):
    cli, ctx = lab
    shown = text(cli, ctx, command)
    assert shown.strip()
    assert "Error:" not in shown
    assert shown.endswith("\r\n") and "\n" not in shown.replace("\r\n", "")


def test_displays_work_in_every_view(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "interface GigabitEthernet0/0/5")
    assert "Vlanif10" in text(cli, ctx, "display interface brief")
    assert cli.prompt(ctx) == f"[{NAME}-GigabitEthernet0/0/5]"


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("dis cur", "display current-configuration"),
        ("dis ver", "display version"),
        ("disp int br", "display interface brief"),
        ("dis vl", "display vlan"),
        ("dis ospf pe br", "display ospf peer brief"),
        ("dis cpu", "display cpu-usage"),
        ("dis mem", "display memory-usage"),
        ("dis dev", "display device"),
        ("dis temp a", "display temperature all"),
        ("dis ntp st", "display ntp-service status"),
    ],
)
def test_abbreviations(lab, short, full):
    cli, ctx = lab

    def shape(reply: str) -> list[str]:  # CPU, memory, utilities, NTP offsets move between reads
        return [line.split(":")[0].split()[0] if line.strip() else "" for line in plain(reply).split("\r\n")]

    assert shape(text(cli, ctx, short)) == shape(text(cli, ctx, full))


def caret(cli, ctx, line: str) -> tuple[int, str]:
    """(column of `^` counted from the prompt's start, message)."""
    reply = cli.execute(ctx, line)
    first, message = reply.text.split("\r\n")
    assert set(first) == {" ", "^"} and reply.paged is False
    return first.index("^"), message


def test_unrecognized_command_points_at_the_bad_word(lab):
    cli, ctx = lab
    prompt = cli.prompt(ctx)
    assert caret(cli, ctx, "display foo") == (
        len(prompt) + 8,
        "Error: Unrecognized command found at '^' position.",
    )
    assert caret(cli, ctx, "show version")[0] == len(prompt)


def test_incomplete_wrong_toomany_ambiguous(lab):
    cli, ctx = lab
    p = len(cli.prompt(ctx))
    assert caret(cli, ctx, "display") == (p + 8, "Error: Incomplete command found at '^' position.")
    assert caret(cli, ctx, "dis c") == (p + 4, "Error: Ambiguous command found at '^' position.")
    # S5700 V200R has no `display vlan brief`: `brief` sits where a VLAN ID is expected.
    assert caret(cli, ctx, "display vlan brief") == (p + 13, "Error: Wrong parameter found at '^' position.")
    run(cli, ctx, "system-view")
    p = len(cli.prompt(ctx))
    assert caret(cli, ctx, "vlan 10 20") == (p + 8, "Error:Too many parameters found at '^' position.")
    assert caret(cli, ctx, "vlan 4095") == (p + 5, "Error: Wrong parameter found at '^' position.")
    assert caret(cli, ctx, "vlan")[1] == "Error: Incomplete command found at '^' position."
    assert (
        caret(cli, ctx, "interface GigabitEthernet0/0/99")[1]
        == "Error: Wrong parameter found at '^' position."
    )
    assert caret(cli, ctx, "frobnicate now") == (p, "Error: Unrecognized command found at '^' position.")


def test_layer3_command_on_a_switch_port_is_unknown(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "interface GigabitEthernet0/0/5")
    col, message = caret(cli, ctx, "ip address 1.1.1.1 24")
    assert message.startswith("Error: Unrecognized") and col == len(cli.prompt(ctx))


# --- the configuration and the displays agree ---------------------------------------------------


def test_running_config_shape(lab):
    cli, ctx = lab
    config = text(cli, ctx, "display current-configuration")
    lines = config.split("\r\n")
    assert lines[0] == "!Software Version V200R019C10SPC500"
    assert lines[1] == "#" and lines[2] == f"sysname {NAME}"
    assert lines[-2:] == ["return", ""]
    assert "vlan batch 10 501 to 502" in lines
    assert "vlan 1" not in lines  # VLAN 1 is built in
    assert (
        " port trunk allow-pass vlan 10 501 to 502" in lines and " undo port trunk allow-pass vlan 1" in lines
    )
    assert (
        lines.index("interface Vlanif10")
        < lines.index("interface GigabitEthernet0/0/1")
        < lines.index("interface NULL0")
        < lines.index("ospf 1 router-id 10.255.0.11")
    )
    block = lines[lines.index("interface GigabitEthernet0/0/3") :][:5]
    assert block == [
        "interface GigabitEthernet0/0/3",
        " shutdown",
        " port link-type access",
        " port default vlan 501",
        "#",
    ]
    assert " ip address 10.99.0.2 255.255.255.252" in lines and " ospf cost 10" in lines
    assert "  network 10.99.0.0 0.0.0.3" in lines
    assert "clock timezone BJ add 08:00:00" in lines


def test_vlan_batch_wraps_ten_items_a_line(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "vlan batch 100 102 104 106 108 110 112 114 116 118 120 122", "return")
    batch = [
        line
        for line in text(cli, ctx, "display current-configuration").split("\r\n")
        if line.startswith("vlan batch")
    ]
    assert batch == ["vlan batch 10 100 102 104 106 108 110 112 114 116", "vlan batch 118 120 122 501 to 502"]


def test_vlans_agree_between_config_and_display_vlan(lab):
    cli, ctx = lab
    shown = out(cli, ctx, "display vlan")
    assert shown.startswith("The total number of vlans is : 4\n")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r"^\s*(\d+) common +enable +default +enable +disable +FWD FWD FWD (.*?)\s*$", shown, re.M
        )
    }
    assert rows == {"1": "VLAN 0001", "10": "网管", "501": "宿舍学生", "502": "VLAN 0502"}
    assert "  10         TG:GE0/0/28(U)" in shown
    assert re.search(
        r"^ 501         UT:GE0/0/1\(U\)\s+GE0/0/2\(U\)\s+GE0/0/3\(D\)\s+GE0/0/4\(D\)", shown, re.M
    )


def test_shut_port_shows_admin_down(lab):
    cli, ctx = lab
    brief = out(cli, ctx, "display interface brief")
    assert re.search(r"^GigabitEthernet0/0/3 +\*down down +0% +0% +0 +0$", brief, re.M)
    assert re.search(r"^GigabitEthernet0/0/4 +down +down ", brief, re.M)  # nothing plugged in
    assert re.search(r"^NULL0 +up +up\(s\) +0% +0%", brief, re.M)
    assert re.search(r"^Vlanif10 +up +up +-- +--", brief, re.M)


def test_ospf_peers_follow_the_topology(lab):
    cli, ctx = lab
    brief = out(cli, ctx, "display ospf peer brief")
    assert "\t OSPF Process 1 with Router ID 10.255.0.11\n\t\t  Peer Statistic Information" in brief
    assert re.search(r"^ 0\.0\.0\.0 {10}Vlanif10 {25}10\.255\.0\.1 {7}Full {8}$", brief, re.M)
    detail = text(cli, ctx, "display ospf peer")
    assert "Area 0.0.0.0 interface 10.99.0.2(Vlanif10)'s neighbors" in detail
    assert "Router ID: 10.255.0.1       Address: 10.99.0.1" in detail


def test_ospf_down_fault_drops_the_neighbour(lab):
    cli, ctx = lab
    ctx.net.broken_adjacencies.add(frozenset({(NAME, "Vlanif10"), ("agg", "Vlan-interface10")}))
    brief = text(cli, ctx, "display ospf peer brief")
    assert "Full" not in brief and "Peer Statistic Information" in brief
    assert "neighbors" not in text(cli, ctx, "display ospf peer")


def test_far_end_shutdown_takes_the_link_down(lab):
    cli, ctx = lab
    ctx.net.devices["agg"].interfaces["GigabitEthernet1/0/1"].admin_up = False
    assert re.search(r"^GigabitEthernet0/0/28 +down +down", out(cli, ctx, "display interface brief"), re.M)


# --- config mode changes the model -------------------------------------------------------------


def test_config_mode_changes_model_and_running_config(lab):
    cli, ctx = lab
    dev = ctx.dev
    replies = run_all(
        cli,
        ctx,
        "system-view",
        "vlan 30",
        "description 新建-宿舍",
        "quit",
        "interface GigabitEthernet0/0/5",
        "description  5号房间 ",
        "port default vlan 30",
        "shutdown",
        "interface GigabitEthernet0/0/28",
        "port trunk allow-pass vlan 30",
        "undo port trunk allow-pass vlan 502",
        "ospf 1",
        "area 0.0.0.0",
        "network 10.30.0.0 0.0.0.255",
        "quit",
        "quit",
        "interface Vlanif30",
        "ip address 10.30.0.1 24",
        "ospf cost 5",
        "acl number 3001",
        "rule 10 deny ip",
        "return",
    )
    assert not [r for r in replies if "Error" in r]
    assert dev.vlans[30].description == "新建-宿舍"
    port = dev.interfaces["GigabitEthernet0/0/5"]
    assert (port.description, port.access_vlan, port.admin_up) == ("5号房间", 30, False)
    assert dev.interfaces["GigabitEthernet0/0/28"].trunk_vlans == [10, 30, 501]
    assert dev.interfaces["Vlanif30"].ip == "10.30.0.1/24"
    assert ("10.30.0.0", "0.0.0.255") in dev.ospf.areas[0].networks
    config = text(cli, ctx, "display current-configuration").split("\r\n")
    assert "vlan batch 10 30 501 to 502" in config
    assert config[config.index("interface GigabitEthernet0/0/5") + 1 :][:5] == [
        " description 5号房间",
        " shutdown",
        " port link-type access",
        " port default vlan 30",
        "#",
    ]
    assert " port trunk allow-pass vlan 10 30 501" in config
    assert config[config.index("interface Vlanif30") + 1 :][:3] == [
        " ip address 10.30.0.1 255.255.255.0",
        " ospf cost 5",
        "#",
    ]
    assert " rule 10 deny ip" in config
    assert "GE0/0/5(D)" in text(cli, ctx, "display vlan 30")


def run_all(cli, ctx, *lines) -> list[str]:
    return [cli.execute(ctx, line).text for line in lines]


def test_undo_commands(lab):
    cli, ctx = lab
    dev = ctx.dev
    run(
        cli,
        ctx,
        "system-view",
        "interface GigabitEthernet0/0/1",
        "undo description",
        "undo port default vlan",
    )
    run(cli, ctx, "interface GigabitEthernet0/0/3", "undo shutdown", "quit", "undo vlan 502")
    assert dev.interfaces["GigabitEthernet0/0/1"].description == ""
    assert dev.interfaces["GigabitEthernet0/0/1"].access_vlan == 1
    assert dev.interfaces["GigabitEthernet0/0/3"].admin_up
    assert 502 not in dev.vlans
    assert text(cli, ctx, "undo vlan 1") == "Error: The default VLAN cannot be deleted."


def test_link_type_change_needs_default_config_first(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "interface GigabitEthernet0/0/6")
    assert text(cli, ctx, "port link-type trunk") == "Error: Please renew the default configurations."
    assert (
        text(cli, ctx, "port trunk allow-pass vlan 10")
        == "Error: Please first set the port link-type to trunk."
    )
    run(cli, ctx, "undo port default vlan", "port link-type trunk")
    assert ctx.dev.interfaces["GigabitEthernet0/0/6"].mode == "trunk"
    assert text(cli, ctx, "port default vlan 10") == "Error: Please first set the port link-type to access."


def test_port_default_vlan_needs_the_vlan(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "interface GigabitEthernet0/0/6")
    assert text(cli, ctx, "port default vlan 77") == "Error: The VLAN does not exist."
    assert ctx.dev.interfaces["GigabitEthernet0/0/6"].access_vlan == 501


def test_sysname_renames_and_keeps_the_topology(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "sysname dorm-A1-new")
    assert cli.prompt(ctx) == "[dorm-A1-new]"
    assert "dorm-A1-new" in ctx.net.devices and NAME not in ctx.net.devices
    assert ctx.net.devices["agg"].interfaces["GigabitEthernet1/0/1"].peer == (
        "dorm-A1-new",
        "GigabitEthernet0/0/28",
    )
    assert "Full" in text(cli, ctx, "display ospf peer brief")
    assert f"sysname {NAME}" in text(cli, ctx, "display saved-configuration")


def test_description_text_is_kept_verbatim(lab):
    cli, ctx = lab
    for line in (f"description {HOSTILE}", f"description {CHINESE}"):
        run(cli, ctx, "system-view", "interface GigabitEthernet0/0/9", line, "return")
        value = line.split(" ", 1)[1]
        assert ctx.dev.interfaces["GigabitEthernet0/0/9"].description == value
        assert f" description {value}\r\n" in text(cli, ctx, "display current-configuration")
        assert re.search(
            rf"^GE0/0/9 +\S+ +\S+ +{re.escape(value)}$",
            unlines(text(cli, ctx, "display interface description")),
            re.M,
        )


def test_chinese_and_hostile_descriptions_in_every_view(lab):
    cli, ctx = lab
    config = text(cli, ctx, "display current-configuration")
    assert f" description {CHINESE}\r\n" in config and f" description {HOSTILE}\r\n" in config
    described = text(cli, ctx, "display interface description")
    assert CHINESE in described and HOSTILE in described


def test_extra_global_commands_are_kept(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "info-center loghost 10.0.0.9", "return")
    assert "info-center loghost 10.0.0.9\r\n" in text(cli, ctx, "display current-configuration")
    run(cli, ctx, "system-view", "undo info-center loghost 10.0.0.9", "return")
    assert "info-center loghost" not in text(cli, ctx, "display current-configuration")


def test_commands_are_recorded_in_the_log_buffer(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "vlan 40", "return")
    log = text(cli, ctx, "display logbuffer")
    assert "%%01SHELL/5/CMDRECORD(s)" in log and 'Command="vlan 40")' in log


# --- saved configuration and the save dialogue ---------------------------------------------------


def test_saved_and_running_differ_after_a_change_and_agree_after_save(lab):
    cli, ctx = lab
    assert plain(text(cli, ctx, "display saved-configuration")) == plain(
        text(cli, ctx, "display current-configuration")
    )
    run(cli, ctx, "system-view", "vlan 60", "return")
    assert "vlan batch 10 60 501 to 502" in text(cli, ctx, "display current-configuration")
    assert "vlan batch 10 501 to 502\r\n" in text(cli, ctx, "display saved-configuration")
    reply = run(cli, ctx, "save")
    assert reply.text == (
        "The current configuration (excluding the configurations of unregistered boards or cards) "
        "will be written to flash:/vrpcfg.zip."
    )
    assert reply.question == "Are you sure to continue?[Y/N]"
    done = run(cli, ctx, "y")
    assert (
        done.text
        == "Now saving the current configuration to the slot 0..\r\nSave the configuration successfully."
    )
    assert ctx.dev.saved is None
    assert plain(text(cli, ctx, "display saved-configuration")) == plain(
        text(cli, ctx, "display current-configuration")
    )
    assert "%%01CFM/4/SAVE(s)" in text(cli, ctx, "display logbuffer")


def test_save_answered_no_keeps_the_old_file(lab):
    cli, ctx = lab
    run(cli, ctx, "system-view", "vlan 61", "quit", "save")
    assert cli.execute(ctx, "n").text == ""
    assert ctx.dev.saved is not None
    assert cli.prompt(ctx) == f"[{NAME}]"  # `save` works in system view too


def test_saved_config_cipher_is_stable_running_cipher_churns(lab):
    cli, ctx = lab
    first, second = (text(cli, ctx, "display current-configuration") for _ in range(2))
    assert first != second and plain(first) == plain(second)
    assert text(cli, ctx, "display saved-configuration") == text(cli, ctx, "display saved-configuration")


# --- secrets ------------------------------------------------------------------------------------


def test_secrets_in_every_form(lab):
    cli, ctx = lab
    config = text(cli, ctx, "display current-configuration")
    for secret in (
        "netkb-lab",
        "Monitor-Pass1",
        "Super-Pass-9",
        "campus-ro-community",
        "Auth-Key-123",
        "Priv-Key-456",
        "Radius-Key-7",
        "Tacacs-Key-8",
        "Ntp-Key-5",
        "Ospf-Md5-Key",
    ):
        assert secret not in config
    lines = config.split("\r\n")
    cipher = r"%\^%#[!-~]{40,}%\^%#"

    def has(pattern: str) -> None:
        assert any(re.fullmatch(pattern, line) for line in lines), pattern

    has(r" local-user netkb password irreversible-cipher \$1a\$[^$ ]{10}\$[^$ ]{44}\$")
    has(rf" local-user monitor password cipher {cipher}")
    has(rf"super password level 15 cipher {cipher}")
    has(rf"snmp-agent community read cipher {cipher}")
    has(rf"snmp-agent usm-user v3 nms authentication-mode sha cipher {cipher}")
    has(rf"snmp-agent usm-user v3 nms privacy-mode aes128 cipher {cipher}")
    has(rf" radius-server shared-key cipher {cipher}")
    has(rf" hwtacacs-server shared-key cipher {cipher}")
    has(rf"ntp-service authentication-keyid 1 authentication-mode md5 cipher {cipher}")
    has(rf"  authentication-mode md5 1 cipher {cipher}")


def test_reversible_ciphers_are_fresh_every_display_irreversible_is_not(lab):
    cli, ctx = lab
    a, b = (text(cli, ctx, "display current-configuration") for _ in range(2))
    ciphers_a, ciphers_b = CIPHER.findall(a), CIPHER.findall(b)
    assert len(ciphers_a) == len(ciphers_b) == 9
    assert not set(ciphers_a) & set(ciphers_b)
    hashed = re.compile(r"irreversible-cipher (\S+)")
    assert hashed.findall(a) == hashed.findall(b)


# --- faults show where they should -----------------------------------------------------------------


def test_fan_and_power_faults(lab):
    cli, ctx = lab
    ctx.dev.fans[0].status = "Fault"
    ctx.dev.power_supplies[-1].status = "Fault"
    device = out(cli, ctx, "display device")
    assert re.search(r"^ +PWR2 POWER +Present +PowerOff +Registered +Abnormal +NA$", device, re.M)
    assert re.search(r"^ +FAN1 FAN +Present +PowerOn +Registered +Abnormal +NA$", device, re.M)
    assert re.search(r"^ 0 +PWR2 +Present +AC +NotSupply", out(cli, ctx, "display power"), re.M)
    assert re.search(r"^ 0 +1 +Present +Abnormal +0%", out(cli, ctx, "display fan"), re.M)


def test_absent_power_supply(lab):
    cli, ctx = lab
    ctx.dev.power_supplies[-1].status = "Absent"
    assert "PWR2" not in text(cli, ctx, "display device")
    assert re.search(r"^ 0 +PWR2 +Absent +- +- +-$", out(cli, ctx, "display power"), re.M)


def test_board_fault(lab):
    cli, ctx = lab
    ctx.dev.boards[1].status = "Fault"
    assert re.search(
        r"^ {5}1 +ES5D00X2SA00 +Present +PowerOn +Registered +Abnormal +NA$",
        out(cli, ctx, "display device"),
        re.M,
    )
    ctx.dev.boards[1].status = "Absent"
    assert re.search(
        r"^ {5}1 +ES5D00X2SA00 +Absent +- +Unregistered +- +NA$", out(cli, ctx, "display device"), re.M
    )


def test_temperature_fault(lab):
    cli, ctx = lab
    assert re.search(
        r"^ 0 +NA +NA +Normal +3\d +0 +4 +63 +59$", out(cli, ctx, "display temperature all"), re.M
    )
    ctx.dev.faults.add(Fault.TEMPERATURE)
    assert re.search(
        r"^ 0 +NA +NA +Abnormal +69 +0 +4 +63 +59$", out(cli, ctx, "display temperature all"), re.M
    )


def test_cpu_fault(lab):
    cli, ctx = lab
    ctx.dev.faults.add(Fault.CPU)
    shown = text(cli, ctx, "display cpu-usage")
    five_s = int(re.search(r"CPU utilization for five seconds: (\d+)%", shown).group(1))
    assert five_s >= 90 and re.search(r"CPU Usage +: 9\d% Max: 9\d%", shown)


def test_log_errors_and_reboot(lab):
    cli, ctx = lab
    ctx.dev.log("DEVM", 2, "FAN_FAIL", "Fan 1 failed.")
    log = out(cli, ctx, "display logbuffer")
    assert re.search(
        rf"^\w{{3}} \d\d \d{{4}} \d\d:\d\d:\d\d\+08:00 {NAME} "
        r"%%01DEVM/2/FAN_FAIL\(l\)\[\d+\]:Fan 1 failed\.$",
        log,
        re.M,
    )
    assert "uptime is 0 week, 3 days" in text(cli, ctx, "display version")
    ctx.dev.boot_time = ctx.dev.now() - 120
    assert "Routing Switch uptime is 0 week, 0 day, 0 hour, 2 minutes" in text(cli, ctx, "display version")


def test_memory_clock_and_ntp(lab):
    cli, ctx = lab
    mem = out(cli, ctx, "display memory-usage")
    assert re.search(r"^ Memory Using Percentage Is: \d+%$", mem, re.M)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+08:00\r\n\w+day\r\nTime Zone\(BJ\) : UTC\+08:00\r\n",
        text(cli, ctx, "display clock"),
    )
    assert " reference clock ID: 10.254.255.1\r\n" in text(cli, ctx, "display ntp-service status")
    ctx.dev.secrets.ntp_servers = []
    assert " clock status: unsynchronized \r\n" in text(cli, ctx, "display ntp-service status")


# --- ntc-templates fidelity ---------------------------------------------------------------------


def parse(command: str, out: str):
    return parse_output(platform="huawei_vrp", command=command, data=unlines(out))


def test_ntc_display_version(lab):
    cli, ctx = lab
    rows = parse("display version", text(cli, ctx, "display version"))
    assert rows[0]["vrp_version"] == "5.170"
    assert rows[0]["product_version"] == "S5700 V200R019C10SPC500"
    # The template keeps "Routing Switch" in the model of every S-series box (real ones too).
    assert rows[0]["model"] == "S5700-28C-EI Routing Switch"
    assert rows[0]["uptime"].startswith("0 week, 3 days")


def test_ntc_display_interface_brief(lab):
    cli, ctx = lab
    rows = parse("display interface brief", text(cli, ctx, "display interface brief"))
    by_name = {r["interface"]: r for r in rows}
    assert len(rows) == 28 + 2  # ports, NULL0, Vlanif10
    assert by_name["GigabitEthernet0/0/3"]["phy"] == "*down"
    assert by_name["GigabitEthernet0/0/1"]["protocol"] == "up"
    assert by_name["NULL0"]["protocol"] == "up(s)"


def test_ntc_display_vlan_status_table(lab):
    cli, ctx = lab
    ctx.dev.vlans[10].description = "网管网络"
    rows = parse("display vlan", text(cli, ctx, "display vlan"))
    assert [(r["vlan_id"], r["vlan_type"], r["vlan_status"], r["vlan_description"]) for r in rows] == [
        ("1", "common", "enable", "VLAN 0001"),
        ("10", "common", "enable", "网管网络"),
        ("501", "common", "enable", "宿舍学生"),
        ("502", "common", "enable", "VLAN 0502"),
    ]


@pytest.mark.xfail(
    strict=True,
    reason="ntc huawei_vrp_display_vlan wants a description of three characters or more (`\\S.+\\S`); "
    "VRP accepts one or two (the campus management VLAN is described 网管)",
)
def test_ntc_display_vlan_short_description(lab):
    cli, ctx = lab
    assert parse("display vlan", text(cli, ctx, "display vlan"))


@pytest.mark.xfail(
    strict=True,
    reason="ntc huawei_vrp_display_vlan keeps only the first two ports of each continuation line "
    "(it does the same on its own real fixture huawei_vrp_display_vlan_2.raw: 14 of 23 ports)",
)
def test_ntc_display_vlan_member_ports(lab):
    cli, ctx = lab
    ctx.dev.vlans[10].description = "网管网络"
    rows = {r["vlan_id"]: r for r in parse("display vlan", text(cli, ctx, "display vlan"))}
    assert len(rows["501"]["interface"]) == 27


def test_ntc_display_device(lab):
    cli, ctx = lab
    ctx.dev.power_supplies[0].status = "Fault"
    rows = parse("display device", text(cli, ctx, "display device"))
    assert [(r["card"], r["pid"], r["alarm_status"]) for r in rows] == [
        ("-", "S5700-28C-EI", "Normal"),
        ("1", "ES5D00X2SA00", "Normal"),
        ("PWR1", "POWER", "Abnormal"),
        ("PWR2", "POWER", "Normal"),
        ("FAN1", "FAN", "Normal"),
    ]


def test_ntc_display_interface_description(lab):
    cli, ctx = lab
    rows = {
        r["interface"]: r
        for r in parse("display interface description", text(cli, ctx, "display interface description"))
    }
    assert rows["GE0/0/1"]["description"] == CHINESE
    assert rows["GE0/0/2"]["description"] == HOSTILE
    assert rows["GE0/0/3"]["phy"] == "*down"


def test_ntc_display_port_vlan(lab):
    cli, ctx = lab
    rows = {r["interface"]: r for r in parse("display port vlan", text(cli, ctx, "display port vlan"))}
    assert (
        rows["GigabitEthernet0/0/5"]["link_type"] == "access"
        and rows["GigabitEthernet0/0/5"]["vlan_id"] == "501"
    )
    assert rows["GigabitEthernet0/0/28"]["trunk_vlan_list"] == ["10", "501-502"]


def test_ntc_ntp_status_under_its_vrp8_command_name(lab):
    cli, ctx = lab
    rows = parse("display ntp status", text(cli, ctx, "display ntp-service status"))
    assert rows[0]["clock_status"] == "synchronized" and rows[0]["reference_clock_id"] == "10.254.255.1"


@pytest.mark.xfail(
    strict=True,
    reason="ntc's index maps VRP 5's `display ntp-service status` to huawei_vrp_dir (`d[[ir]]` matches any "
    "command starting with d); its ntp template is keyed to VRP 8's `display ntp status`",
)
def test_ntc_ntp_service_status_by_its_own_name(lab):
    cli, ctx = lab
    rows = parse("display ntp-service status", text(cli, ctx, "display ntp-service status"))
    assert rows[0]["clock_status"] == "synchronized"


@pytest.mark.xfail(
    strict=True,
    reason="ntc huawei_vrp_display_temperature parses the NE/CX router table (PCB/I2C/Addr); "
    "S-series switches print the Slot/Card/Sensor table (see reference display_hardware.txt)",
)
def test_ntc_display_temperature(lab):
    cli, ctx = lab
    assert parse("display temperature all", text(cli, ctx, "display temperature all"))


@pytest.mark.xfail(
    strict=True,
    reason="ntc huawei_vrp_display_startup lacks the `Configured startup system software` and `paf file` "
    "lines a real S-series prints (it fails on the S1720 capture in reference system.txt too)",
)
def test_ntc_display_startup(lab):
    cli, ctx = lab
    assert parse("display startup", text(cli, ctx, "display startup"))


# --- the default campus network -------------------------------------------------------------------


def test_every_vrp_device_of_the_campus_answers_the_collector_commands():
    net = build_network()
    vrps = [d for d in net.devices.values() if d.platform is Platform.VRP]
    assert vrps
    for dev in vrps:
        cli, ctx = cli_for(dev), Ctx(net, dev, Session())
        for command in DISPLAYS:
            assert "Error:" not in cli.execute(ctx, command).text, (dev.name, command)
        assert "Full" in text(cli, ctx, "display ospf peer brief") or dev.ospf is None
