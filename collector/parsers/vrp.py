"""Huawei VRP (S-series switches, also AR/NE/CE where the layout is shared)."""

from __future__ import annotations

import re

from collector.parsers import ParseError
from collector.parsers.common import (
    health,
    log_entries,
    ntp_status,
    require_header,
    search,
    textfsm_ntc,
    uptime_seconds,
)
from collector.parsers.comware import clock  # both print the time first; only trimming is done

__all__ = [
    "boards", "clock", "cpu", "fans", "interfaces", "logbuffer", "memory", "ntp", "ospf_peers",
    "power", "temperature", "uptime", "version", "vlans",
]  # fmt: skip


def version(text: str) -> dict[str, str]:
    rows = textfsm_ntc("huawei_vrp", "display version", text)
    if not rows or not rows[0]["vrp_version"]:
        raise ParseError("a 'VRP (R) software, Version' line not found")
    row = rows[0]
    # ntc keeps the words after the model ("S5700-28C-EI Routing Switch", "AR6280 Router").
    model = row["model"].split()[0] if row["model"] else ""
    if not model:
        raise ParseError("a 'HUAWEI <model> ... uptime is' line not found")
    return {"model": model, "software": f"{row['vrp_version']} ({row['product_version']})"}


def uptime(text: str) -> int:
    return uptime_seconds(search(r"^\S+ \S+.*? uptime is (.+)$", text, "'<model> uptime is' line").group(1))


def boards(text: str) -> list[dict[str, str]]:
    """Cards of `display device`; the PWR/FAN rows are left to `display power` / `display fan`."""
    require_header(text, r"^Slot\s+(?:Sub|Card)\s+Type\s+Online", "a 'Slot Sub Type Online' table")
    result = []
    for row in textfsm_ntc("huawei_vrp", "display device", text):
        unit = row["card"] if row["card"] not in ("", "-") else row["slot"]
        if re.match(r"(?:PWR|FAN)\d", unit, re.IGNORECASE) or row["pid"] in ("POWER", "FAN"):
            continue
        slot = row["slot"] if row["card"] in ("", "-") else f"{row['slot']}/{row['card']}"
        absent = row["online_status"].lower() == "absent"
        raw = row["online_status"] if absent else row["alarm_status"]
        result.append(
            {
                "slot": slot,
                "type": row["pid"],
                "status": "absent" if absent else health(raw),
                "raw_status": raw,
            }
        )
    if not result:
        raise ParseError("no board rows under the 'display device' header")
    return result


def power(text: str) -> list[dict[str, str]]:
    """` 0  PWR1  Present  AC  Supply  650.00`; an absent module prints dashes for its state."""
    require_header(text, r"^\s*(?:Slot\s+)?Power(?:ID|No)\b", "a 'Slot PowerID Online ... State' table")
    result = []
    for m in re.finditer(r"^\s*(?:(\d+)\s+)?PWR(\d+)\s+(\S+)\s+\S+\s+(\S+)", text, re.MULTILINE):
        slot, index, online, state = m.groups()
        absent = online.lower() in ("absent", "no")
        raw = online if absent else state
        result.append(
            {"id": f"{slot or 0}/{index}", "status": "absent" if absent else health(raw), "raw_status": raw}
        )
    if not result:
        raise ParseError("no PWR rows under the power header")
    return result


def fans(text: str) -> list[dict[str, str]]:
    require_header(text, r"^\s*Slot\s+FanID\s+Online\s+Status", "a 'Slot FanID Online Status' table")
    result = []
    for m in re.finditer(r"^\s*(\d+)\s+(\d+)\s+(Present|Absent)\s+(\S+)", text, re.MULTILINE):
        slot, index, online, state = m.groups()
        raw = online if online == "Absent" else state
        result.append(
            {
                "id": f"{slot}/{index}",
                "status": "absent" if online == "Absent" else health(raw),
                "raw_status": raw,
            }
        )
    if not result:
        raise ParseError("no fan rows under the fan header")
    return result


_TEMPERATURE_ROW = re.compile(
    r"^\s*(?P<slot>\d+)\s+(?P<card>\S+)\s+(?P<sensor>\S+)\s+(?P<status>[A-Za-z]+)\s+(?P<celsius>-?\d+(?:\.\d+)?)"
    r"\s+(?P<lower>-?\d+)\s+(?P<lower_resume>-?\d+)\s+(?P<upper>-?\d+)\s+(?P<upper_resume>-?\d+)\s*$"
)


def temperature(text: str) -> list[dict[str, object]]:
    """`display temperature all` (S-series). VRP has one upper limit: it is the warning; no alarm.

    ntc's huawei_vrp_display_temperature is for the NE/AR `display temperature` layout
    (PCB / I2C / Minor Major Fatal) and fails on this table.
    """
    require_header(
        text, r"^\s*Slot\s+Card\s+Sensor\s+Status\s+Current", "a 'Slot Card Sensor Status Current(C)' table"
    )
    result: list[dict[str, object]] = []
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
    if not result:
        raise ParseError("no sensor rows under the temperature header")
    return result


def cpu(text: str) -> dict[str, int]:
    m = search(
        r"CPU utilization for five seconds:\s*(\d+)%:?\s*one minute:\s*(\d+)%:?\s*five minutes:\s*(\d+)%",
        text,
        "'CPU utilization for five seconds: N%: one minute: N%: five minutes: N%' line",
    )
    return {"five_seconds": int(m.group(1)), "one_minute": int(m.group(2)), "five_minutes": int(m.group(3))}


def memory(text: str) -> dict[str, float]:
    m = search(
        r"Memory Using Percentage(?: Is)?\s*:\s*(\d+(?:\.\d+)?)%",
        text,
        "'Memory Using Percentage Is: N%' line",
    )
    return {"used_percent": float(m.group(1))}


def interfaces(text: str) -> list[dict[str, str]]:
    """PHY `*down` is administratively down; `^down` (standby), `#down` (LBDT) are up but not forwarding.

    `display interface brief` has no description column on VRP: description is "".
    """
    require_header(text, r"^Interface\s+PHY\s+Protocol", "an 'Interface PHY Protocol' table")
    result = []
    for row in textfsm_ntc("huawei_vrp", "display interface brief", text):
        phy = row["phy"]
        result.append(
            {
                "name": re.sub(
                    r"\([a-z]+\)$", "", row["interface"]
                ),  # GigabitEthernet0/0/5(v): a virtual port mark
                "admin": "down" if phy.startswith("*") else "up",
                "oper": "up" if phy.startswith("up") else "down",
                "description": "",
            }
        )
    return result


def vlans(text: str) -> list[dict[str, object]]:
    """The second table of `display vlan` (VID [Type] Status Property ... Description).

    Own parser: ntc's huawei_vrp_display_vlan stops with an Error state on the V200R011+
    layout that adds Type/BC/MC/UC columns (see tests).
    """
    header = re.search(r"^[ \t]*VID\s+(?:Type\s+)?Status\s+Property\b.*$", text, re.MULTILINE)
    if header is None:
        raise ParseError("a 'VID [Type] Status Property ... Description' table not found")
    column = header.group(0).find("Description")
    result: list[dict[str, object]] = []
    for line in text[header.end() :].splitlines():
        m = re.match(r"^\s*(\d+)\s+(?:[a-z]+\s+)?(enable|disable)\s", line)
        if m is None:
            continue
        name = line[column:].strip() if column >= 0 else ""
        result.append({"id": int(m.group(1)), "name": name, "status": m.group(2)})
    return result


def ospf_peers(text: str) -> list[dict[str, object]]:
    """`display ospf peer brief` has no neighbour address column: address is ""."""
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


def ntp(text: str) -> dict[str, object]:
    """Own regex: ntc's huawei_vrp_display_ntp_status fails on the trailing blanks S-series print."""
    return ntp_status(text, r"^\s*reference clock ID:\s*([^\s(]+)")


# `Nov 26 2026 10:12:01+08:00 dorm-01 %%01SHELL/5/CMDRECORD(s)[0]:text`
_LOG_ENTRY = re.compile(
    r"^(?P<time>[A-Z][a-z]{2}\s+\d{1,2}\s+\d{4}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2})?(?: DST)?)"
    r"\s+\S+\s+"
    r"%%\d*(?P<module>[\w-]+)/(?P<severity>\d)/(?P<mnemonic>[\w-]+)(?:\([a-z]\))?(?:\[\d+\])?:\s?(?P<text>.*)$"
)


def logbuffer(text: str) -> list[dict[str, object]]:
    require_header(text, r"^\s*Logging buffer configuration and contents", "a log buffer summary")
    # VRP prints the newest entry first; parsers return the oldest first.
    return log_entries(text, _LOG_ENTRY)[::-1]
