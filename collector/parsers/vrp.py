"""Huawei VRP: S-series (VRP 5), CloudEngine and S/CE V200R01x (VRP 8), chassis S7700/S9700/S12700,
AR and NE routers. Shapes were checked against the real captures in tests/real/vrp/ (see its SOURCES.md).
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import log_entry, ntp_status, require_header, search, uptime_seconds
from netkb.collector.parsers.comware import clock  # both print the time first; only trimming is done
from netkb.collector.parsers.rancid_state import files
from netkb.collector.parsers.vrp_aggregation import vrp_aggregation as aggregation
from netkb.collector.parsers.vrp_env import boards, fans, power, temperature  # the hardware tables
from netkb.collector.parsers.vrp_lldp import neighbours
from netkb.collector.parsers.vrp_rancid import boot, licences, startup

__all__ = [
    "aggregation",
    "boards", "boot", "clock", "cpu", "fans", "files", "interfaces", "licences", "logbuffer", "memory",
    "neighbours", "ntp", "ospf_peers", "power", "startup", "temperature", "uptime", "version", "vlans",
]  # fmt: skip

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
    r"^\s*(?P<name>\S+?)(?:\((?:\d+(?:\.\d+)?[GM]E?|[a-z]+)\))?\s+(?P<phy>[*^#!]?(?:up|down)\S*)\s+(?P<proto>\S+)"
)


def interfaces(text: str) -> list[dict[str, str]]:
    """PHY `*down` is administratively down; `^down` (standby), `#down` (LBDT) are up but not forwarding.

    Trunk members are indented; names may end in a mark (`(v)` virtual port, `(10G)`/`(100G)` a
    port running at another rate, `(100M)`, `(10GE)` on a split port) which is not part of the
    name. VRP prints no description here.
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


# `Nov 26 2026 10:12:01+08:00 dorm-01 %%01SHELL/5/CMDRECORD(s)[0]:text` (time zone, DST optional);
# some modules print no `%%01` (`Nov 30 2019 16:23:55-08:00 Huawei DS/4/DATASYNC_CFGCHANGE:OID ...`)
_LOG_ENTRY = re.compile(
    r"^(?P<time>[A-Z][a-z]{2}\s+\d{1,2}\s+\d{4}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2})?(?: DST)?)"
    r"\s+\S+\s+"
    r"(?:%%\d*)?(?P<module>[\w-]+)/(?P<severity>\d)/(?P<mnemonic>[\w-]+)(?:\([a-z]+\))?(?:\[\d+\])?(?::\s?(?P<text>.*))?$"
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
    previous = ""
    for line in text.splitlines():
        if m := _LOG_ENTRY.match(line.strip()):
            entries.append(log_entry(m))
        elif entries and line.strip() and not _LOG_HEADER.match(line):
            # A line of 80 characters was cut by the terminal, inside a word as often as not.
            joint = "" if len(previous) >= 80 and not line[:1].isspace() else " "
            rest = line.strip() if entries[-1]["text"] else re.sub(r"^\[\d+\]:\s?", "", line.strip())
            entries[-1]["text"] = f"{entries[-1]['text']}{joint}{rest}".strip()
        previous = line
    return entries[::-1]
