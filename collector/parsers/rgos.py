"""Ruijie RGOS 10.x/11.x switches (RG-S2910, RG-S5750, RG-S8600E, RG-N18000).

ntc-templates has no Ruijie templates: every parser here reads the layout RGOS prints, as the
real captures in tests/real/rgos/ show it. Interface names carry a space
(`TenGigabitEthernet 1/1`, `AggregatePort 1`); tables are fixed-width with a dashed rule under
the header; `show power` and `show fan` print `N/A` for an empty slot.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import (
    buffer_entries,
    clock_line,
    health,
    ntp_status,
    ospf_peer,
    require_header,
    search,
    without_noise,
)
from netkb.collector.parsers.rgos_lldp import neighbours
from netkb.collector.parsers.rgos_rancid import files

__all__ = [
    "clock", "cpu", "fans", "files", "interfaces", "logbuffer", "manuinfo", "memory", "neighbours", "ntp",
    "ospf_peers", "power", "temperature", "uptime", "version", "vlans",
]  # fmt: skip

# An echoed `<host>#show …` line, a bare prompt, or the `----show x----` banner an inspection
# tool writes before each command's output.
_PROMPT_NOISE = re.compile(
    r"^(?:[\w.:/()-]*[#>] ?show .*|-+ ?show .*? ?-+|[\w.:/()-]+[#>])[ \t]*$", re.MULTILINE
)

_cleaned = without_noise(_PROMPT_NOISE)


# --- show version -------------------------------------------------------------------------

_FIELD = r"^\s*{name}\s*:\s*(.*?)\s*$"


@_cleaned
def version(text: str) -> dict[str, str]:
    return _version(text)


def _version(text: str) -> dict[str, str]:
    """`System description : Ruijie … (S8607E) By Ruijie Networks` (the model in the last
    parentheses) and `System software version : S8600E_RGOS 11.0(4)B8`."""
    description = search(_FIELD.format(name="System description"), text, "'System description :' line")
    software = search(_FIELD.format(name="System software version"), text, "'System software version :' line")
    models = re.findall(r"\(([^()]+)\)", description.group(1))
    if not models:
        raise ParseError(f"a model in parentheses in the system description, got {description.group(1)!r}")
    return {"model": models[-1].strip(), "software": software.group(1)}


@_cleaned
def uptime(text: str) -> int:
    """`System uptime : 313:22:34:30` (days:hours:minutes:seconds), or `6d:20h:55m:43s`."""
    raw = search(_FIELD.format(name="System uptime"), text, "'System uptime :' line").group(1)
    m = re.fullmatch(r"(\d+)d?:(\d+)h?:(\d+)m?:(\d+)s?", raw.replace(" ", ""))
    if m is None:
        raise ParseError(f"an uptime like '313:22:34:30' (days:hours:minutes:seconds), got {raw!r}")
    days, hours, minutes, seconds = (int(g) for g in m.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


_SLOT = re.compile(r"^\s*Slot (\S+)\s*:\s*(\S+)\s*$")


@_cleaned
def manuinfo(text: str) -> list[dict[str, str]]:
    """The chassis serial (`System serial number :`) and each module's under `Module information:`."""
    model = _version(text)["model"]
    serial = search(_FIELD.format(name="System serial number"), text, "'System serial number :' line")
    rows = [{"slot": "chassis", "name": model, "serial": serial.group(1)}]
    slot: tuple[str, str] | None = None
    for line in text.splitlines():
        if m := _SLOT.match(line):
            slot = (m.group(1), m.group(2))
        elif slot and (m := re.match(r"^\s+Serial number\s*:\s*(\S+)\s*$", line)):
            rows.append({"slot": slot[0], "name": slot[1], "serial": m.group(1)})
            slot = None
    return rows


# --- fixed-width status tables (show power, show fan) ------------------------------------------

_STATE_WORDS = {"ok": "normal", "normal": "normal", "fail": "fault", "fault": "fault", "n/a": "absent"}


def _status(raw: str) -> str:
    return _STATE_WORDS.get(raw.strip().lower()) or health(raw)


def _status_table(text: str, first: str, what: str) -> list[dict[str, str]]:
    """Rows of the table whose header starts with `first` (`power-id`, `fan-id`): the id and the
    `status` column, read by the header's column positions; the table ends at a blank line
    followed by another header, or at the end."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(rf"^\s*{first}\s+", line)), None)
    if start is None:
        raise ParseError(f"the '{first} … status' table header not found ({what})")
    header = lines[start]
    columns = [(m.start(), m.group()) for m in re.finditer(r"\S+", header)]
    names = [name.lower() for _, name in columns]
    if "status" not in names:
        raise ParseError(f"no status column in the {what} header {header.strip()!r}")
    index = names.index("status")
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip() or re.fullmatch(r"[\s-]+", line):
            continue
        tokens = line.split()
        if re.match(r"^\s*(?:slot|total-power|power-id|fan-id)\b", line, re.IGNORECASE):
            break  # the next table (slot power budget, totals)
        if len(tokens) <= index:
            raise ParseError(f"a {what} row with a status column, got {line.strip()!r}")
        # Fixed width: the status starts where its header does (a value never spills left of it).
        begin = columns[index][0]
        end = columns[index + 1][0] if index + 1 < len(columns) else len(line)
        raw = line[begin:end].strip() or tokens[index]
        rows.append({"id": tokens[0], "status": _status(raw), "raw_status": raw})
    if not rows:
        raise ParseError(f"no rows under the {what} header")
    return rows


@_cleaned
def power(text: str) -> list[dict[str, str]]:
    """`show power`: `1  RG-PA1600I  1600  ok …`; an empty slot prints N/A (absent)."""
    return _status_table(text, "power-id", "power supply")


@_cleaned
def fans(text: str) -> list[dict[str, str]]:
    """`show fan`: the `fan-id  status  mode  speed-level` table."""
    return _status_table(text, "fan-id", "fan")


# --- show temperature -------------------------------------------------------------------------

_TEMP_ROW = re.compile(
    r"^\s*(?P<slot>\S+)\s+(?P<now>-?\d+)\s*C?\s+(?P<warn>-?\d+)\s*C?\s+(?P<alarm>-?\d+)\s*C?\s*$"
)
_TEMP_ONE = re.compile(r"^\s*(?:System )?temperature\s*:\s*(-?\d+)\s*C?\s*$", re.MULTILINE | re.IGNORECASE)


@_cleaned
def temperature(text: str) -> list[dict[str, object]]:
    """`Slot  Current(C)  Warning(C)  Shutdown(C)` rows, or one `System temperature : 45C`
    line (no limits printed: warning and alarm None)."""
    rows: list[dict[str, object]] = []
    if re.search(r"^\s*Slot\s+.*Temperature", text, re.MULTILINE | re.IGNORECASE):
        for line in text.splitlines():
            if m := _TEMP_ROW.match(line):
                rows.append(
                    {
                        "slot": m["slot"],
                        "sensor": "board",
                        "celsius": int(m["now"]),
                        "warning": int(m["warn"]),
                        "alarm": int(m["alarm"]),
                    }
                )
    elif m := _TEMP_ONE.search(text):
        rows.append(
            {
                "slot": "chassis",
                "sensor": "system",
                "celsius": int(m.group(1)),
                "warning": None,
                "alarm": None,
            }
        )
    if not rows:
        raise ParseError("a 'Slot … Temperature' table with rows, or a 'System temperature : N' line")
    return rows


# --- show cpu / show memory -------------------------------------------------------------------

_CPU = re.compile(
    r"CPU utilization in five seconds\s*:\s*([\d.]+)%\s*\n"
    r"\s*CPU utilization in one minute\s*:\s*([\d.]+)%\s*\n"
    r"\s*CPU utilization in five minutes\s*:\s*([\d.]+)%"
)


@_cleaned
def cpu(text: str) -> dict[str, int]:
    """The three `CPU utilization in …: N%` lines; a chassis prints them per slot: the busiest."""
    rows = [tuple(round(float(v)) for v in m.groups()) for m in _CPU.finditer(text)]
    if not rows:
        raise ParseError("'CPU utilization in five seconds/one minute/five minutes: N%' lines")
    five_seconds, one_minute, five_minutes = max(rows, key=lambda r: (r[2], r[1]))
    return {"five_seconds": five_seconds, "one_minute": one_minute, "five_minutes": five_minutes}


@_cleaned
def memory(text: str) -> dict[str, float]:
    """`System Memory: 4194304KB total, 2333740KB used, 1860564KB free, 55.6% used rate`: the
    used rate the device prints."""
    m = search(r"^\s*System Memory\s*:.*?([\d.]+)%\s*used rate", text, "'System Memory: … N% used rate' line")
    return {"used_percent": float(m.group(1))}


# --- interfaces, VLANs, OSPF ------------------------------------------------------------------

_IF_ROW = re.compile(r"^(?P<name>[A-Za-z][A-Za-z-]*\s?\d+(?:/\d+)*(?:[.:]\d+)?)\s+(?P<status>\S+)\s+\S+")


@_cleaned
def interfaces(text: str) -> list[dict[str, str]]:
    """`show interfaces status`: `TenGigabitEthernet 1/1  up  routed  Full  10G  fiber`. RGOS
    prints `disabled` for a shut port; no description column: description is ""."""
    require_header(
        text, r"^Interface\s+Status\s+Vlan\s+Duplex", "an 'Interface Status Vlan Duplex Speed' table"
    )
    rows = []
    for line in text.splitlines():
        if line.startswith("Interface") or re.fullmatch(r"[\s-]*", line):
            continue
        m = _IF_ROW.match(line)
        if m is None:
            raise ParseError(f"an interface row, got {line.strip()!r}")
        status = m["status"].lower()
        rows.append(
            {
                "name": m["name"],
                "admin": "down" if status in ("disabled", "disable", "administratively") else "up",
                "oper": "up" if status == "up" else "down",
                "description": "",
            }
        )
    return rows


_VLAN_ROW = re.compile(r"^\s*(?P<id>\d{1,4})\s+(?P<name>\S(?:.*?\S)?)\s{2,}(?P<type>[A-Z]+)\b")
# `show vlan` prints how a VLAN was made (STATIC, DYNAMIC by GVRP), not a state: a VLAN listed
# is in use. Any other word is kept as printed, so the check says it does not understand it.
_VLAN_ACTIVE = {"STATIC", "DYNAMIC"}


@_cleaned
def vlans(text: str) -> list[dict[str, object]]:
    require_header(text, r"^\s*VLAN\s+Name\s+Status\s+Ports", "a 'VLAN Name Status Ports' table")
    rows: list[dict[str, object]] = []
    for line in text.splitlines():
        if m := _VLAN_ROW.match(line):
            word = m["type"]
            rows.append(
                {"id": int(m["id"]), "name": m["name"], "status": "active" if word in _VLAN_ACTIVE else word}
            )
    if not rows:
        raise ParseError("no VLAN rows under the 'VLAN Name Status Ports' header")
    return rows


_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_OSPF_ROW = re.compile(
    rf"^(?P<rid>{_IPV4})\s+\d+\s+(?P<state>[A-Za-z0-9-]+/\s*\S+)\s+(?:\S+\s+)?"
    rf"(?:\d{{2}}:\d{{2}}:\d{{2}}|-)\s+(?P<address>{_IPV4})\s+(?P<interface>\S.*?)\s*$"
)


@_cleaned
def ospf_peers(text: str) -> list[dict[str, object]]:
    """`Neighbor ID  Pri  State  [BFD State]  Dead Time  Address  Interface`; no area column:
    area is None. No OSPF process prints nothing; a process with no neighbour prints only its
    `OSPF process 1, 0 Neighbors, 0 is Full:` line."""
    if not text.strip():
        return []
    if not re.search(r"^\s*Neighbor ID\s+Pri\s+State", text, re.MULTILINE):
        if re.search(r"^\s*OSPF process \d+, 0 Neighbors", text, re.MULTILINE):
            return []
        raise ParseError("a 'Neighbor ID Pri State' table header not found")
    peers: list[dict[str, object]] = []
    for line in text.splitlines():
        if m := _OSPF_ROW.match(line.strip()):
            peers.append(ospf_peer(m))
    counted = re.findall(r"^\s*OSPF process \d+, (\d+) Neighbors", text, re.MULTILINE)
    if counted and sum(map(int, counted)) != len(peers):
        raise ParseError(f"{sum(map(int, counted))} neighbours announced, {len(peers)} rows read")
    return peers


# --- NTP, clock, log --------------------------------------------------------------------------


@_cleaned
def ntp(text: str) -> dict[str, object]:
    """`Clock status: synchronized` / `Clock stratum: 3` / `Reference clock: 10.0.0.1`."""
    return ntp_status(text, r"^\s*reference clock\s*:\s*([^\s(]+)")


@_cleaned
def clock(text: str) -> dict[str, str]:
    """`23:26:48 beijing Sun, Sep 27, 2020` (a `*` before it: not synchronised, kept)."""
    return clock_line(
        text, r"^[ \t]*(\*?\d{1,2}:\d{2}:\d{2}.*?)[ \t]*$", "an 'hh:mm:ss TZ Day, Mon dd, yyyy' line"
    )


# `001233: *May 22 09:44:36: Ruijie %SYS-5-CONFIG_I: Configured from console by console`: an
# optional sequence number, `*`, the time (year and milliseconds only when configured; or the
# uptime `dd:hh:mm:ss`), an optional sysname, then %MODULE-SEVERITY-MNEMONIC: text.
_LOG_ENTRY = re.compile(
    r"^(?:\d+:\s+)?\*?"
    r"(?P<time>[A-Z][a-z]{2}\s+\d{1,2}(?:\s+\d{4})?\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?|\d+:\d{2}:\d{2}:\d{2}):\s+"
    r"(?:\S+\s+)?%(?P<module>[A-Z0-9_]+(?:-[A-Z0-9_]+)*?)-(?P<severity>[0-7])-(?P<mnemonic>[A-Z0-9_]+):\s?(?P<text>.*)$"
)


@_cleaned
def logbuffer(text: str) -> list[dict[str, object]]:
    """Entries after `Log Buffer (Total N Bytes): …`; an indented line continues the entry above."""
    return buffer_entries(text, r"^\s*Log Buffer\b.*$", _LOG_ENTRY, "'Log Buffer (Total N Bytes):'")
