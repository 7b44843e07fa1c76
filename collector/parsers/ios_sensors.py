"""Cisco IOS / IOS-XE `show environment all`: the health words IOS prints, and the rows of a
router's sensor table (`Sensor  Location  State  Reading`), shared by the fan, supply and
temperature parsers."""

from __future__ import annotations

import re
from typing import TypedDict

from netkb.collector.parsers.common import health

# Device words for a component's health that the shared vocabulary (common.health) does not
# know, as IOS prints them. A system fan `NOT PRESENT or FAULTY` is a fan the switch needs and
# does not have running (a 9300 needs all its fans): a fault. A supply slot `Not Present` is empty.
_IOS_WORDS = {
    "not present or faulty": "fault",
    "not present": "absent",
    "not installed": "absent",
    "warning": "fault",
    "critical": "fault",
    "shutdown": "fault",
    "fail": "fault",
    "bad-input": "fault",
    "not responding": "fault",
    "not functioning": "fault",
    "on": "normal",
    "available": "normal",
    "normal": "normal",
}


def ios_health(raw: str) -> str:
    word = re.sub(r"\s+", " ", raw.strip().lower())
    return _IOS_WORDS.get(word) or health(word)


def status_row(ident: str, raw: str) -> dict[str, str]:
    raw = re.sub(r"\s+", " ", raw.strip())
    return {"id": ident, "status": ios_health(raw), "raw_status": raw}


# --- fans ------------------------------------------------------------------------------------

# --- router sensor tables --------------------------------------------------------------------

_STATE_WORDS = (
    r"Normal|Warning|Critical|Minor|Major|Shutdown|Fail\w*|Fault\w*|Not Present|Fan Speed \d+%|Good|Bad"
)
# `Temp: Inlet  F0  Normal  37 Celsius` (Sensor Location State Reading) and
# ` R0  Temp: Inlet_A  Normal  30  Celsius\t(45 ,55 ,65 ,70 )(Celsius)` (Slot Sensor State Reading Threshold).
_SENSOR_LOCATION_ROW = re.compile(
    rf"^\s*(?P<sensor>\S.*?)\s+(?P<slot>[A-Z]?\d+(?:/\d+)?)\s+(?P<state>{_STATE_WORDS})\s+(?P<reading>-?\d+)\s*(?P<unit>\S+)"
    r"(?:\s*\((?P<limits>[^)]*)\)\s*\(Celsius\))?"
)
_SLOT_SENSOR_ROW = re.compile(
    rf"^\s*(?P<slot>[A-Z]{{1,2}}\d+(?:/\d+)?)\s+(?P<sensor>\S.*?)\s+(?P<state>{_STATE_WORDS})\s+(?P<reading>-?\d+)\s*(?P<unit>\S+)"
    r"(?:\s*\((?P<limits>[^)]*)\)\s*\(Celsius\))?"
)


class Sensor(TypedDict):
    slot: str
    sensor: str
    state: str
    celsius: float | None
    limits: list[float | None]


def sensor_row(line: str) -> Sensor | None:
    m = _SLOT_SENSOR_ROW.match(line) or _SENSOR_LOCATION_ROW.match(line)
    if m is None:
        return None
    limits: list[float | None] = []
    if m.groupdict().get("limits"):
        limits = [float(x) if re.fullmatch(r"-?\d+", x.strip()) else None for x in m["limits"].split(",")]
        limits += [None] * (4 - len(limits))
    return {
        "slot": m["slot"],
        "sensor": re.sub(r"\s+", " ", m["sensor"].strip()),
        "state": m["state"],
        "celsius": float(m["reading"]) if m["unit"].startswith("Celsius") else None,
        "limits": limits,
    }
