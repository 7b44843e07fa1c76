"""The `neighbours` checklist item: a neighbour lost since the previous run is abnormal, unless
its port has been shut since (closing a rogue router's port is not a fault)."""

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


def _verdict(now: list[dict], before: list[dict] | None, shut: tuple[str, ...] = ()) -> tuple[str, str]:
    ports = [{"name": n, "admin": "down", "oper": "down", "description": ""} for n in shut]
    state = {"neighbours": now, "interfaces": ports}
    current = Observation("acc-admin-02", "comware", "access", "S5120", state, {}, [], [], AT)
    previous = (
        None
        if before is None
        else Observation("acc-admin-02", "comware", "access", "S5120", {"neighbours": before}, {}, [], [], AT)
    )
    found = {f.item_id: f for f in evaluate(current, previous, load_checklist(), Thresholds())}
    return found["neighbours"].verdict, found["neighbours"].detail


def test_a_lost_uplink_is_abnormal_and_named() -> None:
    verdict, detail = _verdict([], [UPLINK])
    assert verdict == "abnormal" and "agg-admin (GigabitEthernet1/0/49)" in detail


def test_a_neighbour_gone_with_its_shut_port_is_normal() -> None:
    verdict, detail = _verdict([UPLINK], [UPLINK, ROGUE], shut=("GigabitEthernet1/0/17",))
    assert verdict == "normal" and "TL-WR842N" in detail


def test_a_first_run_and_an_unchanged_night_are_normal() -> None:
    assert _verdict([UPLINK], None)[0] == "normal"
    assert _verdict([UPLINK, ROGUE], [UPLINK, ROGUE])[0] == "normal"
