"""Cisco IOS / IOS-XE `show environment all`: temperature sensors, in every family's shape
(the shapes are listed in ios_env.py)."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.ios_sensors import ios_health, sensor_row

# --- temperature -----------------------------------------------------------------------------

_TEMPERATURE_VALUE = re.compile(
    r"^(?:Switch \d+: )?(?P<sensor>.*?)[ \t]*Temperature Value:\s*(?P<c>-?\d+)\s*(?:Degree|C\b)"
)
# IE3x00/IE9300: `Switch 1 - Inlet Temp Sensor 46 C` (then `Temperature State:` and thresholds).
_TEMP_SENSOR_VALUE = re.compile(r"^Switch (?P<switch>\d+) - (?P<sensor>.+?) Temp Sensor\s+(?P<c>-?\d+)\s*C$")
# `Yellow Threshold : 46 Degree Celsius`; IE: `Minor Threshold : 80 C (Yellow)`,
# `Major Threshold : 90 C (Red)`, `Critical Threshold : 96 C`.
_THRESHOLD = re.compile(r"^(?P<kind>Yellow|Red|Minor|Major|Critical) Threshold\s*:\s*(?P<c>-?\d+)")
_THRESHOLD_KEY = {"Yellow": "warning", "Minor": "warning", "Red": "alarm", "Major": "alarm"}
_SYSTEM_TEMPERATURE = re.compile(
    r"^(?:Switch (?P<switch>\d+):? )?(?:SYSTEM )?TEMPERATURE is (?P<state>.+?)\s*$"
)
_TEMPERATURE_STATE = re.compile(r"^(?:\w+ )*Temperature State\s*:\s*(?P<state>\S+)")
# `Sensor List` row of a 9200/9300: `SYSTEM INLET    1   GREEN   29 Celsius   0 - 56`.
_SENSOR_LIST_TEMP = re.compile(
    r"^\s*(?P<sensor>SYSTEM \S+)\s+(?P<slot>\d+)\s+(?P<state>[A-Z][A-Za-z ]*?)\s+"
    r"(?P<c>-?\d+)\s+Celsius\s+(?:(?P<low>-?\d+)\s*-\s*(?P<high>-?\d+)|na)\s*$"
)


# ISR G2 `SYSTEM TEMPERATURE STATUS` lines: `Intake temperature: 30 Celsius, Normal`.
_ISR_TEMPERATURE = re.compile(
    r"^\s*(?P<sensor>[A-Za-z][\w /-]*?) temperature:\s*(?P<c>-?\d+) Celsius,\s*(?P<state>[A-Za-z]\w*)",
    re.MULTILINE,
)


def temperature(text: str) -> list[dict[str, object]]:
    """Every temperature sensor with its reading, limits and the device's own health word.

    Rows: `slot`, `sensor`, `celsius` (None when not printed), `warning` (Yellow / Minor),
    `alarm` (Red / Critical, or the top of a sensor list's range), and `status` /
    `raw_status` from `Temperature State: GREEN`, the row's state column, or the one-line
    `TEMPERATURE is OK` a 2960 prints instead of a reading. A stack prints
    `Switch N: SYSTEM TEMPERATURE is OK` before each member's sensors: that summary is a row
    of its own only when the member prints no reading, or when it is not OK.
    """
    result: list[dict[str, object]] = []
    summaries: list[dict[str, object]] = []
    switch = "1"
    for line in (raw.strip() for raw in text.splitlines()):
        if m := _SYSTEM_TEMPERATURE.match(line):
            switch = m["switch"] or "1"
            summaries.append(_temperature_row(switch, "system", None, m["state"]))
        elif value := _TEMPERATURE_VALUE.match(line):
            result.append(_temperature_row(switch, value["sensor"] or "system", float(value["c"]), None))
        elif value := _TEMP_SENSOR_VALUE.match(line):
            switch = value["switch"]
            result.append(_temperature_row(switch, value["sensor"], float(value["c"]), None))
        elif result and (state := _TEMPERATURE_STATE.match(line)):
            result[-1].update(status=ios_health(state["state"]), raw_status=state["state"])
        elif result and (limit := _THRESHOLD.match(line)):
            # A Critical threshold is the alarm only where no Red/Major one is printed.
            key = _THRESHOLD_KEY.get(limit["kind"], "alarm")
            if limit["kind"] != "Critical" or result[-1]["alarm"] is None:
                result[-1][key] = float(limit["c"])
    if not result:
        result = _sensor_list_temperatures(text) or [
            _temperature_row("1", m["sensor"], float(m["c"]), m["state"])
            for m in _ISR_TEMPERATURE.finditer(text)
        ]
    read_slots = {row["slot"] for row in result}
    result += [s for s in summaries if s["slot"] not in read_slots or s["status"] != "normal"]
    if not result:
        raise ParseError(
            "no 'Temperature Value: N Degree Celsius', 'TEMPERATURE is' line or temperature sensor"
        )
    return result


def _temperature_row(slot: str, sensor: str, celsius: float | None, state: str | None) -> dict[str, object]:
    return {
        "slot": slot,
        "sensor": sensor,
        "celsius": celsius,
        "warning": None,
        "alarm": None,
        "status": ios_health(state) if state else "unknown",
        "raw_status": state or "",
    }


def _sensor_list_temperatures(text: str) -> list[dict[str, object]]:
    result: list[dict[str, object]] = []
    for line in text.splitlines():
        if m := _SENSOR_LIST_TEMP.match(line):
            row = _temperature_row(m["slot"], m["sensor"].strip(), float(m["c"]), m["state"])
            row["alarm"] = float(m["high"]) if m["high"] is not None else None
            result.append(row)
        elif (
            (s := sensor_row(line))
            and s["sensor"].startswith("Temp")
            and s["celsius"] is not None
            and not str(s["state"]).startswith("Fan Speed")  # a fan controller's sensor: no health word
        ):
            row = _temperature_row(s["slot"], s["sensor"], s["celsius"], s["state"])
            if s["limits"]:
                row["warning"], row["alarm"] = s["limits"][0], s["limits"][2]
            result.append(row)
    return result
