"""H3C Comware 5 and 7: system and hardware displays (network tables are in comware_net).

Comware 5 and 7 print most of these differently (`Unit 1` blocks vs `Slot 1:` tables, a
used rate vs a FreeRatio); each parser accepts both and says which shape it did not find.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import (
    health,
    log_entry,
    ntp_status,
    require_header,
    search,
    uptime_seconds,
)
from netkb.collector.parsers.comware_net import aps, interfaces, irf, ospf_peers, vlans

__all__ = [
    "aps", "boards", "clock", "cpu", "fans", "interfaces", "irf", "logbuffer", "manuinfo", "memory",
    "ntp", "ospf_peers", "power", "temperature", "uptime", "version", "vlans",
]  # fmt: skip

_VENDOR = re.compile(r"^(?:H3C|HPE?|HP)\s+")


def version(text: str) -> dict[str, str]:
    software = search(r"Comware Software, Version (.+?)\s*$", text, "'Comware Software, Version' line")
    model = search(r"^(.+?) uptime is ", text, "'<model> uptime is' line")
    return {"model": _VENDOR.sub("", model.group(1).strip()), "software": software.group(1)}


def uptime(text: str) -> int:
    return uptime_seconds(search(r" uptime is (.+)$", text, "'uptime is' line").group(1))


# Comware 5 boxes: a `Slot N` heading, then one row per subslot ending in Type and State.
_BOARD5 = re.compile(r"^\s*(?P<sub>\d+)\s+\d+\s+.*\s(?P<type>\S+)\s+(?P<state>[A-Za-z]+)\s*$")
# Chassis and virtual devices: `Slot No. Board Type Status Primary SubSlots` (Comware 5 chassis),
# `Slot No. Board Type Status Max Ports` (VSR, vFW), `Slot No. Brd Type Brd Status Subslot Num
# Sft Ver` (S7500E, S10500, S12500), `Slot Brd Type Status`; Comware 7 boxes `Slot Type State
# Subslot ...` (a VSR prints no Subslot figure on some rows); `Chassis` in front on IRF chassis.
# A security-engine context adds a CPU column after the slot (`Slot No. CPU No. Brd Type`,
# `Chassis Slot CPU Type State`); a box lists its subcards under `SubCard information on slot 0:`.
_BRD_HEADER = re.compile(
    r"^\s*(?P<chassis>Chassis\s+)?Slot(?:\s*No\.?)?(?P<cpu>\s+CPU(?:\s*No\.?)?)?\s+(?:Board|Brd)\s*Type\s+"
    r"(?:Brd\s*)?(?:Status|State)\b",
    re.MULTILINE | re.IGNORECASE,
)
_SLOT_TYPE_STATE = re.compile(
    r"^\s*(?P<chassis>Chassis\s+)?Slot(?P<cpu>\s+CPU)?\s+Type\s+State\b", re.MULTILINE | re.IGNORECASE
)
_SUBCARDS = re.compile(r"^\s*SubCard information on slot (\d+)\s*:", re.IGNORECASE)


def _brd_row(chassis: bool, cpu: bool) -> re.Pattern[str]:
    return re.compile(
        r"^\s*"
        + (r"(?P<chassis>\d+)\s+" if chassis else "")
        + r"(?P<slot>\d+)\s+"
        + (r"\d+\s+" if cpu else "")
        + r"(?P<type>\S+)\s+(?P<state>[A-Za-z]+)\b"
    )


def boards(text: str) -> list[dict[str, str]]:
    result: list[dict[str, str]] = []
    if header := _BRD_HEADER.search(text) or _SLOT_TYPE_STATE.search(text):
        row = _brd_row(bool(header["chassis"]), bool(header["cpu"]))
        parent: str | None = None  # the slot whose subcards the rows list
        for line in text[header.end() :].splitlines():
            if sub := _SUBCARDS.match(line):
                parent = sub.group(1)
            elif m := row.match(line):
                slot = f"{m['chassis']}/{m['slot']}" if header["chassis"] else m["slot"]
                result.append(_board(f"{parent}/{slot}" if parent else slot, m["type"], m["state"]))
    elif re.search(r"^\s*SubSNo\s+PortNum\b", text, re.MULTILINE):
        slot = None
        for line in text.splitlines():
            if heading := re.match(r"^\s*Slot\s+(\d+)\s*$", line):
                slot = heading.group(1)
            elif (m := _BOARD5.match(line)) and slot is not None:
                result.append(
                    _board(slot if m["sub"] == "0" else f"{slot}/{m['sub']}", m["type"], m["state"])
                )
    else:
        raise ParseError(
            "a 'display device' table header (Slot Type State, SubSNo PortNum, Slot No. Board Type Status"
            " or Slot No. Brd Type Brd Status) not found"
        )
    if not result:
        raise ParseError("no board rows under the 'display device' header")
    return result


def _board(slot: str, kind: str, state: str) -> dict[str, str]:
    return {"slot": slot, "type": kind, "status": _health(state), "raw_status": state}


# Comware words the shared vocabulary does not hold: Comware 5 power tables print `fail`, boards
# print `Offline`/`Fault`; anything else goes to the shared mapping (unknown words stay unknown).
_COMWARE_FAULT = {"fail", "failed", "failure", "fault", "faulty", "abnormal", "error", "offline"}
_COMWARE_ABSENT = {"absent", "not present", "notpresent", "not-present", "not installed", "notinstall"}


def _health(raw: str) -> str:
    word = re.sub(r"\s+", " ", raw.strip().lower())
    if word in _COMWARE_FAULT:
        return "fault"
    if word in _COMWARE_ABSENT:
        return "absent"
    return health(word)


# Block headings: `Slot 1 CPU 0:`, `Chassis self:`, ` Chassis 1`, `Chassis 1 slot 0 CPU 0:`, `slot 0` (MSR),
# `Subslot 1:`, `Fan 1`, `Power 2:`; fields `DEVICE_NAME          : x` or `DEVICE_NAME:x`.
_MANU_HEADING = re.compile(
    r"^\s*(?P<label>(?:Chassis\s+\d+\s+Slot\s+\d+(?:\s+CPU\s+\d+)?|Chassis\s+(?:self|\d+)"
    r"|(?:Slot|Unit)\s+\d+(?:\s+CPU\s+\d+)?(?:\s+SUBSLOT\s+\d+)?"
    r"|Subslot\s+\d+|Fan\s+\d+|Power\s+\d+))\s*:?\s*$",
    re.IGNORECASE,
)
_MANU_FIELD = re.compile(r"^\s*(?P<key>[A-Z][A-Z_ ]*?)\s*:\s*(?P<value>.*?)\s*$")
_MANU_SERIAL_KEYS = {"DEVICE_SERIAL_NUMBER", "MANU SERIAL NUMBER"}


def manuinfo(text: str) -> list[dict[str, str]]:
    """One entry per block that prints fields, keyed as `1`, `fan 1`, `1/0` (subslot), `chassis`...

    Where the output lists several slots (IRF members), a `Fan N:` / `Power N:` block belongs to
    the slot above it (`2/fan 1`; under `Chassis N` to the chassis). Blocks that only say the
    operation is not supported are left out. Fields with no heading (some WX controllers, or a
    second DEVICE_NAME in one block) give an entry keyed `chassis`.
    """
    slots = {
        m.group(1) for m in re.finditer(r"^\s*(?:Slot|Unit)\s+(\d+)\b", text, re.MULTILINE | re.IGNORECASE)
    }
    per_slot = len(slots) > 1
    result: list[dict[str, str]] = []
    chassis: str | None = None
    slot: str | None = None  # the slot a `Subslot N:` / `Fan N:` block belongs to
    current: dict[str, str] | None = None
    seen: set[str] = set()  # the fields the current block printed
    for line in text.splitlines():
        if heading := _MANU_HEADING.match(line):
            label = re.sub(r"\s+", " ", heading["label"]).lower()
            if m := re.fullmatch(r"chassis (\d+)", label):
                chassis, slot, current = m.group(1), None, None
                continue
            if m := re.fullmatch(r"subslot (\d+)", label):
                key = f"{slot}/{m.group(1)}" if slot else f"subslot {m.group(1)}"
            else:
                key = _manu_slot(label)
                if re.fullmatch(r"\d+", key):
                    slot = key
                elif per_slot and slot and chassis is None and key.startswith(("fan", "power")):
                    key = f"{slot}/{key}"
            current = {"slot": f"{chassis}/{key}" if chassis else key, "name": "", "serial": ""}
            seen = set()
            result.append(current)
        elif field := _MANU_FIELD.match(line):
            key = field["key"].strip()
            if key not in {"DEVICE_NAME", *_MANU_SERIAL_KEYS}:
                continue
            kind = "name" if key == "DEVICE_NAME" else "serial"
            if current is None or kind in seen:  # fields under no heading of their own
                current, seen, slot = {"slot": "chassis", "name": "", "serial": ""}, set(), None
                result.append(current)
            seen.add(kind)
            current[kind] = field["value"]
        elif current is not None and not seen and line.strip() and result and result[-1] is current:
            # `The operation is not supported ...` / `Only new chassis support this command.`
            result.pop()
            current = None
    if not any(entry["serial"] for entry in result):
        raise ParseError("a manuinfo block with DEVICE_SERIAL_NUMBER not found")
    return result


def _manu_slot(label: str) -> str:
    if label == "chassis self":
        return "chassis"
    if m := re.fullmatch(r"(?:slot|unit) (\d+)(?: cpu \d+)?", label):
        return m.group(1)
    if m := re.fullmatch(r"chassis (\d+) slot (\d+)(?: cpu \d+)?", label):
        return f"{m.group(1)}/{m.group(2)}"  # distributed IRF: `Chassis 1 slot 0 CPU 0:`
    return label  # "fan 1", "power 2", "slot 1 cpu 0 subslot 1"


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
    return {"id": f"{slot}/{index}" if slot else index, "status": _health(state), "raw_status": state}


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


_CPU_TRIPLE = re.compile(
    r"(\d+)%\s+in last 5 seconds\s+(\d+)%\s+in last 1 minute\s+(\d+)%\s+in last 5 minutes", re.IGNORECASE
)


def cpu(text: str) -> dict[str, int]:
    """The busiest slot (highest 5-minute figure, then 1-minute, then 5-second)."""
    triples = [tuple(int(n) for n in m.groups()) for m in _CPU_TRIPLE.finditer(text)]
    if not triples:
        raise ParseError("'N% in last 5 seconds / 1 minute / 5 minutes' lines not found")
    five_s, one_m, five_m = max(triples, key=lambda t: (t[2], t[1], t[0]))
    return {"five_seconds": five_s, "one_minute": one_m, "five_minutes": five_m}


def memory(text: str) -> dict[str, float]:
    """Comware 7 prints a FreeRatio per slot (used = 100 - free, busiest slot); Comware 5 a used rate."""
    free_ratios = re.findall(r"^Mem:\s.*?(\d+(?:\.\d+)?)%\s*$", text, re.MULTILINE)
    if free_ratios:
        return {"used_percent": round(100.0 - min(float(r) for r in free_ratios), 1)}
    if m := re.search(r"Used Rate:\s*(\d+(?:\.\d+)?)%", text):
        return {"used_percent": float(m.group(1))}
    total = re.search(r"System Total Memory\(bytes\):\s*(\d+)", text)
    used = re.search(r"Total Used Memory\(bytes\):\s*(\d+)", text)
    if total and used and int(total.group(1)):
        return {"used_percent": round(100.0 * int(used.group(1)) / int(total.group(1)), 1)}
    raise ParseError("a 'Mem: ... FreeRatio' row (Comware 7) or 'Used Rate: N%' (Comware 5) not found")


def ntp(text: str) -> dict[str, object]:
    return ntp_status(text, r"^\s*(?:System peer|Reference clock ID):\s*(\S+)")


def clock(text: str) -> dict[str, str]:
    return {
        "text": search(
            r"^[ \t]*(\S.*?\d{1,2}:\d{2}:\d{2}.*?)[ \t]*$", text, "a clock line (hh:mm:ss ...)"
        ).group(1)
    }


# `%Nov 26 10:12:01:123 2026 core-1 SHELL/5/SHELL_LOGIN: text`; some releases drop the leading
# `%` or the milliseconds; Comware 5 marks traps `#` and debugging `*`, and may put `%@<seq>` in front.
_LOG_ENTRY = re.compile(
    r"^(?:[%#*]@\d+)?[%#*]?(?P<time>[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?::\d{1,3})?\s+\d{4})\s+\S+\s+"
    r"(?P<module>[\w-]+)/(?P<severity>\d)/(?P<mnemonic>[\w-]+(?: [\w-]+)*)(?:\([a-z]\))?:\s?(?P<text>.*)$"
)  # Comware 5 digests may hold a space: `DEV/2/LOAD FINISHED:` (3Com MSR 30 command reference)
# The summary lines above the entries: Comware 7 `Log buffer: Enabled` ... `Current messages: 97`,
# Comware 5 `Logging buffer configuration and contents: enabled` ... `Channel number : 4 , ...`.
_LOG_SUMMARY = re.compile(
    r"^\s*(?:Log buffer|Logging buffer configuration|(?:Allowed )?max buffer size|Actual buffer size"
    r"|Channel number|Dropped messages|Overwritten messages|Current messages"
    r"|Some messages might not be displayed)\b",
    re.IGNORECASE,
)


def logbuffer(text: str) -> list[dict[str, object]]:
    """Entries in printed order. A line that does not start an entry continues the one above,
    indented or not (`System restarted --` / `H3C Comware Software.`): a wrapped message."""
    require_header(text, r"^\s*(?:Log buffer:|Logging buffer configuration)", "a log buffer summary")
    entries: list[dict[str, object]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if m := _LOG_ENTRY.match(stripped):
            entries.append(log_entry(m))
        elif entries and stripped and not _LOG_SUMMARY.match(stripped):
            entries[-1]["text"] = f"{entries[-1]['text']} {stripped}".strip()
    return entries
