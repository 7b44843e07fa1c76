"""First runs that cannot be judged from the output alone, the log rule table, local NTP clocks.

An IRF split shows each half as a healthy one-member stack; an OSPF router that lost every
neighbour prints the same empty table as one without OSPF. Without a previous run these must
read unknown, or be judged against the inventory's `expect` and the device's own config.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from netkb.collector.expectations import config_facts, merged
from netkb.inspection.checklist import evaluate, load_checklist
from netkb.inspection.checks import Observation, Thresholds
from netkb.inspection.logrules import LogRule
from netkb.inventory import ConfigFileError, Inventory, validate
from tests.collector.test_inspection import AT, healthy

CHECKLIST = load_checklist()
CONFIGS = Path(__file__).parent / "fixtures" / "configs"


def _verdict(
    obs: Observation, item: str, previous: Observation | None = None, **limits: Any
) -> tuple[str, str]:
    found = {f.item_id: f for f in evaluate(obs, previous, CHECKLIST, Thresholds(**limits))}
    return found[item].verdict.value, found[item].detail


def _with(obs: Observation, **changes: Any) -> Observation:
    return dataclasses.replace(obs, **changes)


ONE_MEMBER = [{"member": 1, "role": "Master", "priority": 1, "mac": "a"}]


def test_a_single_irf_member_on_a_first_run_is_unknown_not_normal() -> None:
    obs = healthy()
    obs.state["irf"] = ONE_MEMBER
    verdict, detail = _verdict(obs, "irf")
    assert verdict == "unknown" and "split" in detail and "expect.irf_members" in detail


@pytest.mark.parametrize(
    ("expect", "verdict", "words"),
    [
        ({"irf_members": 2}, "abnormal", "1 of 2 expected members"),
        ({"irf_configured_members": [1, 2]}, "abnormal", "member 2 configured but not in the stack"),
        ({"irf_configured_members": [1], "irf_ports_bound": True}, "abnormal", "binds IRF ports"),
        ({"irf_configured_members": [1], "irf_ports_bound": False}, "normal", "1 members"),
        ({"irf_members": 1}, "normal", "1 members"),
    ],
)
def test_a_single_irf_member_against_expectations(expect: dict[str, Any], verdict: str, words: str) -> None:
    obs = _with(healthy(), expect=expect)
    obs.state["irf"] = ONE_MEMBER
    got, detail = _verdict(obs, "irf")
    assert (got, words in detail) == (verdict, True), detail


def test_a_single_irf_member_that_was_single_before_is_normal() -> None:
    obs, before = healthy(), healthy()
    obs.state["irf"] = before.state["irf"] = ONE_MEMBER
    assert _verdict(obs, "irf", before)[0] == "normal"


@pytest.mark.parametrize(
    ("expect", "verdict"),
    [
        ({}, "unknown"),  # the config was not read
        ({"ospf_configured": True}, "unknown"),  # runs OSPF, lists no neighbour, nothing to compare
        ({"ospf_configured": False}, "normal"),  # no OSPF process at all
        ({"ospf_configured": True, "ospf_neighbours": 3}, "abnormal"),
        ({"ospf_neighbours": 0}, "normal"),
    ],
)
def test_an_empty_ospf_table_on_a_first_run(expect: dict[str, Any], verdict: str) -> None:
    obs = _with(healthy(), expect=expect)
    obs.state["ospf"] = []
    assert _verdict(obs, "ospf")[0] == verdict


def test_fewer_ospf_neighbours_than_expected_is_abnormal() -> None:
    obs = _with(healthy(), expect={"ospf_neighbours": 4})
    verdict, detail = _verdict(obs, "ospf")
    assert verdict == "abnormal" and "3 of 4 expected" in detail


def test_bare_two_way_is_settled() -> None:
    obs = healthy("vrp")
    obs.state["ospf"] = [
        {
            "router_id": "1.1.1.1",
            "address": "10.0.0.1",
            "interface": "Vlanif10",
            "state": "2-Way",
            "area": "0.0.0.0",
        }
    ]
    assert _verdict(obs, "ospf")[0] == "normal"
    obs.state["ospf"][0]["state"] = "ExStart"
    assert _verdict(obs, "ospf")[0] == "abnormal"


@pytest.mark.parametrize("server", ["127.127.1.0", "127.127.1.1", "LOCAL(0)", ".LOCL.", "LOCL"])
def test_ntp_on_its_own_local_clock_is_abnormal(server: str) -> None:
    obs = healthy()
    obs.measures["ntp"] = {"synchronized": True, "server": server, "stratum": 1}
    verdict, detail = _verdict(obs, "ntp")
    assert verdict == "abnormal" and "local clock" in detail


# --- the config states what is expected ----------------------------------------------------


def test_config_facts_of_real_configs() -> None:
    cw7 = config_facts("comware", (CONFIGS / "comware" / "hp5930_cw7_demo.txt").read_text(encoding="utf-8"))
    assert cw7["irf_configured_members"] == [1]
    cw5 = config_facts("comware", (CONFIGS / "comware" / "hp5500ei_cw5_imc.txt").read_text(encoding="utf-8"))
    assert cw5["irf_configured_members"] == [1]
    assert config_facts("comware", "") == {}


def test_config_facts_of_an_irf_pair_and_ospf() -> None:
    config = (
        "#\n irf member 1 priority 32\n irf member 2 priority 1\n#\nirf-port 1/2\n"
        " port group interface Ten-GigabitEthernet1/0/50\n#\n"
        "ospf 1 router-id 10.0.0.1\n area 0.0.0.0\n#\nreturn\n"
    )
    facts = config_facts("comware", config)
    assert facts == {"ospf_configured": True, "irf_configured_members": [1, 2], "irf_ports_bound": True}
    assert config_facts("ios", "hostname a\nrouter ospf 1\n network 10.0.0.0 0.0.0.255 area 0\n")[
        "ospf_configured"
    ]
    assert not config_facts("vrp", "sysname a\nvlan batch 10\nreturn\n")["ospf_configured"]
    assert merged({"ospf_configured": True}, {"ospf_neighbours": 2}) == {
        "ospf_configured": True,
        "ospf_neighbours": 2,
    }


def test_inventory_expectations_per_group_and_device(tmp_path: Path) -> None:
    data = {
        "groups": {"core-pair": {"expect": {"irf_members": 2, "ospf_neighbours": 2}}},
        "devices": [
            {"name": "core-1", "host": "10.0.0.1", "platform": "comware", "groups": ["core-pair"]},
            {
                "name": "core-2",
                "host": "10.0.0.2",
                "platform": "comware",
                "groups": ["core-pair"],
                "expect": {"ospf_neighbours": 4},
            },
        ],
    }
    inv = validate(Inventory, data, tmp_path / "inventory.yml")
    names = frozenset({"core-1", "core-2"})  # who may answer LLDP (checks_topology.py)
    assert inv.expected(inv.devices[0]) == {"irf_members": 2, "ospf_neighbours": 2, "inventory_names": names}
    assert inv.expected(inv.devices[1]) == {"irf_members": 2, "ospf_neighbours": 4, "inventory_names": names}
    data["devices"][0]["expect"] = {"irf_member": 2}
    with pytest.raises(ConfigFileError, match=r"devices\[0\]\.expect\.irf_member: unknown key"):
        validate(Inventory, data, tmp_path / "inventory.yml")


# --- the log rule table --------------------------------------------------------------------


def _logs(role: str, *entries: tuple[str, str, int, str]) -> Observation:
    obs = healthy(role=role)
    obs.new_logs.extend(
        {"time": "Nov 26 10:00:00 2026", "module": m, "mnemonic": n, "severity": s, "text": t}
        for m, n, s, t in entries
    )
    return obs


LINK_DOWN = (
    "IFNET",
    "PHY_UPDOWN",
    3,
    "Physical state on the interface GigabitEthernet1/0/7 changed to down.",
)
IOS_LINK = ("LINK", "UPDOWN", 3, "Interface GigabitEthernet1/0/9, changed state to down")


def test_port_up_down_on_access_switches_is_counted_not_abnormal() -> None:
    verdict, detail = _verdict(_logs("access", LINK_DOWN, IOS_LINK), "logs")
    assert verdict == "normal" and "2 link-up-down counted" in detail
    assert _verdict(_logs("core", LINK_DOWN), "logs")[0] == "abnormal"


def test_a_loop_sign_is_abnormal_even_as_a_warning() -> None:
    flap = ("MAC", "MAC_FLAPPING", 4, "MAC 0011-2233-4455 flapped between GE1/0/1 and GE1/0/2")
    verdict, detail = _verdict(_logs("access", flap), "logs")
    assert verdict == "abnormal" and "[mac-flapping]" in detail


def test_the_teams_own_rule_by_interface_class_comes_first() -> None:
    edge = LogRule(
        name="edge-ports", match="UPDOWN", interface=r"^GigabitEthernet1/0/(?:[1-9]|[1-3]\d)$", action="count"
    )
    obs = _logs("aggregation", LINK_DOWN)
    assert _verdict(obs, "logs", log_rules=(edge,))[0] == "normal"
    uplink = (
        "IFNET",
        "PHY_UPDOWN",
        3,
        "Physical state on the interface Ten-GigabitEthernet1/0/49 changed to down.",
    )
    assert _verdict(_logs("aggregation", uplink), "logs", log_rules=(edge,))[0] == "abnormal"


def test_a_bad_rule_in_the_settings_is_a_clear_error(tmp_path: Path) -> None:
    from netkb.settings import load_settings

    settings = tmp_path / "netkb.yml"
    settings.write_text(
        "thresholds:\n  log_rules:\n    - {name: x, match: '(', action: count}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigFileError, match=r"thresholds\.log_rules\[0\]\.match: .*bad regular expression"):
        load_settings(settings)
    assert AT  # the shared timestamp of the hand-built observations


# --- a temperature judged by the device's own word (no limit printed) ----------------------


@pytest.mark.parametrize(
    ("status", "raw", "celsius", "verdict"),
    [
        ("normal", "OK", None, "normal"),  # 2960: `TEMPERATURE is OK`
        ("fault", "FAULTY", None, "abnormal"),
        ("fault", "RED", 41.0, "abnormal"),  # a word worse than the reading says
        ("unknown", "Unknown", None, "unknown"),
    ],
)
def test_temperature_by_the_devices_word(status: str, raw: str, celsius: float | None, verdict: str) -> None:
    obs = healthy("ios")
    obs.measures["temperature"] = [
        {
            "slot": "1",
            "sensor": "system",
            "celsius": celsius,
            "warning": None,
            "alarm": None,
            "status": status,
            "raw_status": raw,
        }
    ]
    assert _verdict(obs, "temperature")[0] == verdict
