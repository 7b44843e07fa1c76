"""H3C Comware 5 and 7: system displays (supplies, fans and sensors are in comware_env, network
tables in comware_net).

Comware 5 and 7 print most of these differently (`Unit 1` blocks vs `Slot 1:` tables, a
used rate vs a FreeRatio); each parser accepts both and says which shape it did not find.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import (
    clock_line,
    log_entry,
    ntp_status,
    require_header,
    search,
    uptime_seconds,
)
from netkb.collector.parsers.comware_aggregation import comware_aggregation as aggregation
from netkb.collector.parsers.comware_env import comware_health, fans, power, temperature
from netkb.collector.parsers.comware_lldp import neighbours
from netkb.collector.parsers.comware_net import aps, interfaces, irf, ospf_peers, vlans
from netkb.collector.parsers.comware_rancid import boot, licences, startup
from netkb.collector.parsers.rancid_state import files

__all__ = [
    "aggregation",
    "aps", "boards", "boot", "clock", "cpu", "fans", "files", "interfaces", "irf", "licences", "logbuffer",
    "manuinfo", "memory", "neighbours", "ntp", "ospf_peers", "power", "startup", "temperature", "uptime",
    "version", "vlans",
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
    return {"slot": slot, "type": kind, "status": comware_health(state), "raw_status": state}


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
    return clock_line(text, r"^[ \t]*(\S.*?\d{1,2}:\d{2}:\d{2}.*?)[ \t]*$", "a clock line (hh:mm:ss ...)")


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
