"""Tests of the simulated Cisco IOS CLI (lab/platforms/ios*.py): pure, no SSH."""

from __future__ import annotations

import re

import pytest
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
    TempSensor,
    Vlan,
)
from netkb.lab.platforms import ios_secrets as sec
from netkb.lab.platforms.base import Ctx, Mode, Session
from netkb.lab.platforms.ios import IosCli


def make_switch(name: str, model: str, software: str, rid: str, uplink_ip: str, peer: str) -> Device:
    dev = Device(
        name=name,
        platform=Platform.IOS,
        os_major=15,
        model=model,
        software=software,
        role="access",
        building="图书馆",
        mgmt_ip=rid,
        enable_password="en-secret",
        serial="FOC1932X0K1" if "2960" in model else "FCW2049C0LT",
        bridge_mac="f87b.2011.aa80",
        memory_mb=512 if "2960" in model else 4096,
    )
    for n in range(1, 9):
        dev.interfaces[f"GigabitEthernet1/0/{n}"] = Interface(
            f"GigabitEthernet1/0/{n}", access_vlan=10 if n < 5 else 20
        )
    dev.interfaces["GigabitEthernet1/0/1"].description = "图书馆-3F-201 教室"
    dev.interfaces["GigabitEthernet1/0/2"].description = "<script>alert(1)</script> | `id` {: }"
    dev.interfaces["GigabitEthernet1/0/3"].admin_up = False
    dev.interfaces["GigabitEthernet1/0/4"].cabled = False
    dev.interfaces["GigabitEthernet1/0/8"].mode = "trunk"
    dev.interfaces["GigabitEthernet1/0/8"].trunk_vlans = [10, 20, 30, 31, 32]
    dev.interfaces["TenGigabitEthernet1/1/1"] = Interface(
        "TenGigabitEthernet1/1/1",
        mode="routed",
        ip=uplink_ip,
        ospf_cost=10,
        speed_mbps=10000,
        description="uplink to core",
        peer=(peer, "TenGigabitEthernet1/1/1"),
    )
    dev.interfaces["Vlan10"] = Interface(
        "Vlan10", mode="vlanif", ip="10.10.0.1/24" if name == "SW-A" else "10.20.0.1/24"
    )
    dev.interfaces["Loopback0"] = Interface("Loopback0", mode="routed", ip=f"{rid}/32")
    dev.vlans = {1: Vlan(1), 10: Vlan(10, "Office"), 20: Vlan(20, "Lab"), 30: Vlan(30)}
    dev.ospf = Ospf(
        1, rid, [OspfArea("0.0.0.0", [("10.0.0.0", "0.0.0.3"), (rid, "0.0.0.0")], md5_key="ospf-md5")]
    )
    dev.boards = [
        Board(1, model, is_mpu=True, serial=dev.serial),
        Board(2, "C3850-NM-4-10G", serial="FOC2001X0AB"),
    ]
    dev.power_supplies = [PowerSupply(1, watts=350), PowerSupply(2, status="Absent", watts=350)]
    dev.fans = [FanTray(1), FanTray(2), FanTray(3)]
    dev.sensors = [
        TempSensor(1, "inlet 1", 31, warning=46, alarm=56),
        TempSensor(1, "hotspot 1", 48, warning=105, alarm=125),
    ]
    dev.secrets = Secrets(
        users=[LocalUser("admin", "Adm1n!pass", 15), LocalUser("old", "cisco", 1)],
        super_password="en-secret",
        snmp_communities=[SnmpCommunity("campus-ro"), SnmpCommunity("campus-rw", "write")],
        aaa_servers=[
            AaaServer("tacacs", "TAC", "10.255.0.10", "tac-key"),
            AaaServer("radius", "RAD", "10.255.0.11", "rad-key"),
        ],
        ntp_servers=[NtpServer("10.255.0.1", 1, "ntp-key")],
    )
    dev.static_routes = [("0.0.0.0", "0.0.0.0", "10.0.0.2")]
    dev.acls = {"MGMT": ["permit tcp 10.255.0.0 0.0.0.255 any eq 22", "deny ip any any log"]}
    return dev


def make_network() -> Network:
    a = make_switch("SW-A", "WS-C2960X-48FPD-L", "15.2(7)E3", "10.254.0.1", "10.0.0.1/30", "SW-B")
    b = make_switch("SW-B", "WS-C3850-24T", "16.9.5", "10.254.0.2", "10.0.0.2/30", "SW-A")
    return Network(devices={a.name: a, b.name: b})


CLI = IosCli()


@pytest.fixture
def net() -> Network:
    return make_network()


def session(net: Network, name: str = "SW-A", mode: Mode = Mode.ENABLE) -> Ctx:
    return Ctx(net, net.devices[name], Session(mode=mode))


def run(ctx: Ctx, line: str) -> str:
    reply = CLI.execute(ctx, line)
    return reply.text


def conf(ctx: Ctx, *lines: str) -> None:
    run(ctx, "configure terminal")
    for line in lines:
        assert "%" not in run(ctx, line), line
    run(ctx, "end")


def parse(command: str, text: str) -> list[dict]:
    return parse_output(platform="cisco_ios", command=command, data=text.replace("\r\n", "\n"))


# --- prompts, modes, netmiko's session preparation -------------------------------------------


def test_netmiko_session_preparation_and_enable(net):
    ctx = session(net, mode=Mode.USER)
    assert CLI.prompt(ctx) == "SW-A>"
    assert run(ctx, "terminal width 511") == ""
    assert run(ctx, "terminal length 0") == "" and ctx.session.paging is False
    reply = CLI.execute(ctx, "enable")
    assert reply.question == "Password: "
    assert CLI.execute(ctx, "en-secret").text == ""
    assert CLI.prompt(ctx) == "SW-A#"
    assert (
        run(ctx, "configure terminal") == "Enter configuration commands, one per line.  End with CNTL/Z.\r\n"
    )
    assert CLI.prompt(ctx) == "SW-A(config)#"
    run(ctx, "interface Gi1/0/1")
    assert CLI.prompt(ctx) == "SW-A(config-if)#"
    run(ctx, "vlan 10")
    assert CLI.prompt(ctx) == "SW-A(config-vlan)#"
    run(ctx, "router ospf 1")
    assert CLI.prompt(ctx) == "SW-A(config-router)#"
    run(ctx, "ip access-list extended X")
    assert CLI.prompt(ctx) == "SW-A(config-ext-nacl)#"
    run(ctx, "exit")
    assert CLI.prompt(ctx) == "SW-A(config)#"
    run(ctx, "end")
    assert CLI.prompt(ctx) == "SW-A#"
    run(ctx, "disable")
    assert CLI.prompt(ctx) == "SW-A>"
    run(ctx, "exit")
    assert ctx.session.closed


def test_enable_wrong_secret(net):
    ctx = session(net, mode=Mode.USER)  # aaa new-model: one try, then "% Access denied"
    CLI.execute(ctx, "enable")
    assert CLI.execute(ctx, "nope").text == "% Access denied\r\n\r\n"
    assert ctx.session.mode is Mode.USER
    net.devices["SW-A"].secrets.aaa_servers.clear()  # local enable secret: three tries, "% Bad secrets"
    CLI.execute(ctx, "enable")
    assert CLI.execute(ctx, "a").question == "Password: "
    assert CLI.execute(ctx, "b").question == "Password: "
    assert CLI.execute(ctx, "c").text == "% Bad secrets\r\n\r\n"
    assert ctx.session.mode is Mode.USER


def test_errors_are_exact(net):
    ctx = session(net)
    assert run(ctx, "show foo") == "          ^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
    assert (
        run(ctx, "show clock now") == "                ^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
    )
    assert run(ctx, "show ip") == "% Incomplete command.\r\n\r\n"
    assert run(ctx, "show in") == '% Ambiguous command:  "show in"\r\n'
    assert run(ctx, "sh") == '% Type "show ?" for a list of subcommands\r\n'
    user = session(net, mode=Mode.USER)  # privileged-only commands are unknown in user EXEC
    assert (
        run(user, "show running-config") == "          ^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
    )
    assert run(user, "configure terminal").startswith("     ^\r\n% Invalid input")
    run(ctx, "conf t")
    assert run(ctx, "frobnicate") == " " * 13 + "^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
    assert run(ctx, "interface") == "% Incomplete command.\r\n\r\n"


def test_every_command_answers_and_abbreviations(net):
    ctx = session(net)
    for line in [
        "sh run", "sh start", "sh ver", "sh inv", "sh env all", "sh proc cpu", "sh proc cpu sorted",
        "sh ip ospf nei", "sh vlan br", "sh log", "sh ip int br", "sh int status", "sh clock",
        "sh ntp status", "sh mem stat", "sh proc mem sorted", "sh switch", "sh int",
    ]:  # fmt: skip
        text = run(ctx, line)
        assert text and not re.search(r"^% (Invalid|Incomplete|Ambiguous|Type)", text, re.M), line


# --- running config, secrets, model agreement -------------------------------------------------


def test_running_config_shape_and_byte_count(net):
    text = run(session(net), "show running-config")
    lines = text.split("\r\n")
    assert lines[:2] == ["Building configuration...", ""]
    count = int(re.match(r"Current configuration : (\d+) bytes", lines[2]).group(1))
    body = "\n".join(lines[3:]).rstrip("\n") + "\n"
    assert count == len(body.encode("utf-8"))
    assert lines[3] == "!" and lines[4].startswith("! Last configuration change at ")
    assert "version 15.2" in lines and "hostname SW-A" in lines and lines[-2] == "end"
    assert " description 图书馆-3F-201 教室" in lines
    assert " description <script>alert(1)</script> | `id` {: }" in lines
    assert " switchport trunk allowed vlan 10,20,30-32" in lines
    assert "vlan 10" in lines and " name Office" in lines
    assert " network 10.0.0.0 0.0.0.3 area 0" in lines and " router-id 10.254.0.1" in lines
    assert "snmp-server community campus-ro RO" in lines and "snmp-server community campus-rw RW" in lines
    assert "banner motd ^C" in lines
    assert "version 16.9" in run(session(net, "SW-B"), "show running-config")


def test_secrets_in_every_form(net):
    lines = run(session(net), "show running-config").split("\r\n")
    enable = next(line for line in lines if line.startswith("enable secret 9 $9$"))
    assert sec.verify("en-secret", enable.split()[-1])
    admin = next(line for line in lines if line.startswith("username admin privilege 15 secret 8 $8$"))
    assert sec.verify("Adm1n!pass", admin.split()[-1])
    old = next(line for line in lines if line.startswith("username old password 7 "))
    assert sec.type7_decode(old.split()[-1]) == "cisco"
    assert sec.type7_decode("0822455D0A16") == "cisco"  # the textbook example decodes with our key
    keys = {line.split()[0]: line.split()[-1] for line in lines if line.startswith(" key 7 ")}
    assert sec.type7_decode(keys["key"]) in ("tac-key", "rad-key")
    md5 = next(line for line in lines if line.startswith(" ip ospf message-digest-key 1 md5 7 "))
    assert sec.type7_decode(md5.split()[-1]) == "ospf-md5"
    ntp = next(line for line in lines if line.startswith("ntp authentication-key 1 md5 "))
    assert sec.type7_decode(ntp.split()[4]) == "ntp-key" and ntp.endswith(" 7")
    assert "en-secret" not in "\n".join(lines) and "Adm1n!pass" not in "\n".join(lines)
    # Deterministic like IOS: the same plain text prints the same string on every display.
    assert run(session(net), "show running-config").split("\r\n")[5:] == lines[5:]


def test_legacy_image_prints_type5(net):
    dev = net.devices["SW-A"]
    dev.software = "15.0(2)EX5"
    lines = run(session(net), "show running-config").split("\r\n")
    enable = next(line for line in lines if line.startswith("enable secret "))
    assert enable.startswith("enable secret 5 $1$") and sec.verify("en-secret", enable.split()[-1])
    assert sec.md5_crypt("password", "abcd") == "$1$abcd$ABOCfICGTWeBeG/njucVA1"  # = openssl passwd -1


def test_config_mode_changes_model_and_saved_differs(net):
    ctx = session(net)
    dev = net.devices["SW-A"]
    before = run(ctx, "show startup-config")
    conf(
        ctx,
        "vlan 40",
        "name Guest",
        "interface GigabitEthernet1/0/5",
        "description 新 教室  <b>",
        "switchport access vlan 40",
        "shutdown",
        "interface gi1/0/8",
        "switchport trunk allowed vlan add 40",
        "interface Te1/1/1",
        "ip ospf cost 55",
        "router ospf 1",
        "network 10.40.0.0 0.0.0.255 area 0",
        "ip access-list extended GUEST",
        "deny ip any 10.0.0.0 0.255.255.255",
        "no vlan 30",
    )
    assert dev.vlans[40].name == "Guest" and 30 not in dev.vlans
    running = run(ctx, "show running-config")
    assert " description 新 教室  <b>" in running and " name Guest" in running
    assert (
        "interface GigabitEthernet1/0/5\r\n description 新 教室  <b>\r\n switchport access vlan 40" in running
    )
    assert " switchport trunk allowed vlan 10,20,30-32,40" in running and " ip ospf cost 55" in running
    assert (
        " network 10.40.0.0 0.0.0.255 area 0" in running and " deny ip any 10.0.0.0 0.255.255.255" in running
    )
    assert "by netkb" in running.split("\r\n")[4]
    assert run(ctx, "show startup-config") == before  # not saved yet
    assert "Gi1/0/5" not in run(ctx, "show vlan brief").split("40   Guest")[0].split("20   Lab")[1]
    status = next(
        line for line in run(ctx, "show interfaces status").split("\r\n") if line.startswith("Gi1/0/5 ")
    )
    assert " disabled " in status and " 40 " in status
    brief = next(
        line
        for line in run(ctx, "show ip int brief").split("\r\n")
        if line.startswith("GigabitEthernet1/0/5")
    )
    assert "administratively down down" in brief
    assert "%SYS-5-CONFIG_I: Configured from console by netkb on vty0" in run(ctx, "show logging")
    reply = CLI.execute(ctx, "copy running-config startup-config")
    assert reply.question == "Destination filename [startup-config]? "
    assert CLI.execute(ctx, "").text == "Building configuration...\r\n[OK]\r\n"
    saved = run(ctx, "show startup-config")
    assert saved.split("\r\n")[0].startswith("Using ") and " name Guest" in saved
    conf(ctx, "hostname SW-NEW")
    assert CLI.prompt(ctx) == "SW-NEW#" and "hostname SW-A" in run(ctx, "show startup-config")
    assert run(ctx, "write memory") == "Building configuration...\r\n[OK]\r\n"
    assert "hostname SW-NEW" in run(ctx, "show startup-config")
    assert run(session(net, "SW-B"), "show ip ospf neighbor").count("FULL/") == 1  # link survives the rename


def test_do_and_submode_fallback(net):
    ctx = session(net)
    run(ctx, "configure terminal")
    run(ctx, "interface Gi1/0/2")
    assert re.match(r"\d\d:\d\d:\d\d\.\d{3} CST ", run(ctx, "do show clock"))
    assert run(ctx, "do show foo") == " " * (16 + 8) + "^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
    run(ctx, "vlan 77")  # a global command leaves the interface sub-mode
    assert CLI.prompt(ctx) == "SW-A(config-vlan)#" and 77 in net.devices["SW-A"].vlans
    run(ctx, "\x1a")
    assert ctx.session.mode is Mode.ENABLE


# --- displays agree with the model, faults show -------------------------------------------


def test_ospf_neighbors_follow_topology(net):
    ctx = session(net)
    rows = parse("show ip ospf neighbor", run(ctx, "show ip ospf neighbor"))
    assert [(r["neighbor_id"], r["ip_address"], r["interface"], r["state"]) for r in rows] == [
        ("10.254.0.2", "10.0.0.2", "TenGigabitEthernet1/1/1", "FULL/DR")
    ]
    net.broken_adjacencies.add(
        frozenset({("SW-A", "TenGigabitEthernet1/1/1"), ("SW-B", "TenGigabitEthernet1/1/1")})
    )
    assert run(ctx, "show ip ospf neighbor") == ""


def test_environment_faults(net):
    for name in ("SW-A", "SW-B"):
        dev = net.devices[name]
        dev.fans[0].status = "Fault"
        dev.power_supplies[0].status = "Fault"
        dev.faults.add(Fault.TEMPERATURE)
        text = run(session(net, name), "show environment all")
        assert "FAULTY" in text and ("Bad" in text)
        assert f"{dev.sensors[0].warning + 6} Degree Celsius" in text and "YELLOW" in text


def test_cpu_fault_and_reboot(net):
    dev = net.devices["SW-A"]
    dev.faults.add(Fault.CPU)
    rows = parse("show processes cpu", run(session(net), "show processes cpu sorted"))
    assert int(rows[0]["cpu_usage_5_sec"]) >= 90 and float(rows[0]["process_cpu_usage_5_sec"]) > 50
    dev.boot_time = dev.now() - 3 * 86400 - 7 * 3600 - 5 * 60
    version = parse("show version", run(session(net), "show version"))[0]
    assert (version["uptime_days"], version["uptime_hours"], version["uptime_minutes"]) == ("3", "7", "5")


def test_log_errors_and_chinese(net):
    dev = net.devices["SW-B"]
    dev.log("PLATFORM_ENV", 2, "FAN_FAIL", "Switch 1 FAN 1 failed")
    rows = parse("show logging", run(session(net, "SW-B"), "show logging"))
    assert (
        rows[-1]["facility"] == "PLATFORM_ENV"
        and rows[-1]["severity"] == "2"
        and rows[-1]["mnemonic"] == "FAN_FAIL"
    )


def test_stack_member_fault(net):
    dev = net.devices["SW-B"]
    dev.boards.append(Board(2, "WS-C3850-24T", status="Fault"))
    assert "Removed" in run(session(net, "SW-B"), "show switch")


# --- ntc-templates fidelity ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SW-A", "SW-B"])
def test_ntc_show_version(net, name):
    dev = net.devices[name]
    row = parse("show version", run(session(net, name), "show version"))[0]
    assert row["hostname"] == name and row["version"] == dev.software
    assert dev.model in row["hardware"] and dev.serial in row["serial"]
    assert row["config_register"] in ("0xF", "0x102")


def test_ntc_show_inventory(net):
    rows = parse("show inventory", run(session(net, "SW-B"), "show inventory"))
    assert rows[0]["pid"] == "WS-C3850-24T" and rows[0]["sn"] == "FCW2049C0LT"
    assert any(r["pid"] == "PWR-C1-350WAC" for r in rows)


def test_ntc_ip_interface_brief(net):
    rows = parse("show ip interface brief", run(session(net), "show ip interface brief"))
    table = {r["interface"]: r for r in rows}
    assert set(table) == {"Vlan10" if n.startswith("Vlan") else n for n in net.devices["SW-A"].interfaces}
    assert table["GigabitEthernet1/0/3"]["status"] == "administratively down"
    assert table["GigabitEthernet1/0/4"]["status"] == "down"
    assert table["TenGigabitEthernet1/1/1"]["ip_address"] == "10.0.0.1"


def test_ntc_vlan_brief(net):
    rows = parse("show vlan brief", run(session(net), "show vlan brief"))
    table = {r["vlan_id"]: r for r in rows}
    assert table["10"]["vlan_name"] == "Office"
    assert table["10"]["interfaces"] == ["Gi1/0/1", "Gi1/0/2", "Gi1/0/3", "Gi1/0/4"]
    assert table["30"]["interfaces"] == [] and "1005" in table


def test_ntc_interfaces_status(net):
    rows = parse("show interfaces status", run(session(net), "show interfaces status"))
    table = {r["port"]: r for r in rows}
    assert table["Gi1/0/3"]["status"] == "disabled" and table["Gi1/0/4"]["status"] == "notconnect"
    assert table["Gi1/0/8"]["vlan_id"] == "trunk" and table["Te1/1/1"]["vlan_id"] == "routed"
    assert table["Gi1/0/2"]["name"] == "<script>alert(1)</"  # IOS cuts the Name column at 18 bytes
    assert table["Gi1/0/1"]["name"] == "图书馆-3F-201"


def test_ntc_clock_and_cpu(net):
    row = parse("show clock", run(session(net), "show clock"))[0]
    assert row["timezone"] == "CST"
    rows = parse("show processes cpu", run(session(net), "show processes cpu"))
    assert len(rows) > 30 and rows[0]["process_name"] == "Chunk Manager"


def test_ntc_environment_templates(net):
    text = run(session(net, "SW-B"), "show environment all")
    temp_block = text[text.index("Switch 1: SYSTEM") : text.index("SW  PID")]
    rows = parse("show environment temperature", temp_block)
    assert rows[0]["inlet_temperature_state"] == "GREEN" and rows[0]["hotspot_red_threshold"] == "125"
    power = parse("show environment power all", text[text.index("SW  PID") :])
    assert [(r["ps_module"], r["status"]) for r in power] == [("1A", "OK"), ("1B", "")]


def test_ntc_processes_memory_sorted(net):
    rows = parse("show processes memory sorted", run(session(net, "SW-B"), "show processes memory sorted"))
    assert int(rows[0]["memory_total"]) > int(rows[0]["memory_used"]) > 0


@pytest.mark.xfail(
    strict=True,
    reason="template cisco_ios_show_processes_memory_sorted only knows the IOS-XE pools (Processor, "
    "lsmpi_io); real classic IOS 15.2 also prints 'I/O Pool' and 'Driver te Pool' lines, "
    "which hit '^. -> Error'",
)
def test_ntc_processes_memory_sorted_classic_ios(net):
    parse("show processes memory sorted", run(session(net, "SW-A"), "show processes memory sorted"))
