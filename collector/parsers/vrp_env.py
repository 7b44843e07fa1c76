"""Huawei VRP hardware tables: `display device`, `display power`, `display fan`, `display temperature all`.

The families print the same facts in differently ordered columns (S-series boxes and stacks,
chassis S7700/S9700/S12700, CloudEngine, NE/AR routers), so rows are read by their header's
column names, never by fixed positions. Shapes were checked against tests/real/vrp/.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import health

# Words VRP prints in a health column that the shared vocabulary (common.health) does not know.
_FAULT = {"abnormal", "fault", "offline", "unregistered", "wrongtype", "failure", "fail", "block", "poweroff"}
_ABSENT = {"absent", "no", "notpresent", "not-present"}
_PRESENT = {"present", "yes"}
_MODES = {"auto", "manual", "-", "na", "--"}  # speed modes printed where a health word might be


# An RPS row: `Self-powered` means the RPS feeds this switch, i.e. its own supply is down.
_RPS = {"non-powered": "normal", "self-powered": "fault"}


def _health(raw: str) -> str:
    word = raw.strip().lower()
    return "fault" if word in _FAULT else _RPS.get(word) or health(raw)


def _failure_word(line: str) -> str | None:
    """The first failure word of a line (Abnormal, Fault, Offline, Unregistered ...), if any."""
    return next((w for w in line.split() if w.lower() in _FAULT | {"notsupply", "failed"}), None)


def _unwrap(text: str) -> str:
    """Rejoin rows an 80-column terminal cut inside a word (`... Normal    Mast` / `er`)."""
    out: list[str] = []
    for line in text.splitlines():
        if (
            out
            and len(out[-1]) >= 79
            and not out[-1][-1].isspace()
            and line[:1].strip()
            and len(line.split()) == 1
        ):
            out[-1] += line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _judge(online: str | None, registered: str | None, state: str | None) -> tuple[str, str]:
    """(status, raw_status) of a part: not present is absent; offline or unregistered is a fault;
    otherwise the health column decides. Without a health column, a part that is present and
    registered is taken as working (raw "Registered"); without either, unknown."""
    if online is not None and online.lower() in _ABSENT:
        return "absent", online
    if online is not None and online.lower() == "offline":
        return "fault", online
    if registered is not None and registered.lower() in ("unregistered", "no"):
        return "fault", f"Unregistered {state or ''}".strip()
    if state is not None and state.lower() not in _MODES:
        return _health(state), state
    if registered is not None and registered.lower() in ("registered", "yes"):
        return "normal", "Registered" + (f", {state}" if state and state != "-" else "")
    return "unknown", state or ""


# --- display device ------------------------------------------------------------------------

# VRP 5 `Slot Sub Type Online Power Register Status Role`, CE `Slot Card Type Online Power Register
# Alarm Primary` (or without Power), CE cards `Slot/Card Card-Type ...`, NE `Slot # Type Online
# Register Status Role LsId Primary`. A row without a slot is a part of the slot above.
_DEVICE_HEADER = re.compile(
    r"^\s*(?P<slot>Slot(?:/Card|\s*#)?)\s+(?:(?P<sub>Sub|Card)\s+)?(?:Card-)?Type\s+(?P<rest>Online\b.*?)\s*$",
    re.MULTILINE,
)


_MODULE = re.compile(r"^(?:PWR|FAN|RPS|BAT)", re.IGNORECASE)  # judged by display power / display fan


def boards(text: str) -> list[dict[str, str]]:
    """The cards and stack members of `display device`. Its FAN/PWR rows are left to `display fan`
    and `display power` (the fans and power items), so one failed supply is one abnormal item."""
    text = _unwrap(text)
    header = _DEVICE_HEADER.search(text)
    if header is None:
        raise ParseError("a 'Slot [Sub|Card] Type Online ... Register' table header not found")
    columns = [c.lower() for c in header["rest"].split()]
    lead = r"^(?P<slot>\S+)?\s+(?P<sub>\S+)\s+" if header["sub"] else r"^\s*(?P<slot>\S+)\s+"
    rows = [
        re.compile(lead + r"(?P<type>\S.*?)" + r"\s+(\S+)" * n + r"\s*$")
        for n in (len(columns), len(columns) - 1)
    ]
    result: list[dict[str, str]] = []
    parent = ""
    for line in text[header.end() :].splitlines():
        if not line.strip() or set(line.strip()) <= {"-", " "} or line.lstrip().startswith("*"):
            continue
        m = rows[0].match(line) or rows[1].match(line)
        if m is None:
            failure = _failure_word(line)
            if failure and not any(_MODULE.match(word) for word in line.split()[:2]):
                # a card row the columns do not fit must not vanish
                result.append({"slot": line.split()[0], "type": "", "status": "fault", "raw_status": failure})
            continue
        values = dict(zip(columns, m.groups()[3 if header["sub"] else 2 :], strict=False))
        slot, sub = m["slot"], m.groupdict().get("sub")
        if slot is not None:
            parent = slot
            name = slot if sub in (None, "-") else f"{slot}/{sub}"
        else:
            name = f"{parent}/{sub}" if parent else str(sub)
        kind = m["type"].lstrip("*")
        if _MODULE.match(name.rsplit("/", 1)[-1]) or kind.upper() in ("POWER", "FAN"):
            continue
        status, raw = _judge(
            values.get("online"), values.get("register"), values.get("status", values.get("alarm"))
        )
        result.append(
            {"slot": name, "type": "" if kind == "-" else kind, "status": status, "raw_status": raw}
        )
    if not result:
        raise ParseError("no board rows under the 'display device' header")
    return result


# --- display power / display fan: module tables ---------------------------------------------

_TOKEN = re.compile(r"\[[^\]]*\]|\S+")


def _modules(text: str, header: re.Match[str], prefix: str) -> list[dict[str, str]]:
    """Rows of a FAN/PWR table read by the words in them: the module id (FAN2, PWR1, or the
    number under FanID/PowerID/No), presence (Present/Absent, YES/NO), registration and the
    first health word. Rows with neither presence nor health (per-fan speed lines) are skipped."""
    names = header.group(0).split()
    has_slot = names[0].lower() in ("slot", "slotid")
    has_register = any(n.lower().startswith("regist") for n in names)
    result: list[dict[str, str]] = []
    slot = "0"
    ident = re.compile(rf"^(?:\d+|{prefix}(?:\d+|[IV]+))$", re.IGNORECASE)  # PWR1, PWRII (S5700 LI)
    for line in text[header.end() :].splitlines():
        if line.strip().endswith(":"):
            break  # the next section (`internal fan info:`, `Power last power-off info:`)
        tokens = _TOKEN.findall(line)
        if not tokens or not ident.match(tokens[0]):
            if tokens and (failure := _failure_word(line)):  # a row the columns do not fit must not vanish
                result.append({"id": tokens[0], "status": "fault", "raw_status": failure})
            continue
        row_slot, module, rest = None, tokens[0], tokens[1:]
        if has_slot and tokens[0].isdigit() and rest and ident.match(rest[0]):
            row_slot, module, rest = tokens[0], rest[0], rest[1:]
        online = next((t for t in rest if t.lower() in _PRESENT | _ABSENT | {"offline"}), None)
        registered = None
        if has_register:
            marks = [t for t in rest if t.lower() in ("yes", "no")]
            registered = next((t for t in rest if t.lower() in ("registered", "unregistered")), None)
            if (
                registered is None
                and online is not None
                and online.lower() in ("yes", "no")
                and len(marks) > 1
            ):
                registered = marks[1]
        state = next(
            (t for t in rest if t.lower() not in _PRESENT | _ABSENT and _health(t) != "unknown"), None
        )
        if online is None and state is None:
            # A per-fan speed line under its tray (`  1   2250`): a stopped fan fails its tray.
            if result and prefix == "FAN" and (m := re.fullmatch(r"\s*\d+\s+(\d+)\s*", line)) and m[1] == "0":
                result[-1] = {
                    **result[-1],
                    "status": "fault",
                    "raw_status": f"{result[-1]['raw_status']}, a fan at 0 rpm",
                }
            continue
        slot = row_slot or slot
        number = re.sub(rf"^{prefix}", "", module, flags=re.IGNORECASE)
        name = f"{slot}/{number}" if has_slot else module  # `0/1` as the S-series FanID/PowerID tables
        status, raw = _judge(online, registered, state)
        if prefix == "FAN" and raw.startswith("Registered"):
            status, raw = _by_speed([t for t in rest if re.fullmatch(r"\d+%", t)], raw)
        result.append({"id": name, "status": status, "raw_status": raw})
    return result


def _by_speed(speeds: list[str], raw: str) -> tuple[str, str]:
    """A registered fan tray with no health column: its speed is the only sign that it works.
    Spinning is normal; a speed of 0% is a fault; no speed printed leaves it unknown."""
    if not speeds:
        return "unknown", f"{raw} (no health or speed column)"
    if any(int(speed[:-1]) == 0 for speed in speeds):
        return "fault", f"{raw}, speed {', '.join(speeds)}"
    return "normal", f"{raw}, speed {', '.join(speeds)}"


def power(text: str) -> list[dict[str, str]]:
    """S-series `Slot PowerID Online Mode State Power(W)`, boxes/chassis `PowerID Online Mode State
    Current(A)`, CE `Slot PowerNo Present Mode State`, NE routers `No Present Mode State Num`."""
    header = re.search(r"^\s*(?:Slot\s+)?(?:Power(?:ID|No)|No)\s+(?:Online|Present)\b.*$", text, re.MULTILINE)
    if header is None:
        raise ParseError("a 'PowerID Online Mode State' (or 'No Present Mode State') table header not found")
    rows = _modules(text, header, "PWR")
    if not rows:
        raise ParseError("no PWR rows under the power header")
    return rows


def fans(text: str) -> list[dict[str, str]]:
    """S-series `Slot FanID Online Status`, VRP 8 `[Slot] FanID FanNum [Online|Present] [Register]
    Status Speed`, chassis `FanID FanNum Online Register Speed` (no health column: a registered
    tray is taken as working), NE routers one `Slotid : / Present : / Registered: / Status :` block
    per tray (Status there is the speed mode, AUTO)."""
    header = re.search(r"^\s*(?:Slot\s+)?FanI[Dd]\b.*$", text, re.MULTILINE)
    if header is not None:
        rows = _modules(text, header, "FAN")
    elif blocks := re.split(r"^\s*Slot(?:id)?\s*:\s*", text, flags=re.MULTILINE)[1:]:
        rows = []
        for block in blocks:
            fields = dict(re.findall(r"^\s*(Present|Registered|Status)\s*:\s*(\S+)", block, re.MULTILINE))
            if "Present" not in fields:
                continue
            status, raw = _judge(fields["Present"], fields.get("Registered"), fields.get("Status"))
            if raw.startswith("Registered"):
                status, raw = _by_speed(re.findall(r"\[\d+\]\s*(\d+%)", block), raw)
            rows.append({"id": block.split()[0], "status": status, "raw_status": raw})
    else:
        raise ParseError("a 'Slot FanID ... Status' table (or 'Slotid :' blocks) not found")
    if not rows:
        raise ParseError("no fan rows under the fan header")
    return rows


# --- temperature ---------------------------------------------------------------------------

# NE/CX `display temperature`: PCB I2C Addr Chl Status Minor Major Fatal TMin TMax Temp, per `SlotIDn :`.
_PCB_ROW = re.compile(
    r"^\s*(?P<pcb>\S+)\s+(?P<i2c>\d+)\s+(?P<addr>\d+)\s+(?P<chl>\d+)\s+(?P<status>[A-Za-z]+)\s+(?P<minor>-?\d+)"
    r"\s+(?P<major>-?\d+)\s+(?P<fatal>-?\d+)\s+-?\d+\s+-?\d+\s+(?P<celsius>-?\d+(?:\.\d+)?)\s*$"
)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# CloudEngine `display device temperature all` / `display temperature all`:
# `Slot  Card  SensorName  Status  Major  Fatal  Current` over a `(Celsius)` unit line; the slot is
# printed on its first sensor only (`1  --  Outlet-1(LSW) NORMAL  58  --  36`, then `   --  CPU ...`).
_CE_TEMP_HEADER = re.compile(
    r"^\s*Slot\s+Card\s+Sensor\w*\s+Status\s+Major\s+Fatal\s+Current\b.*$", re.MULTILINE
)
_CE_TEMP_ROW = re.compile(
    r"^\s*(?:(?P<slot>\d+)\s+)?(?P<card>\S+)\s+(?P<sensor>\S+)\s+(?P<status>[A-Za-z]+)\s+"
    r"(?P<major>-?\d+|--)\s+(?P<fatal>-?\d+|--)\s+(?P<celsius>-?\d+(?:\.\d+)?|--|-)\s*$"
)


_SENSOR_ALARMS = {"minor", "major", "fatal", "critical", "warning", "alarm", "overheat", "hightemp", "high"}


def _reading(token: str) -> float | None:
    return float(token) if _NUMBER.match(token) else None


def _sensor(
    slot: str,
    sensor: str,
    celsius: float | None,
    warning: float | None,
    alarm: float | None,
    raw_status: str | None,
) -> dict[str, object]:
    row: dict[str, object] = {
        "slot": slot,
        "sensor": sensor,
        "celsius": celsius,
        "warning": warning,
        "alarm": alarm,
    }
    if raw_status:
        # The device's own word for the sensor (Normal, NORMAL, Abnormal, or the alarm level it
        # reached: Minor, Major, Fatal): a sensor it does not call normal is a fault even when its
        # reading is under the limit.
        word = raw_status.lower()
        status = "fault" if word in _SENSOR_ALARMS else _health(raw_status)
        row.update(status=status, raw_status=raw_status)
    return row


def temperature(text: str) -> list[dict[str, object]]:
    """S-series/chassis `display temperature all` (`Slot Card Sensor Status Current(C) Lower(C)
    [Lower Resume(C)] Upper(C) [Upper Resume(C)]`): the upper limit is the warning, no alarm.
    NE/CX routers: Minor is the warning, Major the alarm. CloudEngine (`Slot Card SensorName Status
    Major Fatal Current`): Major is the alarm, no warning. Every row keeps the Status word."""
    header = re.search(r"^\s*Slot\s+.*\bCurrent\S*\s+.*\bUpper\b.*$", text, re.MULTILINE)
    if header is not None:
        result = _upper_limit_temperatures(text, header)
    elif (ce := _CE_TEMP_HEADER.search(text)) is not None:
        result = _cloudengine_temperatures(text, ce)
    elif re.search(r"^\s*PCB\s+I2C\s+Addr\s+Chl\s+Status\s+Minor\s+Major", text, re.MULTILINE):
        result = _pcb_temperatures(text)
    else:
        raise ParseError(
            "a 'Slot ... Current(C) ... Upper(C)', 'Slot Card SensorName Status Major Fatal Current' "
            "(or 'PCB I2C Addr Chl Status') header not found"
        )
    if not result:
        raise ParseError("no sensor rows under the temperature header")
    return result


def _upper_limit_temperatures(text: str, header: re.Match[str]) -> list[dict[str, object]]:
    """S-series/chassis and NE/CX rows, columns named by the header."""
    result: list[dict[str, object]] = []
    # `Lower Resume(C)` is one column printed as two words when the header is on one line.
    names = [n for n in header.group(0).split() if not n.lower().startswith("resume")]
    current = next(i for i, n in enumerate(names) if n.lower().startswith("current"))
    upper = next(i for i, n in enumerate(names) if n.lower().startswith("upper"))
    for line in text[header.end() :].splitlines():
        tokens = line.split()
        if len(tokens) != len(names) or not tokens[0].isdigit():
            if tokens and tokens[0].isdigit() and (word := _failure_word(line)):
                # A row that does not fit the header but names a failure is a fault, never dropped.
                result.append(_sensor(tokens[0], "?", None, None, None, word))
            continue
        if not _NUMBER.match(tokens[upper]):
            continue
        words = [t for t in tokens[1:current] if _health(t) != "unknown" and t.upper() != "NA"]
        card_sensor = [t for t in tokens[1:current] if t.upper() != "NA" and _health(t) == "unknown"]
        named = "/".join(card_sensor)
        # Fixed-box S-series print NA/NA for each sensor: number them within the slot.
        sensor = named or str(1 + sum(1 for r in result if r["slot"] == tokens[0]))
        # `-`: the sensor gives no reading (failed, or out of its range): not judged normal.
        reading = _reading(tokens[current])
        word = words[-1] if words else None
        result.append(_sensor(tokens[0], sensor, reading, float(tokens[upper]), None, word))
    return result


def _cloudengine_temperatures(text: str, header: re.Match[str]) -> list[dict[str, object]]:
    result: list[dict[str, object]] = []
    slot = ""
    for line in text[header.end() :].splitlines():
        if m := _CE_TEMP_ROW.match(line):
            slot = m["slot"] or slot
            sensor = m["sensor"] if m["card"] in ("--", "-") else f"{m['card']}/{m['sensor']}"
            celsius, major = _reading(m["celsius"]), _reading(m["major"])
            result.append(_sensor(slot, sensor, celsius, None, major, m["status"]))
        elif word := _failure_word(line):
            result.append(_sensor(slot, "?", None, None, None, word))
    return result


def _pcb_temperatures(text: str) -> list[dict[str, object]]:
    result: list[dict[str, object]] = []
    slot = ""
    for line in text.splitlines():
        if head := re.match(r"^\s*SlotID\s*(\d+)\s*:", line):
            slot = head.group(1)
        elif m := _PCB_ROW.match(line):
            sensor = f"{m['pcb']}/{m['i2c']}/{m['addr']}/{m['chl']}"
            minor, major = float(m["minor"]), float(m["major"])
            result.append(_sensor(slot, sensor, float(m["celsius"]), minor, major, m["status"]))
    return result
