"""The `neighbours` checklist item: a neighbour lost since the previous run is abnormal, unless
its port has been shut since (closing a rogue router's port is not a fault) — but an uplink (an
inventory device) lost is abnormal even then. The `unknown_neighbours` item: a neighbour that is
no inventory device is abnormal; without the inventory's names the verdict is unknown."""

from __future__ import annotations

import datetime as dt

from netkb.inspection.checklist import evaluate, load_checklist
from netkb.inspection.checks import Observation, Thresholds

AT = dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
UPLINK = {
    "interface": "GigabitEthernet1/0/49",
    "neighbour": "agg-admin",
    "neighbour_interface": "GE1/0/2",
    "chassis_id": None,
}
ROGUE = {
    "interface": "GigabitEthernet1/0/17",
    "neighbour": "TL-WR842N",
    "neighbour_interface": "LAN1",
    "chassis_id": None,
}


INVENTORY = frozenset({"acc-admin-02", "agg-admin", "core-1"})


def _verdict(
    now: list[dict],
    before: list[dict] | None,
    shut: tuple[str, ...] = (),
    item: str = "neighbours",
    names: frozenset[str] | None = INVENTORY,
) -> tuple[str, str]:
    ports = [{"name": n, "admin": "down", "oper": "down", "description": ""} for n in shut]
    state = {"neighbours": now, "interfaces": ports}
    expect = {} if names is None else {"inventory_names": names}
    current = Observation("acc-admin-02", "comware", "access", "S5120", state, {}, [], [], AT, expect)
    previous = (
        None
        if before is None
        else Observation("acc-admin-02", "comware", "access", "S5120", {"neighbours": before}, {}, [], [], AT)
    )
    found = {f.item_id: f for f in evaluate(current, previous, load_checklist(), Thresholds())}
    return found[item].verdict, found[item].detail


def test_a_lost_uplink_is_abnormal_and_named() -> None:
    verdict, detail = _verdict([], [UPLINK])
    assert verdict == "abnormal" and "agg-admin (GigabitEthernet1/0/49)" in detail


def test_a_neighbour_gone_with_its_shut_port_is_normal() -> None:
    verdict, detail = _verdict([UPLINK], [UPLINK, ROGUE], shut=("GigabitEthernet1/0/17",))
    assert verdict == "normal" and "TL-WR842N" in detail


def test_a_first_run_and_an_unchanged_night_are_normal() -> None:
    assert _verdict([UPLINK], None)[0] == "normal"
    assert _verdict([UPLINK, ROGUE], [UPLINK, ROGUE])[0] == "normal"


def test_an_uplink_lost_is_abnormal_even_when_its_port_was_shut() -> None:
    verdict, detail = _verdict([], [UPLINK], shut=("GigabitEthernet1/0/49",))
    assert verdict == "abnormal"
    assert detail == "uplink lost since the previous run: agg-admin (GigabitEthernet1/0/49)"


def test_an_uplink_and_a_foreign_neighbour_lost_are_both_named() -> None:
    verdict, detail = _verdict([], [UPLINK, ROGUE])
    assert verdict == "abnormal"
    assert "uplink lost since the previous run: agg-admin (GigabitEthernet1/0/49)" in detail
    assert "lost since the previous run: TL-WR842N (GigabitEthernet1/0/17)" in detail


def test_a_rogue_router_is_an_unknown_neighbour_with_its_port_and_what_it_announced() -> None:
    verdict, detail = _verdict([UPLINK, ROGUE], [UPLINK], item="unknown_neighbours")
    assert verdict == "abnormal"
    assert detail == "TL-WR842N on GigabitEthernet1/0/17 (announced LAN1)"


def test_a_neighbour_announcing_no_name_is_unknown_by_its_chassis() -> None:
    quiet = {
        "interface": "GigabitEthernet1/0/5",
        "neighbour": None,
        "neighbour_interface": None,
        "chassis_id": "00e0-fc12-3456",
    }
    verdict, detail = _verdict([UPLINK, quiet], None, item="unknown_neighbours")
    assert verdict == "abnormal" and "GigabitEthernet1/0/5" in detail and "00e0-fc12-3456" in detail


def test_inventory_neighbours_are_known_by_name_or_domain_qualified_name() -> None:
    core = {**UPLINK, "neighbour": "Core-1.campus.edu.cn", "interface": "GigabitEthernet1/0/50"}
    verdict, detail = _verdict([UPLINK, core], None, item="unknown_neighbours")
    assert verdict == "normal" and detail == "2 LLDP neighbours, every one an inventory device"


def test_without_the_inventory_an_unknown_neighbour_is_never_called_normal() -> None:
    verdict, detail = _verdict([UPLINK, ROGUE], None, item="unknown_neighbours", names=None)
    assert verdict == "unknown" and "inventory" in detail


def test_neighbours_the_inventory_expects_are_not_unknown_but_a_rogue_still_is() -> None:
    phone = {
        **ROGUE,
        "interface": "GigabitEthernet1/0/5",
        "neighbour": "SEP9CAAEFA930D7",
        "neighbour_interface": "Port 1",
    }
    state = {"neighbours": [UPLINK, phone, ROGUE], "interfaces": []}
    expect = {"inventory_names": INVENTORY, "foreign_neighbours": ["sep*", "AP-*"]}
    current = Observation("acc-admin-02", "comware", "access", "S5120", state, {}, [], [], AT, expect)
    found = {f.item_id: f for f in evaluate(current, None, load_checklist(), Thresholds())}
    assert found["unknown_neighbours"].verdict == "abnormal"
    assert found["unknown_neighbours"].detail == "TL-WR842N on GigabitEthernet1/0/17 (announced LAN1)"
