"""H3C Comware 5 and 7: power supplies, fans and temperature sensors, and Comware's health words.

Comware 5 and 7 lay these out differently (`Unit 1` blocks vs `Slot 1:` tables, Lower/Upper vs
Lower/Warning/Alarm limits); each parser accepts both and says which shape it did not find.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import health

# Comware words the shared vocabulary does not hold: Comware 5 power tables print `fail`, boards
# print `Offline`/`Fault`; anything else goes to the shared mapping (unknown words stay unknown).
_COMWARE_FAULT = {"fail", "failed", "failure", "fault", "faulty", "abnormal", "error", "offline"}
_COMWARE_ABSENT = {"absent", "not present", "notpresent", "not-present", "not installed", "notinstall"}


def comware_health(raw: str) -> str:
    word = re.sub(r"\s+", " ", raw.strip().lower())
    if word in _COMWARE_FAULT:
        return "fault"
    if word in _COMWARE_ABSENT:
        return "absent"
    return health(word)


def power(text: str) -> list[dict[str, str]]:
    return _units(text, "Power", r"(?:Power(?:ID)?|PWR|PSU)")


def fans(text: str) -> list[dict[str, str]]:
    # Chassis print fan trays: `Fan-tray 1:` (then `Status : Normal`) or `Fan Frame 1 State: Normal`.
    return _units(text, "Fan", r"(?:Fan(?:ID)?)", noun_re=r"Fan(?:[- ]?tray|\s+Frame)?")


_STATE_WORD = r"(?P<state>Not\s+Present|Not\s+Installed|[A-Za-z][A-Za-z-]*)"


def _units(text: str, noun: str, id_word: str, noun_re: str | None = None) -> list[dict[str, str]]:
    """Power supplies or fans in any of Comware's layouts, ids as `<slot>/<index>`.

    Comware 7: `Device Info on Slot 1:` or ` Slot 1:` then a `Device ID. Status` /
    `PowerID State Mode Current(A) ...` / `FanID Status ...` table, or (WX controllers, MSR)
    `Fan 1 State: Normal` on one line. Comware 5: ` Unit 1` or ` Slot 1`, then ` Power 1` or
    ` FAN    1` and ` State    : Normal` on the next line; or an `Index Status` table of
    `PWR1 normal` rows. Words are matched case-insensitively (`FAN`, `fail`).
    """
    flags = re.IGNORECASE
    unit = noun_re or noun
    result: list[dict[str, str]] = []
    slot: str | None = None
    pending: str | None = None  # Comware 5: an index waiting for its State line
    in_table = False
    for line in text.splitlines():
        if m := re.match(r"^\s*(?:Device Info on )?(?:Slot|Unit|Chassis)\s+(\d+)\s*:?\s*$", line, flags):
            slot, in_table, pending = m.group(1), False, None
        elif re.match(rf"^\s*(?:Device ID\.?|{id_word}|Index|No\.?)\s+(?:Status|State)\b", line, flags):
            in_table = True
        elif in_table and (
            m := re.match(rf"^\s*{id_word}?\s*(?P<id>\d+)\s+{_STATE_WORD}(?:\s|$)", line, flags)
        ):
            result.append(_unit(slot, m["id"], m["state"]))
        elif m := re.match(rf"^\s*{unit}\s*(\d+)\s+(?:State|Status)\s*:\s*{_STATE_WORD}", line, flags):
            result.append(_unit(slot, m.group(1), m["state"]))  # `Fan 1 State: Normal` on one line
        elif m := re.match(rf"^\s*{unit}\s*(\d+)\s*:?\s*$", line, flags):
            pending, in_table = m.group(1), False
        elif pending and (m := re.match(rf"^\s*(?:State|Status)\s*:\s*{_STATE_WORD}", line, flags)):
            result.append(_unit(slot, pending, m["state"]))
            pending = None
    if not result:
        raise ParseError(
            f"no {noun.lower()} state rows ('Device ID. Status' / 'Index Status' table or "
            f"'{noun} N / State :' blocks)"
        )
    return result


def _unit(slot: str | None, index: str, state: str) -> dict[str, str]:
    state = re.sub(r"\s+", " ", state)
    return {"id": f"{slot}/{index}" if slot else index, "status": comware_health(state), "raw_status": state}


# Some devices (load balancers, firewalls) print no Slot column; chassis name their frame sensors
# `Vent` (`1/Vent` in an IRF of chassis).
_TEMPERATURE_HEADER = re.compile(
    r"^\s*(?P<slot>(?:Slot|SlotNo)\s+)?Sensor\s+Temperature\b(?P<limits>.*)$", re.MULTILINE
)
_SENSOR_SLOT = re.compile(r"(?:\d+|Vent)(?:/(?:\d+|Vent))*", re.IGNORECASE)
_LIMIT = re.compile(r"-?\d+(?:\.\d+)?|NA|--")


def temperature(text: str) -> list[dict[str, object]]:
    """Comware 7: Lower/Warning/Alarm(/Shutdown) limits; Comware 5: Lower/Upper (upper = warning).

    Rows are read from the right, as many limits as the header names: sensor names hold a
    space and an index that the devices pad to any width (`Inflow  1`, `hotspot 1`). Without a
    Slot column the slot is "".
    """
    header = _TEMPERATURE_HEADER.search(text)
    if header is None:
        return _slot_temperatures(text)
    limits = [name.lower() for name in header["limits"].split()]
    warning_at = next((i for i, n in enumerate(limits) if n.startswith(("warning", "upper"))), None)
    alarm_at = next((i for i, n in enumerate(limits) if n.startswith("alarm")), None)
    first = 1 if header["slot"] else 0  # the sensor name's first field
    result: list[dict[str, object]] = []
    for line in text[header.end() :].splitlines():
        fields = line.split()
        if len(fields) < first + 2 + len(limits):
            continue
        if not (_SENSOR_SLOT.fullmatch(fields[0]) if first else fields[0][0].isalpha()):
            continue
        values = fields[len(fields) - len(limits) :]
        celsius = fields[-len(limits) - 1] if limits else fields[-1]
        sensor = fields[first : len(fields) - len(limits) - 1]
        if (
            not sensor
            or not re.fullmatch(r"-?\d+(?:\.\d+)?", celsius)
            or not all(map(_LIMIT.fullmatch, values))
        ):
            continue
        result.append(
            {
                "slot": fields[0] if first else "",
                "sensor": " ".join(sensor),
                "celsius": float(celsius),
                "warning": _number(values[warning_at]) if warning_at is not None else None,
                "alarm": _number(values[alarm_at]) if alarm_at is not None else None,
            }
        )
    if not result:
        raise ParseError("no sensor rows under the temperature header")
    return result


# Comware 5 boxes (S5500/S5800): one reading per slot, no sensor column:
# ` SlotNo  Temperature  Lower limit  Upper limit` then ` 1  35  0  60`.
_SLOT_TEMPERATURE_HEADER = re.compile(
    r"^\s*SlotNo\s+Temperature\s+Lower\s*limit\s+Upper\s*limit\s*$", re.MULTILINE | re.IGNORECASE
)
_SLOT_TEMPERATURE_ROW = re.compile(r"^\s*(\d+)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+|NA|--)\s+(-?\d+|NA|--)\s*$")


def _slot_temperatures(text: str) -> list[dict[str, object]]:
    header = _SLOT_TEMPERATURE_HEADER.search(text)
    if header is None:
        raise ParseError(
            "a 'Slot Sensor Temperature' (or 'SlotNo Temperature Lower limit Upper limit') header not found"
        )
    result: list[dict[str, object]] = []
    for line in text[header.end() :].splitlines():
        if m := _SLOT_TEMPERATURE_ROW.match(line):
            result.append(
                {
                    "slot": m[1],
                    "sensor": "system",
                    "celsius": float(m[2]),
                    "warning": _number(m[4]),
                    "alarm": None,
                }
            )
    if not result:
        raise ParseError("no slot rows under the temperature header")
    return result


def _number(text: str | None) -> float | None:
    return float(text) if text and re.fullmatch(r"-?\d+(?:\.\d+)?", text) else None
