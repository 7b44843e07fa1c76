"""VRP chassis fan tables print presence and registration but no health column: the speed is
the only sign a tray works, so a stopped fan must never read normal (a real S7706 table, edited)."""

from __future__ import annotations

from pathlib import Path

from netkb.collector.parsers import get_parser

S7706 = Path(__file__).parents[1] / "real" / "vrp" / "display_fan" / "netinspect_s7706_chassis.txt"


def test_spinning_registered_trays_are_normal() -> None:
    fans = get_parser("vrp.fans")(S7706.read_text(encoding="utf-8"))
    assert [(f["id"], f["status"]) for f in fans] == [("FAN1", "normal"), ("FAN2", "normal")]


def test_a_stopped_fan_fails_its_tray() -> None:
    original = S7706.read_text(encoding="utf-8")
    head, _, tail = original.rpartition("2250")  # the last fan of FAN2
    text = head + "0" + tail
    fans = get_parser("vrp.fans")(text)
    assert [(f["id"], f["status"]) for f in fans] == [("FAN1", "normal"), ("FAN2", "fault")]
    text = S7706.read_text(encoding="utf-8").replace("60% (2265)", "0% (0)   ")
    assert get_parser("vrp.fans")(text)[1]["status"] == "fault"


def test_no_speed_column_leaves_it_unknown() -> None:
    text = "FanID   FanNum   Online   Register\nFAN1    [1-2]    Present  Registered\n"
    assert get_parser("vrp.fans")(text)[0]["status"] == "unknown"
