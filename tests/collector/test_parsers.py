"""Parsers against stored outputs: real devices (see fixtures/parsers/SOURCES.md) and lab renders.

Each case is fixtures/parsers/<platform>/<parser>/<case>/input.txt with the expected.json
the parser must return (napalm's mocked-data layout): adding a case is adding a folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from netkb.collector.parsers import ParseError, get_parser
from netkb.collector.parsers.comware_net import full_interface_name
from netkb.spec import PLATFORMS, load_spec

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"
CASES = sorted(FIXTURES.glob("*/*/*/input.txt"))


def _spec_parsers() -> list[str]:
    names = set()
    for platform in PLATFORMS:
        for command in load_spec(platform).commands:
            names.update(p for p in [*command.state.values(), *command.measure.values(), command.log] if p)
    return sorted(names)


@pytest.mark.parametrize("case", CASES, ids=lambda p: "/".join(p.parts[-4:-1]))
def test_fixture(case: Path) -> None:
    platform, parser, _ = case.parts[-4:-1]
    expected = json.loads((case.parent / "expected.json").read_text(encoding="utf-8"))
    assert get_parser(f"{platform}.{parser}")(case.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("name", _spec_parsers())
def test_every_spec_parser_has_a_fixture(name: str) -> None:
    platform, parser = name.split(".")
    assert list((FIXTURES / platform / parser).glob("*/input.txt")), f"no fixture for {name}"


@pytest.mark.parametrize("name", _spec_parsers())
@pytest.mark.parametrize(
    "text",
    [
        "% Unrecognized command found at '^' position.",
        "Error: Unrecognized command found at '^' position.",
        "garbage\nlines\n",
    ],
)
def test_unexpected_output_raises(name: str, text: str) -> None:
    if name.endswith(".ospf_peers"):
        pytest.skip("empty output is a valid 'no OSPF process'; non-empty garbage is checked below")
    with pytest.raises(ParseError):
        get_parser(name)(text)


@pytest.mark.parametrize("name", ["comware.ospf_peers", "vrp.ospf_peers", "ios.ospf_peers"])
def test_ospf_without_process_is_empty_but_garbage_raises(name: str) -> None:
    assert get_parser(name)("\n") == []
    with pytest.raises(ParseError):
        get_parser(name)("% Unrecognized command found at '^' position.")


def test_crlf_output_parses_like_lf() -> None:
    text = (FIXTURES / "comware/interfaces/cw7_release_9119P17_adm/input.txt").read_text(encoding="utf-8")
    parse = get_parser("comware.interfaces")
    assert parse(text.replace("\n", "\r\n")) == parse(text)


def test_get_parser_rejects_unknown_names() -> None:
    for name in ("comware.nothing", "junos.version", "comware", "comware._units"):
        with pytest.raises(LookupError):
            get_parser(name)


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("GE1/0/1", "GigabitEthernet1/0/1"),
        ("XGE1/2/0/1", "Ten-GigabitEthernet1/2/0/1"),
        ("Vlan10", "Vlan-interface10"),
        ("MGE0/0/0", "M-GigabitEthernet0/0/0"),
        ("Loop0", "LoopBack0"),
        ("InLoop0", "InLoopBack0"),
        ("BAGG1", "Bridge-Aggregation1"),
        ("NULL0", "NULL0"),
    ],
)
def test_comware_interface_names_are_expanded(short: str, full: str) -> None:
    assert full_interface_name(short) == full


def test_comware_ospf_states_with_a_space() -> None:
    text = (
        "\n\t OSPF Process 1 with Router ID 1.1.1.1\n\t\t Neighbor Brief Information\n\n Area: 0.0.0.1\n"
        " Router ID       Address         Pri Dead-Time  State             Interface\n"
        " 2.2.2.2         10.0.0.2        0   33         Full/ -           GE1/0/1\n"
    )
    [peer] = get_parser("comware.ospf_peers")(text)
    assert peer == {
        "router_id": "2.2.2.2",
        "address": "10.0.0.2",
        "interface": "GigabitEthernet1/0/1",
        "state": "Full/-",
        "area": "0.0.0.1",
    }


def test_comware5_ospf_column_order() -> None:
    text = (
        " Area: 0.0.0.0\n Router ID       Address         Pri Dead-Time Interface       State\n"
        " 2.2.2.2         10.0.0.2        1   37        Vlan20          Full/BDR\n"
    )
    [peer] = get_parser("comware.ospf_peers")(text)
    assert (peer["interface"], peer["state"]) == ("Vlan-interface20", "Full/BDR")


# --- why ntc-templates is not used for some topics -------------------------------------


def _read(relative: str) -> str:
    return (FIXTURES / relative / "input.txt").read_text(encoding="utf-8")


def test_ntc_comware_vlan_brief_cuts_names() -> None:
    text = _read("comware/vlans/lab_cw5_box")
    ntc_names = [
        row["vlan_name"]
        for row in parse_output(platform="hp_comware", command="display vlan brief", data=text)
    ]
    assert "VLAN 0001" not in ntc_names and "VLAN" in ntc_names  # \w+ stops at the space and the dash
    assert {v["name"] for v in get_parser("comware.vlans")(text)} >= {"VLAN 0001", "admin-1"}


def test_ntc_vrp_display_vlan_fails_on_s_series_layout() -> None:
    with pytest.raises(Exception, match="State Error"):
        parse_output(platform="huawei_vrp", command="display vlan", data=_read("vrp/vlans/lab_s5700"))


def test_ntc_vrp_ntp_fails_on_trailing_blanks() -> None:
    with pytest.raises(Exception, match="State Error"):
        parse_output(
            platform="huawei_vrp", command="display ntp-service status", data=_read("vrp/ntp/lab_s5700")
        )


def test_ntc_vrp_temperature_is_another_command_layout() -> None:
    with pytest.raises(Exception, match="State Error"):
        parse_output(
            platform="huawei_vrp", command="display temperature all", data=_read("vrp/temperature/lab_s5700")
        )


def test_ios_industrial_supply_tables_read_failures() -> None:
    """IE3x00 `Pwr Supply` tables (real all-OK shapes in tests/real/ios/show_environment_all/genie_ie3k_*):
    a supply whose status is not OK, or whose Sys Pwr is Bad, reads as a fault, never as normal."""
    power = get_parser("ios.power")
    typed = (
        "Pwr Supply         Type     Status     Voltage\n\n"
        "POWER SUPPLY-A      DC      OK      24V\n\n"
        "POWER SUPPLY-B      DC      FAULTY      0V\n"
    )
    assert [r["status"] for r in power(typed)] == ["normal", "fault"]
    with_pid = (
        "  Pwr Supply          PID           Serial#          Status         Sys Pwr        Watts\n"
        "Switch:1\n"
        "POWER SUPPLY-1  PWR-RGD-AC-DC-250   DTH255202J5     OK               Bad              250\n"
        "POWER SUPPLY-2     Not Present\n"
    )
    assert [(r["id"], r["status"]) for r in power(with_pid)] == [
        ("1/POWER SUPPLY-1", "fault"),
        ("1/POWER SUPPLY-2", "absent"),
    ]


def test_vrp_temperature_status_word_judges_a_sensor_under_its_limit() -> None:
    """A VRP sensor whose Status column says Abnormal is a fault even below its upper limit
    (before, only the reading was kept and such a sensor read as normal)."""
    temperature = get_parser("vrp.temperature")
    s_series = (
        " Slot  Card  Sensor Status    Current(C) Lower(C) Lower     Upper(C) Upper\n"
        "                                                  Resume(C)          Resume(C)\n"
        " 0     NA    NA     Abnormal   40        0        4         75       71\n"
    )
    assert [(r["status"], r["raw_status"]) for r in temperature(s_series)] == [("fault", "Abnormal")]
    # CloudEngine layout (real all-NORMAL shape: tests/real/vrp/display_temperature_all/napalm_ce6850_*).
    ce = (
        "Slot    Card    SensorName    Status         Major        Fatal        Current\n"
        "                                           (Celsius)    (Celsius)     (Celsius)\n"
        "1       --      CPU           ABNORMAL        95          100            45\n"
        "        --      LSW           NORMAL         110          110            --\n"
        "        --      Intake-1      MAJOR           63           --            64\n"
    )
    rows = temperature(ce)
    assert [(r["slot"], r["sensor"], r["status"], r["celsius"], r["alarm"]) for r in rows] == [
        ("1", "CPU", "fault", 45.0, 95.0),
        ("1", "LSW", "normal", None, 110.0),
        ("1", "Intake-1", "fault", 64.0, 63.0),
    ]


def test_ios_fan_tray_and_supply_fan_states_are_judged() -> None:
    """Catalyst 9400/9500/9600 tables print a tray's (or supply's) status and then each fan's state:
    a tray `ok` with a `bad` fan is a fault; `Switch:N` marks which member a row belongs to."""
    text = (
        "Switch:1\n\n"
        "Power                                                    Fan States\n"
        "Supply  Model No              Type  Capacity  Status     0     1\n"
        "------  --------------------  ----  --------  ---------  -----------\n"
        "PS0     C9K-PWR-1600WAC-R     AC    1600 W    ok         bad   N/A  \n"
        "PS1     Not Present           N/A   N/A       N/A        N/A   N/A  \n\n"
        "Fan                 Fan States\n"
        "Tray    Status      0     1     2     3\n"
        "------  ----------  -----------------------\n"
        "FM0     ok          good  good  N/A   N/A  \n"
        "FM1     ok          good  bad   N/A   N/A  \n"
    )
    assert [(r["id"], r["status"]) for r in get_parser("ios.power")(text)] == [
        ("1/PS0", "fault"),
        ("1/PS1", "absent"),
    ]
    assert [(r["id"], r["status"]) for r in get_parser("ios.fans")(text)] == [
        ("1/FM0", "normal"),
        ("1/FM1", "fault"),
    ]


def test_comware_chassis_fan_tray_blocks_are_read() -> None:
    """Chassis name their fans by tray (`Fan-tray 1:` then `Status : ...`, `Fan Frame 2 State: ...`,
    under `Chassis N:` in an IRF of chassis); a faulty tray is a fault, not a parse failure."""
    fans = get_parser("comware.fans")
    trays = "Fan-tray 1:\n Status    : Normal\n Fan Mode  : Auto\nFan-tray 2:\n Status    : Fault\n"
    assert [(r["id"], r["status"]) for r in fans(trays)] == [("1", "normal"), ("2", "fault")]
    frames = " Fan Frame 1 State: Normal\n Fan Frame 2 State: Absent\n"
    assert [(r["id"], r["status"]) for r in fans(frames)] == [("1", "normal"), ("2", "absent")]
    irf = "Chassis 1:\n Fan-tray 1:\n  Status : Fault\n"
    assert [(r["id"], r["status"]) for r in fans(irf)] == [("1/1", "fault")]


def test_comware5_wlan_ap_table_without_apid() -> None:
    """Comware 5 WX controllers print `AP Name State Model Serial-ID` (no APID column): an AP not
    in Run is offline, never dropped."""
    text = (
        "--------------------------------------------------------------------------------\n"
        " AP Name                          State Model            Serial-ID\n"
        "--------------------------------------------------------------------------------\n"
        " ap1                              R/M   WA2620E-AGN      210235A42MB09A000014\n"
        " ap2                              I     WA2620E-AGN      210235A42MB09A000015\n"
        "--------------------------------------------------------------------------------\n"
    )
    assert [(r["name"], r["state"]) for r in get_parser("comware.aps")(text)] == [
        ("ap1", "online"),
        ("ap2", "offline"),
    ]


def test_comware_vlan_brief_rows_indented_by_a_space_are_read() -> None:
    """A table indented by one space must not read as continuation lines (zero VLANs)."""
    text = (
        " VLAN ID   Name                             Port\n"
        " 1         VLAN 0001                        GE1/0/1  GE1/0/2\n"
        "                                            GE1/0/3\n"
        " 10        办公网                           GE1/0/4\n"
    )
    assert [(r["id"], r["name"]) for r in get_parser("comware.vlans")(text)] == [
        (1, "VLAN 0001"),
        (10, "办公网"),
    ]


def test_comware5_slot_temperature_table() -> None:
    """Comware 5 boxes print one reading per slot with its lower and upper limit (upper = warning)."""
    text = (
        " System temperature information (degree centigrade):\n"
        " ----------------------------------------------------\n"
        " SlotNo  Temperature  Lower limit  Upper limit\n"
        " 1       35           0            60\n"
        " 2       65           0            60\n"
    )
    rows = get_parser("comware.temperature")(text)
    assert [(r["slot"], r["celsius"], r["warning"]) for r in rows] == [("1", 35.0, 60.0), ("2", 65.0, 60.0)]


def test_vrp_log_entry_without_percent_marks_is_its_own_entry() -> None:
    """Some VRP modules print no `%%01` (`DS/4/DATASYNC_CFGCHANGE:OID ...`, as eNSP session notes show);
    such a line starts an entry instead of being glued to the one before."""
    text = (
        "Logging buffer configuration and contents : enabled\n"
        "Current messages : 2\n\n"
        "Apr 10 2024 10:00:01+08:00 SW1 %%01FAN/4/FAN_STATE_ABNORMAL(l)[1]:The fan is abnormal.\n"
        "Nov 30 2019 16:23:55-08:00 SW1 DS/4/DATASYNC_CFGCHANGE:OID 1.3.6.1.4.1.2011.5.25.191.3.1 "
        "configurations have been changed.\n"
    )
    entries = get_parser("vrp.logbuffer")(text)
    assert sorted(e["mnemonic"] for e in entries) == ["DATASYNC_CFGCHANGE", "FAN_STATE_ABNORMAL"]


def test_ios_vlan_whose_long_name_wrapped_its_row_is_kept() -> None:
    """A VLAN name longer than the 32-character column pushes the status onto the next line; the
    VLAN must not vanish (a suspended one would leave only active VLANs)."""
    text = (
        "VLAN Name                             Status    Ports\n"
        "---- -------------------------------- --------- -------------------------------\n"
        "1    default                          active    Gi1/0/23, Gi1/0/25\n"
        "1007 another-very-long-vlan-name-over-32-chars\n"
        "                                      suspended\n"
        "1008 VLAN1008                         active    \n"
    )
    rows = get_parser("ios.vlans")(text)
    assert [(r["id"], r["status"]) for r in rows] == [(1, "active"), (1007, "suspended"), (1008, "active")]


def test_ios_ospf_neighbour_down_without_dead_time_is_kept() -> None:
    """An NBMA neighbour that is down prints `-` as its Dead Time; it must not vanish."""
    text = (
        "Neighbor ID     Pri   State           Dead Time   Address         Interface\n"
        "10.0.0.2          1   FULL/DR         00:00:35    10.1.1.2        GigabitEthernet0/1\n"
        "192.168.1.2       0   DOWN/  -           -        192.168.1.2     Serial0/0\n"
    )
    rows = get_parser("ios.ospf_peers")(text)
    assert [(r["router_id"], r["state"]) for r in rows] == [
        ("10.0.0.2", "FULL/DR"),
        ("192.168.1.2", "DOWN/-"),
    ]


def test_comware_ospf_neighbour_with_a_dash_dead_time_is_kept() -> None:
    text = (
        " Area: 0.0.0.0\n"
        " Router ID       Address         Pri Dead-Time  State             Interface\n"
        " 2.2.2.2         10.1.1.2        1   37         Full/BDR          GE1/0/1\n"
        " 3.3.3.3         10.1.2.2        0   --         Down/ -           GE1/0/2\n"
    )
    rows = get_parser("comware.ospf_peers")(text)
    assert [(r["router_id"], r["state"]) for r in rows] == [("2.2.2.2", "Full/BDR"), ("3.3.3.3", "Down/-")]
