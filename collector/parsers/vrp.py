"""Huawei VRP: S-series (VRP 5), CloudEngine and S/CE V200R01x (VRP 8), chassis S7700/S9700/S12700,
AR and NE routers. Shapes were checked against the real captures in tests/real/vrp/ (see its SOURCES.md).
"""

from __future__ import annotations

import re

from collector.parsers import ParseError
from collector.parsers.common import health, ntp_status, require_header, search, uptime_seconds
from collector.parsers.comware import clock  # both print the time first; only trimming is done

__all__ = [
    "boards", "clock", "cpu", "fans", "interfaces", "logbuffer", "memory", "ntp", "ospf_peers",
    "power", "temperature", "uptime", "version", "vlans",
]  # fmt: skip

# Words VRP prints in a health column that the shared vocabulary does not know (common.health).
_FAULT = {"offline", "unregistered", "wrongtype", "failure"}
_ABSENT = {"absent", "no"}


def _health(raw: str) -> str:
    word = raw.strip().lower()
    if word in ("abnormal", "fault"):
        return "fault"
    return "fault" if word in _FAULT else health(raw)


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


# --- version, uptime -------------------------------------------------------------------

# "HUAWEI S5700-28C-EI Routing Switch uptime is", "Quidway S7706 Terabit Routing Switch uptime is",
# "Huawei AR6280 Router uptime is", "HUAWEI ATN 910C-B uptime is" (NE/ATN/CX names hold a space).
_MODEL = re.compile(r"^(?:HUAWEI|Huawei|Quidway)\s+(.+?)\s+uptime is\b", re.MULTILINE)
_MODEL_SUFFIX = re.compile(r"\s+(?:(?:Terabit\s+)?Routing\s+Switch|Router|Switch)$")


def version(text: str) -> dict[str, str]:
    software = search(
        r"^(?:VRP \(R\) software|YunShan OS), Version (\S+) \((.+?)\)\s*$",
        text,
        "a 'VRP (R) software, Version' line",
        re.MULTILINE | re.IGNORECASE,
    )
    model = _MODEL.search(text)
    if model is None:
        raise ParseError("a 'HUAWEI <model> ... uptime is' line not found")
    return {
        "model": _MODEL_SUFFIX.sub("", model.group(1).strip()),
        "software": f"{software.group(1)} ({software.group(2)})",
    }


def uptime(text: str) -> int:
    return uptime_seconds(search(r"^\S+ \S+.*? uptime is (.+)$", text, "'<model> uptime is' line").group(1))


# --- display device ----------------------------------------------------------------------

# VRP 5 / CE: Slot Sub|Card Type Online Power Register Status|Alarm Role|Primary. A row without a
# slot is a part of the slot above (sub-card, FAN1, PWR2); Type may hold a space ("CMU(MPU 9)").
_DEVICE_HEADER = re.compile(r"^\s*Slot\s+(?:Sub|Card)\s+Type\s+Online\s+Power\s+Register\s+\w+", re.MULTILINE)
_DEVICE_ROW = re.compile(
    r"^(?P<slot>\S+)?\s+(?P<sub>\S+)\s+(?P<type>\S.*?)\s+(?P<online>\S+)\s+(?P<power>\S+)"
    r"\s+(?P<reg>Registered|Unregistered|-)\s+(?P<status>\S+)\s+(?P<role>\S+)\s*$"
)
# CE cards: Slot/Card Card-Type Online Power Register Alarm.
_CARD_HEADER = re.compile(r"^\s*Slot/Card\s+Card-Type\s+Online", re.MULTILINE)
_CARD_ROW = re.compile(
    r"^\s*(?P<slot>\d+/\d+)\s+(?P<type>\S+)\s+(?P<online>\S+)\s+(?P<power>\S+)\s+(?P<reg>\S+)\s+(?P<status>\S+)"
)
# NE / VRP 8 routers: Slot # Type Online Register Status Role LsId Primary.
_NE_HEADER = re.compile(r"^\s*Slot\s*#\s+Type\s+Online\s+Register\s+Status", re.MULTILINE)
_NE_ROW = re.compile(
    r"^\s*(?P<slot>\d+)\s+(?P<type>\S+)\s+(?P<online>\S+)\s+(?P<reg>\S+)\s+(?P<status>\S+)(?:\s|$)"
)


def _part(slot: str, kind: str, online: str, reg: str, status: str) -> dict[str, str]:
    """Not present is no fault; Offline or Unregistered (a stack member, a card) is."""
    if online.lower() in ("absent", "notpresent"):
        return {"slot": slot, "type": kind, "status": "absent", "raw_status": online}
    if online.lower() == "offline":
        return {"slot": slot, "type": kind, "status": "fault", "raw_status": online}
    if reg.lower() == "unregistered":
        return {"slot": slot, "type": kind, "status": "fault", "raw_status": f"{reg} {status}".strip()}
    return {"slot": slot, "type": kind, "status": _health(status), "raw_status": status}


def boards(text: str) -> list[dict[str, str]]:
    """Every row of `display device`: cards, stack members and the FAN/PWR modules it lists."""
    text = _unwrap(text)
    result: list[dict[str, str]] = []
    if _DEVICE_HEADER.search(text):
        parent = ""
        for line in text[_DEVICE_HEADER.search(text).end() :].splitlines():  # type: ignore[union-attr]
            m = _DEVICE_ROW.match(line)
            if m is None or set(line.strip()) <= {"-", " "}:
                continue
            slot, sub = m["slot"], m["sub"]
            if slot is not None:
                parent = slot
                name = slot if sub == "-" else f"{slot}/{sub}"
            else:
                name = f"{parent}/{sub}" if parent else sub
            kind = m["type"].lstrip("*")
            result.append(_part(name, "" if kind == "-" else kind, m["online"], m["reg"], m["status"]))
    elif _CARD_HEADER.search(text):
        for line in text.splitlines():
            if m := _CARD_ROW.match(line):
                result.append(_part(m["slot"], m["type"], m["online"], m["reg"], m["status"]))
    elif _NE_HEADER.search(text):
        for line in text.splitlines():
            if m := _NE_ROW.match(line):
                result.append(_part(m["slot"], m["type"], m["online"], m["reg"], m["status"]))
    else:
        raise ParseError("a 'Slot Sub|Card Type Online Power Register' table header not found")
    if not result:
        raise ParseError("no board rows under the 'display device' header")
    return result


# --- display power -----------------------------------------------------------------------

_PRESENT = r"Present|Absent|YES|NO|Yes|No"


def _module(name: str, present: str, registered: str | None, state: str | None) -> dict[str, str]:
    """A FAN/PWR module: not present is absent; present but unregistered is a fault."""
    if present.lower() in _ABSENT:
        return {"id": name, "status": "absent", "raw_status": present}
    if registered is not None and registered.lower() in ("unregistered", "no"):
        return {"id": name, "status": "fault", "raw_status": "Unregistered"}
    if state is None or state == "-":
        return {"id": name, "status": "unknown", "raw_status": state or ""}
    return {"id": name, "status": _health(state), "raw_status": state}


def power(text: str) -> list[dict[str, str]]:
    """S-series `Slot PowerID Online Mode State`, box/chassis `PowerID Online Mode State Current(A)`,
    CE `Slot PowerNo Present Mode State`, NE routers `No Present Mode State`."""
    result: list[dict[str, str]] = []
    header = re.search(r"^\s*(Slot\s+)?Power(?:ID|No)\b.*$", text, re.MULTILINE)
    if header:
        has_slot, slot = bool(header.group(1)), "0"
        row = re.compile(
            rf"^\s*(?:(\d+)\s+)?PWR(\d+)\s+({_PRESENT})\s+(?:(Registered|Unregistered)\s+)?\S+\s+(\S+)"
        )
        for line in text[header.end() :].splitlines():
            if m := row.match(line):
                slot = m.group(1) or slot
                name = f"{slot}/{m.group(2)}" if has_slot else f"PWR{m.group(2)}"
                result.append(_module(name, m.group(3), m.group(4), m.group(5)))
    elif header := re.search(r"^\s*No\s+Present\s+Mode\s+State\b.*$", text, re.MULTILINE):
        for m in re.finditer(rf"^\s*(\d+)\s+({_PRESENT})\s+\S+\s+(\S+)", text[header.end() :], re.MULTILINE):
            result.append(_module(m.group(1), m.group(2), None, m.group(3)))
    else:
        raise ParseError("a 'PowerID Online Mode State' (or 'No Present Mode State') table header not found")
    if not result:
        raise ParseError("no PWR rows under the power header")
    return result


# --- display fan -------------------------------------------------------------------------

_FAN_MODES = {"auto", "manual", "-"}  # a speed mode printed in the NE `Status :` field, not a health


def fans(text: str) -> list[dict[str, str]]:
    """S-series `Slot FanID Online Status`; chassis/CE `[Slot] FanID FanNum Online|Present Register
    [Status] Speed`; NE routers one `Slotid : / Present : / Registered: / Status :` block per tray.

    A chassis table without a Status column says Present and Registered: a registered tray whose
    fans report speeds is taken as working (raw_status "Registered").
    """
    result: list[dict[str, str]] = []
    if re.search(r"^\s*Slot\s+FanID\s+Online\s+Status", text, re.MULTILINE):
        for m in re.finditer(r"^\s*(\d+)\s+(\d+)\s+(Present|Absent)\s+(\S+)", text, re.MULTILINE):
            slot, index, online, state = m.groups()
            result.append(_module(f"{slot}/{index}", online, None, state))
    elif header := re.search(
        r"^\s*(Slot\s+)?FanID\s+FanNum\s+(?:Online|Present)\s+Register\b(.*)$", text, re.M
    ):
        has_slot, has_status, slot = bool(header.group(1)), "Status" in header.group(2), "0"
        row = re.compile(
            rf"^\s*(?:(\d+)\s+)?(FAN\d+)\s+\[[^\]]*\]\s+({_PRESENT})\s+(Registered|Unregistered|YES|NO)\s+(\S+)"
        )
        for line in text[header.end() :].splitlines():
            if m := row.match(line):
                slot = m.group(1) or slot
                name = f"{slot}/{m.group(2)}" if has_slot else m.group(2)
                part = _module(name, m.group(3), m.group(4), m.group(5) if has_status else "Normal")
                if not has_status and part["status"] == "normal":
                    part["raw_status"] = "Registered"
                result.append(part)
    elif blocks := re.split(r"^\s*Slot(?:id)?\s*:\s*", text, flags=re.MULTILINE)[1:]:
        for block in blocks:
            slot = block.split()[0]
            present = re.search(r"^\s*Present\s*:\s*(\S+)", block, re.MULTILINE)
            registered = re.search(r"^\s*Registered\s*:\s*(\S+)", block, re.MULTILINE)
            state = re.search(r"^\s*Status\s*:\s*(\S+)", block, re.MULTILINE)
            if present is None:
                continue
            word = state.group(1) if state else None
            if word is not None and word.lower() in _FAN_MODES and registered is not None:
                word = "Normal" if registered.group(1).upper() == "YES" else word
            part = _module(slot, present.group(1), registered.group(1) if registered else None, word)
            if part["status"] == "normal" and state and state.group(1).lower() in _FAN_MODES:
                part["raw_status"] = f"Registered, {state.group(1)}"
            result.append(part)
    else:
        raise ParseError("a 'Slot FanID Online Status' / 'FanID FanNum ... Register' table header not found")
    if not result:
        raise ParseError("no fan rows under the fan header")
    return result


# --- temperature ---------------------------------------------------------------------------

_TEMPERATURE_ROW = re.compile(
    r"^\s*(?P<slot>\d+)\s+(?P<card>\S+)\s+(?P<sensor>\S+)\s+(?P<status>[A-Za-z]+)\s+(?P<celsius>-?\d+(?:\.\d+)?)"
    r"\s+(?P<lower>-?\d+)\s+(?P<lower_resume>-?\d+)\s+(?P<upper>-?\d+)\s+(?P<upper_resume>-?\d+)\s*$"
)
# NE/CX `display temperature`: PCB I2C Addr Chl Status Minor Major Fatal TMin TMax Temp, per `SlotIDn :`.
_PCB_ROW = re.compile(
    r"^\s*(?P<pcb>\S+)\s+(?P<i2c>\d+)\s+(?P<addr>\d+)\s+(?P<chl>\d+)\s+(?P<status>[A-Za-z]+)\s+(?P<minor>-?\d+)"
    r"\s+(?P<major>-?\d+)\s+(?P<fatal>-?\d+)\s+-?\d+\s+-?\d+\s+(?P<celsius>-?\d+(?:\.\d+)?)\s*$"
)


def temperature(text: str) -> list[dict[str, object]]:
    """S-series `display temperature all`: one upper limit, taken as the warning (no alarm).
    NE/CX routers: Minor is the warning, Major the alarm."""
    result: list[dict[str, object]] = []
    if re.search(r"^\s*Slot\s+Card\s+Sensor\s+Status\s+Current", text, re.MULTILINE):
        for line in text.splitlines():
            if m := _TEMPERATURE_ROW.match(line):
                named = "/".join(part for part in (m["card"], m["sensor"]) if part != "NA")
                # Fixed-box S-series print NA/NA for each sensor: number them within the slot.
                sensor = named or str(1 + sum(1 for r in result if r["slot"] == m["slot"]))
                result.append(
                    {
                        "slot": m["slot"],
                        "sensor": sensor,
                        "celsius": float(m["celsius"]),
                        "warning": float(m["upper"]),
                        "alarm": None,
                    }
                )
    elif re.search(r"^\s*PCB\s+I2C\s+Addr\s+Chl\s+Status\s+Minor\s+Major", text, re.MULTILINE):
        slot = ""
        for line in text.splitlines():
            if head := re.match(r"^\s*SlotID\s*(\d+)\s*:", line):
                slot = head.group(1)
            elif m := _PCB_ROW.match(line):
                result.append(
                    {
                        "slot": slot,
                        "sensor": f"{m['pcb']}/{m['i2c']}/{m['addr']}/{m['chl']}",
                        "celsius": float(m["celsius"]),
                        "warning": float(m["minor"]),
                        "alarm": float(m["major"]),
                    }
                )
    else:
        raise ParseError(
            "a 'Slot Card Sensor Status Current(C)' (or 'PCB I2C Addr Chl Status') header not found"
        )
    if not result:
        raise ParseError("no sensor rows under the temperature header")
    return result


# --- cpu, memory -----------------------------------------------------------------------------

# VRP 5 `...: 8%: one minute: 8%: five minutes: 7%`, VRP 8 `Cpu ... 19% ;  one minute: 14% ;`,
# YunShan `39%, one minute: 38%, five minutes: 39%.`
_CPU = re.compile(
    r"CPU utilization for five seconds:\s*(\d+)%\s*[:;,]?\s*one minute:\s*(\d+)%\s*[:;,]?\s*"
    r"five minutes:\s*(\d+)%",
    re.IGNORECASE,
)


def cpu(text: str) -> dict[str, int | None]:
    """The busiest of the printed CPUs. An AP prints only `CPU Usage: 2.4% Max: 90.2%` (one
    30-second cycle): the averages are None then, never guessed from it."""
    rows = [tuple(int(v) for v in m.groups()) for m in _CPU.finditer(text)]
    if rows:
        five_seconds, one_minute, five_minutes = max(rows, key=lambda r: (r[2], r[1], r[0]))
        return {"five_seconds": five_seconds, "one_minute": one_minute, "five_minutes": five_minutes}
    if re.search(r"^\s*CPU Usage\s*:\s*\d+(?:\.\d+)?%", text, re.MULTILINE | re.IGNORECASE):
        return {"five_seconds": None, "one_minute": None, "five_minutes": None}
    raise ParseError(
        "a 'CPU utilization for five seconds: N% ... one minute ... five minutes' line not found"
    )


def memory(text: str) -> dict[str, float]:
    """`Memory Using Percentage Is: N%` (VRP 5/8), `Physical Memory Using Percentage: N%` (YunShan);
    the busiest slot where several are printed. Virtual memory is not judged."""
    values = [
        float(m.group(1))
        for m in re.finditer(
            r"^\s*(?:Physical\s+)?Memory Using Percentage(?: Is)?\s*:\s*(\d+(?:\.\d+)?)\s*%",
            text,
            re.MULTILINE | re.IGNORECASE,
        )
    ]
    if not values:
        raise ParseError("a 'Memory Using Percentage Is: N%' line not found")
    return {"used_percent": max(values)}


# --- interfaces, vlans, ospf ----------------------------------------------------------------

_PHY = re.compile(
    r"^\s*(?P<name>\S+?)(?:\((?:\d+G|[a-z]+)\))?\s+(?P<phy>[*^#!]?(?:up|down)\S*)\s+(?P<proto>\S+)"
)


def interfaces(text: str) -> list[dict[str, str]]:
    """PHY `*down` is administratively down; `^down` (standby), `#down` (LBDT) are up but not forwarding.

    Trunk members are indented; names may end in a mark (`(v)` virtual port, `(10G)`/`(100G)` a
    port running at another rate) which is not part of the name. VRP prints no description here.
    """
    header = re.search(r"^Interface\s+PHY\s+Protocol.*$", text, re.MULTILINE)
    if header is None:
        raise ParseError("an 'Interface PHY Protocol' table header not found")
    result = []
    for line in text[header.end() :].splitlines():
        if m := _PHY.match(line):
            phy = m["phy"]
            result.append(
                {
                    "name": m["name"],
                    "admin": "down" if phy.startswith("*") else "up",
                    "oper": "up" if phy.startswith("up") else "down",
                    "description": "",
                }
            )
    return result


def vlans(text: str) -> list[dict[str, object]]:
    """The status table of `display vlan`: `VID [Type] Status Property ... Description` (S/CE),
    `VLAN ID Type Status MAC Learning ...` (AP, no name column: name "").

    Own parser: ntc's huawei_vrp_display_vlan stops with an Error state on the V200R011+
    layout that adds Type/BC/MC/UC columns (see tests).
    """
    header = re.search(
        r"^[ \t]*(?:VID|VLAN ID)\s+(?:Type\s+)?Status\s+(?:Property|MAC)\b.*$", text, re.MULTILINE
    )
    if header is None:
        raise ParseError("a 'VID [Type] Status Property ... Description' table not found")
    column = header.group(0).find("Description")
    result: list[dict[str, object]] = []
    for line in text[header.end() :].splitlines():
        m = re.match(r"^\s*(\d+)\s+(?:[a-z-]+\s+)?(enable|disable)\s", line)
        if m is None:
            continue
        name = line[column:].strip() if column >= 0 else ""
        result.append({"id": int(m.group(1)), "name": name, "status": m.group(2)})
    return result


def ospf_peers(text: str) -> list[dict[str, object]]:
    """`display ospf peer brief` has no neighbour address and no DR column: address is "" and the
    state is kept as printed (`Full`, `2-Way`, `Init`)."""
    if not text.strip():
        return []  # no OSPF process configured
    require_header(
        text,
        r"^\s*Area Id\s+Interface\s+Neighbor id\s+State",
        "an 'Area Id Interface Neighbor id State' table",
    )
    ip = r"\d{1,3}(?:\.\d{1,3}){3}"
    return [
        {
            "router_id": m.group(3),
            "address": "",
            "interface": m.group(2),
            "state": m.group(4),
            "area": m.group(1),
        }
        for m in re.finditer(rf"^\s*({ip})\s+(\S+)\s+({ip})\s+(\S+)\s*$", text, re.MULTILINE)
    ]


# --- ntp, logbuffer ---------------------------------------------------------------------------


def ntp(text: str) -> dict[str, object]:
    """The reference is reported as printed, `LOCAL (0)` written `LOCAL(0)`: a device synchronised to
    its own clock (`LOCAL(0)`, `127.127.1.0`: `ntp-service refclock-master`) names it as server.

    Own regex: ntc's huawei_vrp_display_ntp_status fails on the trailing blanks S-series print.
    """
    result = ntp_status(text, r"^\s*reference clock ID:\s*([^\s(]+(?:\s*\(\d+\))?)")
    if isinstance(result["server"], str):
        result["server"] = re.sub(r"\s+", "", result["server"])
    return result


# `Nov 26 2026 10:12:01+08:00 dorm-01 %%01SHELL/5/CMDRECORD(s)[0]:text` (time zone, DST optional)
_LOG_ENTRY = re.compile(
    r"^(?P<time>[A-Z][a-z]{2}\s+\d{1,2}\s+\d{4}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2})?(?: DST)?)"
    r"\s+\S+\s+"
    r"%%\d*(?P<module>[\w-]+)/(?P<severity>\d)/(?P<mnemonic>[\w-]+)(?:\([a-z]+\))?(?:\[\d+\])?:\s?(?P<text>.*)$"
)
_LOG_HEADER = re.compile(
    r"^\s*(?:Logging buffer configuration and contents|Allowed max buffer size|Actual buffer size"
    r"|Channel number|Dropped messages|Overwritten messages|Current messages)\b"
)


def logbuffer(text: str) -> list[dict[str, object]]:
    """Entries oldest first (VRP prints the newest first). A line that starts no entry continues the
    entry above: a long message wrapped by the terminal, indented or not."""
    require_header(
        text,
        r"^\s*(?:Logging buffer configuration and contents|Allowed max buffer size)",
        "a log buffer summary",
    )
    entries: list[dict[str, object]] = []
    for line in text.splitlines():
        if m := _LOG_ENTRY.match(line.strip()):
            entries.append(
                {
                    "time": re.sub(r"\s+", " ", m["time"]),
                    "severity": int(m["severity"]),
                    "module": m["module"],
                    "mnemonic": m["mnemonic"],
                    "text": m["text"].strip(),
                }
            )
        elif entries and line.strip() and not _LOG_HEADER.match(line):
            entries[-1]["text"] = f"{entries[-1]['text']} {line.strip()}"
    return entries[::-1]
