"""Cisco IOS / IOS-XE Catalyst switches."""

from __future__ import annotations

import re

from collector.parsers import ParseError
from collector.parsers.common import health, require_header, search, textfsm_ntc, uptime_seconds

__all__ = [
    "boards", "clock", "cpu", "fans", "interfaces", "logbuffer", "memory", "ntp", "ospf_peers",
    "power", "temperature", "uptime", "version", "vlans",
]  # fmt: skip


def version(text: str) -> dict[str, str]:
    rows = textfsm_ntc("cisco_ios", "show version", text)
    if not rows or not rows[0]["version"] or not rows[0]["hardware"]:
        raise ParseError("'Cisco IOS Software ... Version' and 'cisco <model> ... processor' lines not found")
    return {"model": rows[0]["hardware"][0], "software": rows[0]["version"]}


def uptime(text: str) -> int:
    return uptime_seconds(search(r"^\S+ uptime is (.+)$", text, "'<hostname> uptime is' line").group(1))


def manuinfo(text: str) -> list[dict[str, str]]:
    """Serial numbers of the chassis and modules in `show inventory` (transceivers left out)."""
    require_header(text, r'^NAME:\s*"', "a 'NAME: \"...\", DESCR:' entry")
    result = []
    for row in textfsm_ntc("cisco_ios", "show inventory", text):
        name, pid = row["name"], row["pid"].strip()
        if re.match(r"(?:SFP|GLC|QSFP|CVR)-", pid) or re.match(r"^[A-Za-z-]+Ethernet\d", name):
            continue
        result.append({"slot": name, "name": pid, "serial": row["sn"].strip()})
    return result


_STACK_MEMBER = re.compile(
    r"^\*?(?P<member>\d+)\s+(?P<role>\S+)\s+(?P<mac>[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})\s+"
    r"(?P<priority>\d+)\s+(?P<hw>\S+)\s+(?P<state>.+?)\s*$"
)


def boards(text: str) -> list[dict[str, str]]:
    """Stack members of `show switch`: their state is the board health IOS shows.

    `show inventory` lists what is installed, not whether it works; a member that is not
    `Ready` (Removed, Version Mismatch…) is a fault; a Provisioned one is configured but absent.
    """
    require_header(text, r"^Switch#\s+Role", "the 'Switch#  Role  Mac Address' header")
    result = []
    for line in text.splitlines():
        if m := _STACK_MEMBER.match(line.strip()):
            state = m["state"]
            status = "normal" if state == "Ready" else ("absent" if state == "Provisioned" else "fault")
            result.append({"slot": m["member"], "type": m["role"], "status": status, "raw_status": state})
    if not result:
        raise ParseError("no stack member rows under the 'Switch#' header")
    return result


_FAN_LINE = re.compile(
    r"^(?:Switch (?P<switch>\d+) )?FAN (?:(?P<index>\d+)|(?P<psu>PS-\d+) )?\s*is (?P<state>.+?)\s*$"
)


def fans(text: str) -> list[dict[str, str]]:
    """`Switch 1 FAN 1 is OK`, `FAN PS-1 is OK` (a power supply's own fan), or `FAN is OK` (2960)."""
    result = []
    for line in text.splitlines():
        if m := _FAN_LINE.match(line.strip()):
            if m["psu"]:
                fan_id = m["psu"]
            else:
                fan_id = "/".join(part for part in (m["switch"], m["index"]) if part) or "1"
            result.append({"id": fan_id, "status": health(m["state"]), "raw_status": m["state"]})
    if not result:
        raise ParseError("no 'FAN ... is <state>' line")
    return result


# `1A  PWR-C1-650WAC  DCB11B6C9EB  OK  Good  Good  650` (3850) and `1   Built-in   Good` (2960).
_PSU_ROW = re.compile(r"^(?P<id>\d+[A-Z]?)\s+\S+\s+\S+\s+(?P<state>No Input Power|\S+)\s{2,}")
_BUILT_IN_ROW = re.compile(r"^(?P<id>\d+)\s+Built-in\s+(?P<state>Good|Bad)\b")


def power(text: str) -> list[dict[str, str]]:
    """The `SW PID Serial# Status Sys Pwr` table (and the 2960's RPS table, as `RPS <switch>`).

    Rows are matched stripped: a 2960-S stack prints the table one column to the right.
    """
    require_header(text, r"^\s*SW\s+PID\s+Serial#\s+Status", "a 'SW PID Serial# Status' power table")
    result = []
    section = "psu"
    for line in (raw.strip() for raw in text.splitlines()):  # 2960-S stacks indent the table
        if re.match(r"^SW\s+Status\s+RPS Name", line):
            section = "rps"
            continue
        if section == "psu":
            if m := re.match(r"^(?P<id>\d+[A-Z]?)\s+Not Present\b", line):
                result.append({"id": m["id"], "status": "absent", "raw_status": "Not Present"})
            elif m := _PSU_ROW.match(line) or _BUILT_IN_ROW.match(line):
                result.append({"id": m["id"], "status": health(m["state"]), "raw_status": m["state"]})
        elif m := re.match(r"^(?P<id>\d+)\s+(?P<state>Not Present|Enabled|Faulty|\S+)\s{2,}", line):
            result.append({"id": f"RPS {m['id']}", "status": health(m["state"]), "raw_status": m["state"]})
    if not result:
        raise ParseError("no power supply rows under the power table header")
    return result


_TEMPERATURE_VALUE = re.compile(r"^(?:Switch \d+: )?(?P<sensor>.*?)[ \t]*Temperature Value:\s*(?P<c>-?\d+)")


def temperature(text: str) -> list[dict[str, object]]:
    """`[Inlet|Hotspot] Temperature Value: N Degree Celsius` lines, each followed by its thresholds.

    A stack prints `Switch N: SYSTEM TEMPERATURE is OK` before each member's sensors; the
    thresholds below a value line belong to that sensor.
    """
    result: list[dict[str, object]] = []
    switch = "1"
    for line in (raw.strip() for raw in text.splitlines()):
        if sw := re.match(r"Switch (\d+): SYSTEM TEMPERATURE", line):
            switch = sw.group(1)
        elif value := _TEMPERATURE_VALUE.match(line):
            result.append(
                {
                    "slot": switch,
                    "sensor": value["sensor"] or "system",
                    "celsius": float(value["c"]),
                    "warning": None,
                    "alarm": None,
                }
            )
        elif result and (limit := re.match(r"(Yellow|Red) Threshold\s*:\s*(-?\d+)", line)):
            result[-1]["warning" if limit.group(1) == "Yellow" else "alarm"] = float(limit.group(2))
    if not result:
        raise ParseError("no 'Temperature Value: N Degree Celsius' line")
    return result


def memory(text: str) -> dict[str, float]:
    """The Processor pool of `show memory statistics` (I/O pools are buffers, always near full)."""
    m = search(r"^\s*Processor\s+\S+\s+(\d+)\s+(\d+)\s+\d+", text, "a 'Processor <head> <total> <used>' row")
    total, used = int(m.group(1)), int(m.group(2))
    if not total:
        raise ParseError("a non-zero Processor pool total")
    return {"used_percent": round(100.0 * used / total, 1)}


def cpu(text: str) -> dict[str, int]:
    rows = textfsm_ntc("cisco_ios", "show processes cpu", text)
    if not rows or not rows[0]["cpu_usage_5_sec"]:
        raise ParseError("'CPU utilization for five seconds: N%/N%; one minute: N%; five minutes: N%' line")
    row = rows[0]
    return {
        "five_seconds": int(row["cpu_usage_5_sec"]),
        "one_minute": int(row["cpu_usage_1_min"]),
        "five_minutes": int(row["cpu_usage_5_min"]),
    }


def interfaces(text: str) -> list[dict[str, str]]:
    """`show ip interface brief` has no description column: description is ""."""
    require_header(
        text, r"^Interface\s+IP-Address\s+OK\?", "an 'Interface IP-Address OK? Method Status Protocol' table"
    )
    return [
        {
            "name": row["interface"],
            "admin": "down" if row["status"].startswith("administratively") else "up",
            "oper": "up" if row["status"] == "up" else "down",
            "description": "",
        }
        for row in textfsm_ntc("cisco_ios", "show ip interface brief", text)
    ]


def vlans(text: str) -> list[dict[str, object]]:
    require_header(text, r"^VLAN\s+Name\s+Status\s+Ports", "a 'VLAN Name Status Ports' table")
    return [
        {"id": int(row["vlan_id"]), "name": row["vlan_name"], "status": row["status"]}
        for row in textfsm_ntc("cisco_ios", "show vlan brief", text)
    ]


def ospf_peers(text: str) -> list[dict[str, object]]:
    """No area column in `show ip ospf neighbor`: area is None."""
    if not text.strip():
        return []  # no OSPF process: IOS prints nothing
    require_header(text, r"^Neighbor ID\s+Pri\s+State", "a 'Neighbor ID Pri State' table")
    return [
        {
            "router_id": row["neighbor_id"],
            "address": row["ip_address"],
            "interface": row["interface"],
            "state": row["state"],
            "area": None,
        }
        for row in textfsm_ntc("cisco_ios", "show ip ospf neighbor", text)
    ]


def ntp(text: str) -> dict[str, object]:
    m = search(
        r"Clock is (synchronized|unsynchronized)(?:, stratum (\d+))?(?:, reference is (\S+))?",
        text,
        "'Clock is (un)synchronized' line",
    )
    synchronized = m.group(1) == "synchronized"
    return {
        "synchronized": synchronized,
        "server": m.group(3) if synchronized else None,
        "stratum": int(m.group(2)) if m.group(2) else None,
    }


def clock(text: str) -> dict[str, str]:
    # `*` = clock not authoritative, `.` = authoritative but not synchronized: kept, they mean something.
    return {
        "text": search(
            r"^[ \t]*([*.]?\d{1,2}:\d{2}:\d{2}.*?)[ \t]*$", text, "a 'hh:mm:ss.mmm TZ ...' line"
        ).group(1)
    }


# `*Nov 26 10:12:01.123: %SYS-5-CONFIG_I: ...`, with optional `000123: ` sequence numbers,
# `*`/`.` sync marks, a time zone, a year, or uptime stamps (`1w2d: `, `00:01:02: `).
_LOG_ENTRY = re.compile(
    r"^(?:\d+:\s+)?[*.]?(?P<time>(?:[A-Z][a-z]{2}\s+\d{1,2}(?:\s+\d{4})?\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s+[A-Z]{2,5})?)"
    r"|\d+[wdhy]\d+[wdhy]|\d{2}:\d{2}:\d{2}):\s+"
    r"%(?P<module>[A-Z0-9_]+(?:-[A-Z0-9_]+)*?)-(?P<severity>[0-7])-(?P<mnemonic>[A-Z0-9_]+):\s?(?P<text>.*)$"
)


def logbuffer(text: str) -> list[dict[str, object]]:
    """Entries after `Log Buffer (N bytes):`; lines without a %FAC-SEV-MNEMONIC tag are not events."""
    start = re.search(r"^Log Buffer \(\d+ bytes\):\s*$", text, re.MULTILINE)
    if start is None and not _LOG_ENTRY.match(text.strip().splitlines()[0] if text.strip() else ""):
        raise ParseError("'Log Buffer (N bytes):' header not found")
    body = text[start.end() :] if start else text
    return [
        {
            "time": re.sub(r"\s+", " ", m["time"]),
            "severity": int(m["severity"]),
            "module": m["module"],
            "mnemonic": m["mnemonic"],
            "text": m["text"].strip(),
        }
        for m in map(_LOG_ENTRY.match, (line.strip() for line in body.splitlines()))
        if m
    ]
