"""Cisco IOS / IOS-XE `show environment all`: fans and power supplies (temperatures are in
ios_temperature.py, the health words and router sensor rows in ios_sensors.py).

The command prints different shapes per family, often several in one output:

- Catalyst 2960 (IOS 12.2/15.x): one-line summaries `FAN is OK`, `TEMPERATURE is OK`,
  `POWER is OK`, `RPS is NOT PRESENT` (no reading, no limit: the device's word is the health).
- Catalyst 3750-X/3850 and 2960-S/X stacks: `Switch 1 FAN 1 is OK`, `FAN PS-1 is OK`,
  `Switch 1: SYSTEM TEMPERATURE is OK` followed by `Inlet Temperature Value: N Degree Celsius`,
  `Temperature State: GREEN` and its Yellow/Red thresholds, then the
  `SW PID Serial# Status Sys Pwr PoE Pwr Watts` supply table.
- Catalyst 9200/9300 (IOS-XE 16/17): a `Switch FAN Speed State [Airflow direction]` table (space-
  or tab-separated, `NOT PRESENT or FAULTY` for a failed fan), an optional
  `Sensor List: Environmental Monitoring` table (`SYSTEM INLET 1 GREEN 29 Celsius 0 - 56`) and the
  supply table.
- ISR/ASR routers (IOS-XE): a `Sensor  Location  State  Reading` (or `Slot  Sensor  Current State
  Reading`) table of every sensor: `Temp:` rows, `RPM: fanN` rows, and the P0/P1 supply sensors.
- Chassis (Catalyst 4500, 9400): a `Supply  Model No  Type ... Status` supply table and
  `Fantray : good`; ISR G2 routers: `Internal Power Supply: Type AC, Normal`, `Fan 1 OK, ...`,
  `Intake temperature: 30 Celsius, Normal` (shape from the platform's documented form; no stored
  capture, see tests/real/ios/SOURCES.md).
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.ios_sensors import ios_health, sensor_row, status_row

_FAN_LINE = re.compile(
    r"^(?:Switch (?P<switch>\d+) )?FAN (?:(?P<index>\d+)|(?P<psu>PS-\d+) )?\s*is (?P<state>.+?)"
    r"(?:, Airflow is .*)?\s*$"
)
_FAN_TABLE_HEADER = re.compile(r"^\s*Switch\s+FAN\s+Speed\s+State\b")
_SIDE = r"(?:Front|Back|Side|Port|Right|Left)"
_FAN_TABLE_ROW = re.compile(
    r"^\s*(?P<switch>\d+)\s+(?P<fan>\d+)\s+(?P<speed>\d+|N/?A)\s+(?P<state>.+?)"
    rf"(?:\s+(?:{_SIDE}[- ]to[- ]{_SIDE}|Invalid|N/A))?\s*$",
    re.IGNORECASE,
)


def _system_fan(ident: str, raw: str) -> dict[str, str]:
    """A switch's own fan: the switch needs every one, so a missing one is a fault (an empty
    supply slot's fan, `FAN PS-2 is NOT PRESENT`, is absent, not a fault)."""
    row = status_row(ident, raw)
    return {**row, "status": "fault"} if row["status"] == "absent" else row


# A supply's fan in the `Sensor List` of a 9200/9300: ` PS1 FAN   1   GOOD   6192 rpm   na`.
_SENSOR_LIST_PS_FAN = re.compile(
    r"^\s*(?P<ps>PS\d+)\s+(?:FAN|Fan Status)\s+(?P<switch>\d+)\s+"
    r"(?P<state>[A-Z][A-Z ]*?[A-Z])\s+(?:-\s+)?\d+\s*rpm",
    re.IGNORECASE,
)


# ISR G2 (1900/2900/3900) `SYSTEM FAN STATUS` lines: `Fan 1 OK, Low speed setting`.
_ISR_FAN = re.compile(r"^Fan (?P<id>\d+) (?P<state>OK|FAIL\w*|FAULTY|NOT PRESENT|Not Present|BAD|Bad)\b,?")


_SWITCH_MARK = re.compile(r"^\s*Switch\s*:\s*(?P<switch>\d+)\s*$")
_FAN_STATE_OK = {"good", "ok", "n/a", "n.a.", "na", "--"}


def _with_fan_states(ident: str, status: str, fan_states: list[str]) -> dict[str, str]:
    """A tray or supply row whose own status is OK but one of whose fans is not (`bad`, `fail`):
    a fault, never normal."""
    row = status_row(ident, status)
    failed = [w for w in fan_states if w.lower() not in _FAN_STATE_OK]
    if row["status"] == "normal" and failed:
        return {"id": ident, "status": "fault", "raw_status": f"{row['raw_status']} (fan {failed[0]})"}
    return row


def fans(text: str) -> list[dict[str, str]]:
    """Every system fan and power-supply fan the output names, in printed order.

    `Switch 1 FAN 1 is OK` and `FAN is OK` (2960) lines, the rows of each `Switch FAN Speed
    State` table (3850/9200/9300, space- or tab-separated), `FAN PS-1 is OK` (a supply's own
    fan), and `RPM: fanN` rows of a router's sensor table. A 9200/9300 that prints a `Sensor
    List` names its supplies' fans there (`PS1 FAN 1 FAULTY 0 rpm`) instead of `FAN PS-1` lines:
    those rows are read too (as `<switch>/PS1`), unless `FAN PS-` lines are printed.
    """
    if not re.search(r"^\s*FAN PS-\d+ is", text, re.MULTILINE):
        sensor_list_fans = {
            i: status_row(f"{m['switch']}/{m['ps']}", m["state"])
            for i, line in enumerate(text.splitlines())
            if (m := _SENSOR_LIST_PS_FAN.match(line))
        }
    else:
        sensor_list_fans = {}
    result = []
    in_table = False
    switch = ""  # a StackWise Virtual pair prints `Switch:1` before each member's tables
    for i, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if i in sensor_list_fans:
            result.append(sensor_list_fans[i])
            continue
        if _FAN_TABLE_HEADER.match(line):
            in_table = True
            continue
        if in_table:
            if not stripped or set(stripped) <= {"-"}:
                continue
            if m := _FAN_TABLE_ROW.match(line):
                result.append(_system_fan(f"{m['switch']}/{m['fan']}", m["state"]))
                continue
            in_table = False
        if m := re.match(r"^Fan\s?tray\s*:\s*(\S.*?)\s*$", stripped, re.IGNORECASE):
            result.append(status_row("Fantray", m.group(1)))
        elif m := _SWITCH_MARK.match(line):
            switch = m["switch"]
        elif m := re.match(r"^(F[MT]\d+)\s+(\S+)((?:\s+(?:\S+))+)\s*$", stripped):
            # `FM0  ok  good good ...` (9400/9500/9600 fan trays): the tray's status, then each fan's.
            result.append(_with_fan_states(f"{switch}/{m[1]}" if switch else m[1], m[2], m[3].split()))
        elif m := _FAN_LINE.match(stripped):
            if m["psu"]:
                fan_id = m["psu"] if not m["switch"] else f"{m['switch']}/{m['psu']}"
            else:
                fan_id = "/".join(part for part in (m["switch"], m["index"]) if part) or "1"
            result.append(status_row(fan_id, m["state"]) if m["psu"] else _system_fan(fan_id, m["state"]))
        elif (s := sensor_row(line)) and re.match(r"RPM:?\s*fan", s["sensor"], re.IGNORECASE):
            result.append(status_row(f"{s['slot']} {s['sensor'].split()[-1]}", s["state"]))
        elif m := _ISR_FAN.match(stripped):
            result.append(status_row(m["id"], m["state"]))
    if not result:
        raise ParseError("no 'FAN ... is <state>' line, 'Switch FAN Speed State' table or 'RPM: fan' sensor")
    return result


# --- power -----------------------------------------------------------------------------------

_PSU_HEADER = re.compile(r"^\s*SW\s+PID\s+Serial#\s+Status")
_PSU_STATES = r"No Input Power|Not Responding|Not Present|Not Available|Bad Input|Power Off|\S+"
# `1A  PWR-C1-650WAC  DCB11B6C9EB  OK  Good  Good  650` (3850); `3A  Unknown  Unknown  No Input
# Power  Bad  Bad  235` (a dead supply); PID and serial are single-space separated on a 3750-X.
_PSU_ROW = re.compile(
    rf"^(?P<id>\d+[A-Z]?)\s+\S+\s+\S+\s+(?P<state>{_PSU_STATES})\s+(?P<sys>Good|Bad|n/a|\S+)\b"
)
_PSU_ABSENT = re.compile(r"^(?P<id>\d+[A-Z]?)\s+Not Present\s*$")
_BUILT_IN_ROW = re.compile(r"^(?P<id>\d+)\s+Built-in\s+(?P<state>Good|Bad|\S+)\s*$")
_RPS_ROW = re.compile(r"^(?P<id>\d+)\s+(?P<state>Not Present|Not Available|\S+)(?:\s{2,}|\s*$)")
_POWER_LINE = re.compile(r"^(?:Switch\s+(?P<switch>\d+):?\s+)?(?P<what>POWER|RPS) is (?P<state>.+?)\s*$")


def power(text: str) -> list[dict[str, str]]:
    """The `SW PID Serial# Status Sys Pwr` table (and the 2960's RPS table, as `RPS <switch>`),
    the 2960's `POWER is OK` / `RPS is NOT PRESENT` lines, or a router's supply sensors.

    A supply is faulty when its Status is not OK or its Sys Pwr is Bad. Rows are matched
    stripped: a 2960-S stack prints the table one column to the right.
    """
    result, summaries = [], []
    section = ""
    for line in (raw.strip() for raw in text.splitlines()):
        if _PSU_HEADER.match(line):
            section = "psu"
            continue
        if re.match(r"^SW\s+Status\s+RPS Name", line):
            section = "rps"
            continue
        if m := _POWER_LINE.match(line):
            ident = m["switch"] or "1"
            summaries.append(status_row(ident if m["what"] == "POWER" else f"RPS {ident}", m["state"]))
        elif section == "psu":
            if m := _PSU_ABSENT.match(line):
                result.append(status_row(m["id"], "Not Present"))
            elif m := _PSU_ROW.match(line):
                row = status_row(m["id"], m["state"])
                if row["status"] == "normal" and m["sys"].lower() == "bad":
                    row = {
                        "id": m["id"],
                        "status": "fault",
                        "raw_status": f"{row['raw_status']} (Sys Pwr Bad)",
                    }
                result.append(row)
            elif m := _BUILT_IN_ROW.match(line):
                result.append(status_row(m["id"], m["state"]))
            elif not re.fullmatch(r"[-\s]*", line):
                section = ""  # the table ended (a 9300 prints the next member's sensor list below)
        elif section == "rps" and (m := _RPS_ROW.match(line)):
            result.append(status_row(f"RPS {m['id']}", m["state"]))
    # The 2960 prints `POWER is OK` above its table: the table's rows say the same, per member.
    result = (
        result
        or summaries
        or _chassis_supplies(text)
        or _isr_supplies(text)
        or _industrial_supplies(text)
        or _router_supplies(text)
    )
    if not result:
        raise ParseError("no 'SW PID Serial# Status' power table rows, 'POWER is' line or supply sensors")
    return result


# Chassis (Catalyst 4500, 9400, 9600): `Supply  Model No  Type  [Capacity]  Status  Fan States|Sensor`
# and rows `PS1  C9400-PWR-3200AC  ac  n.a.  faulty  good  good`, `PS2  none  --  --  --` (empty slot).
_CHASSIS_PSU_HEADER = re.compile(r"^(Supply\s+Model No\s+Type\b.*?)\bStatus\b")
_EMPTY_SLOT = {"none", "not present", "empty", "n/a", "--"}


def _chassis_supplies(text: str) -> list[dict[str, str]]:
    """The status column of each `PS<n>` row under a chassis supply table header (rows are
    aligned under the header, so the column is read where the header prints `Status`)."""
    result = []
    column = None
    switch = ""  # `Switch:1` before each member's tables (StackWise Virtual)
    for line in text.splitlines():
        if m := _SWITCH_MARK.match(line):
            switch = m["switch"]
        elif m := _CHASSIS_PSU_HEADER.match(line):
            column = len(m.group(1))
        elif column is not None and (row := re.match(r"^(PS\d+)\s+(\S+(?: Present)?)", line)):
            ident = f"{switch}/{row.group(1)}" if switch else row.group(1)
            if row.group(2).lower() in _EMPTY_SLOT:
                result.append(status_row(ident, "Not Present"))
            else:
                # The Status column, then the supply's own fans (`Fan States 0 1`: good, bad, N/A).
                words = line[column:].split()
                result.append(
                    _with_fan_states(ident, words[0], words[1:]) if words else status_row(ident, "")
                )
    return result


_ISR_SUPPLY = re.compile(
    r"^\s*(?P<id>(?:Internal|Redundant|Main|External|RPS)\b.*?Power Supply[^:]*):.*?,"
    r"\s*(?P<state>[A-Za-z][\w ]*?)\s*$",
    re.MULTILINE,
)


def _isr_supplies(text: str) -> list[dict[str, str]]:
    """ISR G2 `SYSTEM POWER SUPPLY STATUS` lines: `Internal Power Supply: Type AC, Normal`."""
    return [status_row(m["id"], m["state"]) for m in _ISR_SUPPLY.finditer(text)]


# Industrial Ethernet (IE3x00/IE9300, IOS-XE): a `Pwr Supply  Type  Status  [Voltage]` table
# (`POWER SUPPLY-A      DC      OK      24V`, `POWER SUPPLY        DC      OK`) or a
# `Pwr Supply  PID  Serial#  Status  Sys Pwr  Watts` table under a `Switch:1` line
# (`POWER SUPPLY-1     Not Present`, `POWER SUPPLY-2  PWR-RGD-AC-DC-250  DTH255202J5  OK  Good  250`).
_IE_PSU_HEADER = re.compile(r"^\s*Pwr Supply\s+(?P<pid>PID\s+Serial#\s+)?(?:Type\s+)?Status\b")
_IE_PSU_ROW = re.compile(r"^\s*(?P<name>POWER SUPPLY(?:-\w+)?)(?:\s+(?P<rest>.*?))?\s*$")
_IE_SWITCH = re.compile(r"^\s*Switch\s*:\s*(?P<switch>\d+)\s*$")


def _industrial_supplies(text: str) -> list[dict[str, str]]:
    """The status column of each `POWER SUPPLY[-x]` row under an IE `Pwr Supply` table header.
    A row whose status cannot be told apart is kept with the words it printed (read as unknown
    unless they carry a failure word), never dropped."""
    result: list[dict[str, str]] = []
    with_pid: bool | None = None
    switch = ""
    for line in text.splitlines():
        if m := _IE_SWITCH.match(line):
            switch = m["switch"]
        elif m := _IE_PSU_HEADER.match(line):
            with_pid = bool(m["pid"])
        elif with_pid is not None and (row := _IE_PSU_ROW.match(line)):
            ident = f"{switch}/{row['name']}" if switch else row["name"]
            rest = row["rest"] or ""
            if re.match(r"Not Present\b", rest, re.IGNORECASE):
                result.append(status_row(ident, "Not Present"))
                continue
            columns = r"\S+\s+\S+\s+" if with_pid else r"\S+\s+"  # PID and serial, or the type
            state = re.match(rf"{columns}(?P<state>{_PSU_STATES})(?:\s+(?P<sys>\S+))?", rest)
            if state is None:
                result.append(status_row(ident, rest))
                continue
            found = status_row(ident, state["state"])
            if with_pid and found["status"] == "normal" and (state["sys"] or "").lower() == "bad":
                found = {"id": ident, "status": "fault", "raw_status": f"{found['raw_status']} (Sys Pwr Bad)"}
            result.append(found)
    return result


def _router_supplies(text: str) -> list[dict[str, str]]:
    """ISR/ASR: the P0/P1 slots whose sensors are a supply's (Vin, Vout, Iout, PEM, pwr); a slot
    is faulty when any of its sensors is not Normal."""
    slots: dict[str, list[str]] = {}
    fan_slots = set()  # a fan tray's own power sensor (`P2  P: pwr`) is not a supply
    for line in text.splitlines():
        s = sensor_row(line)
        if s and str(s["sensor"]).startswith("RPM"):
            fan_slots.add(s["slot"])
        if (
            s
            and re.match(r"P\d+$", s["slot"])
            and re.match(r"(?:PEM|V(?:in|out)|I(?:in|out)|P:)", s["sensor"])
        ):
            slots.setdefault(s["slot"], []).append(s["state"])
    for slot in fan_slots:
        slots.pop(slot, None)
    result = []
    for slot, states in slots.items():
        bad = [w for w in states if ios_health(w) != "normal"]
        result.append(status_row(slot, bad[0] if bad else states[0]))
    return result
