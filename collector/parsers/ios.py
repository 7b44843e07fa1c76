"""Cisco IOS / IOS-XE Catalyst switches and ISR/CSR routers.

Every parser first drops what the exec prompt adds around a command's output on some devices
(`_cleaned`): the `Load for five secs: ...` / `Time source is NTP, ...` lines of
`terminal exec prompt timestamp`, and an echoed `<host>#show ...` command line.
The `show environment all` parsers live in ios_env.py and ios_temperature.py.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError, ios_env, ios_lldp, ios_rancid, ios_temperature, rancid_state
from netkb.collector.parsers.common import (
    buffer_entries,
    clock_line,
    ospf_peer,
    require_header,
    search,
    textfsm_ntc,
    uptime_seconds,
    without_noise,
)
from netkb.collector.parsers.ios_aggregation import ios_aggregation as aggregation

__all__ = [
    "aggregation",
    "boards", "boot", "clock", "cpu", "fans", "files", "interfaces", "licences", "logbuffer", "manuinfo",
    "memory", "neighbours", "ntp", "ospf_peers", "power", "startup", "temperature", "uptime", "version",
    "vlans", "vtp",
]  # fmt: skip

_PROMPT_NOISE = re.compile(
    r"^(?:(?:Load )?for five secs: \d+%/\d+%; one minute: \d+%; five minutes: \d+%"
    r"|Time source is .*|No time source, .*"
    r"|[\w.:/()-]*[#>] ?show .*|show \S.*|-+ show .* -+|[\w.:/()-]+[#>])[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)

_cleaned = without_noise(_PROMPT_NOISE)


@_cleaned
def version(text: str) -> dict[str, str]:
    """Model and software of `show version`: the ntc template, else (IOS-XE builds it does not know,
    `Experimental Version 16.4.20170410:165034`) the `Cisco IOS Software ..., Version X` line and
    the `cisco <model> (<cpu>) processor` line."""
    rows = textfsm_ntc("cisco_ios", "show version", text)
    if rows and rows[0]["version"] and rows[0]["hardware"]:
        return {"model": rows[0]["hardware"][0], "software": rows[0]["version"]}
    software = re.search(r"^Cisco IOS Software\b.*?\bVersion ([^\s,]+)", text, re.MULTILINE)
    model = re.search(r"^[Cc]isco (\S+) \([^)]*\) (?:processor\b.*)?with \d+K", text, re.MULTILINE)
    if not software or not model:
        raise ParseError("'Cisco IOS Software ... Version' and 'cisco <model> ... processor' lines not found")
    return {"model": model.group(1), "software": software.group(1)}


@_cleaned
def uptime(text: str) -> int:
    return uptime_seconds(search(r"^\S+ uptime is (.+)$", text, "'<hostname> uptime is' line").group(1))


@_cleaned
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


# `*1  Active  689c.e2ff.b9d9  3  V04  Ready`; the H/W version is blank for a Provisioned or
# Unprovisioned member (`2  Member  0000.0000.0000  0  Provisioned`) and some Ready ones.
_STACK_MEMBER = re.compile(
    r"^\*?(?P<member>\d+)\s+(?P<role>\S+)\s+(?P<mac>[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})\s+"
    r"(?P<priority>\d+)\s+(?:(?P<hw>V?\d+\w*)\s+)?(?P<state>\D.*?)\s*$"
)
# Configured (or remembered) members with no switch in the slot: not a fault of the stack.
_MEMBER_ABSENT = {"provisioned", "unprovisioned"}


@_cleaned
def boards(text: str) -> list[dict[str, str]]:
    """Stack members of `show switch` (or the member table of `show switch detail`).

    `show inventory` lists what is installed, not whether it works; a member that is not
    `Ready` (Removed, V-Mismatch, Version Mismatch, Initializing...) is a fault; a Provisioned
    (or Unprovisioned) one is configured but absent.
    """
    require_header(text, r"^\s*Switch#\s+Role", "the 'Switch#  Role  Mac Address' header")
    result = []
    for line in text.splitlines():
        if re.match(r"^\s*Switch#\s+Port", line):
            break  # the stack-port table of `show switch detail`
        if m := _STACK_MEMBER.match(line.strip()):
            state = re.sub(r"\s+", " ", m["state"])
            word = state.lower()
            status = "normal" if word == "ready" else ("absent" if word in _MEMBER_ABSENT else "fault")
            result.append({"slot": m["member"], "type": m["role"], "status": status, "raw_status": state})
    if not result:
        raise ParseError("no stack member rows under the 'Switch#' header")
    return result


# `show environment all` (ios_env.py, ios_temperature.py), with the exec-prompt noise dropped first.
fans = _cleaned(ios_env.fans)
power = _cleaned(ios_env.power)
temperature = _cleaned(ios_temperature.temperature)


@_cleaned
def memory(text: str) -> dict[str, float]:
    """The Processor pool of `show memory statistics` (I/O pools are buffers, always near full).

    `Processor  <head>  <total>  <used>  <free> ...` rows (IOS, IOS-XE 16), or
    `Processor Pool Total: N Used: N Free: N` (IOS-XE 17, `show memory` header).
    """
    m = re.search(r"^\s*Processor\s+[0-9A-Fa-f]+\s+(\d+)\s+(\d+)\s+\d+", text, re.MULTILINE) or search(
        r"^\s*Processor Pool Total:\s*(\d+)\s+Used:\s*(\d+)",
        text,
        "a 'Processor <head> <total> <used>' row or 'Processor Pool Total: N Used: N' line",
    )
    total, used = int(m.group(1)), int(m.group(2))
    if not total:
        raise ParseError("a non-zero Processor pool total")
    return {"used_percent": round(100.0 * used / total, 1)}


_CPU_LINE = re.compile(
    r"CPU utilization for five seconds:\s*(\d+)%(?:\s*/\s*\d+%)?;"
    r"\s*one minute:\s*(\d+)%;\s*five minutes:\s*(\d+)%"
)


@_cleaned
def cpu(text: str) -> dict[str, int]:
    """`CPU utilization for five seconds: 5%/0%; one minute: 6%; five minutes: 5%` (the first
    such line; a router with several cores prints the busiest... the same summary first)."""
    rows = [tuple(map(int, m.groups())) for m in _CPU_LINE.finditer(text)]
    if not rows:
        raise ParseError("'CPU utilization for five seconds: N%/N%; one minute: N%; five minutes: N%' line")
    five_seconds, one_minute, five_minutes = max(rows, key=lambda r: (r[2], r[1]))
    return {"five_seconds": five_seconds, "one_minute": one_minute, "five_minutes": five_minutes}


@_cleaned
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


# A name longer than its 32-character column pushes the rest of the row onto the next line:
# `1006 fddinet-fdnet-trbrf-default-Test-long` then `<38 spaces>act/unsup Gi0/0/0`.
_WRAPPED_VLAN = re.compile(
    r"^(?P<id>\d{1,4})\s+(?P<name>\S{33,})\s*\n\s{20,}(?P<status>[a-z]+(?:/[a-z]+)?)\b", re.MULTILINE
)


@_cleaned
def vlans(text: str) -> list[dict[str, object]]:
    """ntc's template reads one row per line; a VLAN whose long name wrapped its row is added from
    the two lines it printed (it must not vanish: a suspended one would read as all active)."""
    require_header(text, r"^VLAN\s+Name\s+Status\s+Ports", "a 'VLAN Name Status Ports' table")
    rows: list[dict[str, object]] = [
        {"id": int(row["vlan_id"]), "name": row["vlan_name"], "status": row["status"]}
        for row in textfsm_ntc("cisco_ios", "show vlan brief", text)
    ]
    seen = {row["id"] for row in rows}
    wrapped = [
        {"id": int(m["id"]), "name": m["name"], "status": m["status"]}
        for m in _WRAPPED_VLAN.finditer(text)
        if int(m["id"]) not in seen
    ]
    # IOS lists VLANs in ascending order: the wrapped rows go back where they were printed.
    return sorted(rows + wrapped, key=lambda row: int(str(row["id"]))) if wrapped else rows


@_cleaned
def ospf_peers(text: str) -> list[dict[str, object]]:
    """No area column in `show ip ospf neighbor`: area is None."""
    if not text.strip():
        return []  # no OSPF process: IOS prints nothing
    require_header(text, r"^Neighbor ID\s+Pri\s+State", "a 'Neighbor ID Pri State' table")
    peers: list[dict[str, object]] = [
        {
            "router_id": row["neighbor_id"],
            "address": row["ip_address"],
            "interface": row["interface"],
            "state": re.sub(r"/\s+", "/", row["state"]),
            "area": None,
        }
        for row in textfsm_ntc("cisco_ios", "show ip ospf neighbor", text)
    ]
    # ntc's template needs a Dead Time: an NBMA neighbour that is down prints `-` there and would
    # vanish (`10.0.0.6  1  DOWN/DROTHER  -  10.1.5.6  Vlan30`); such rows are added as printed.
    read = {(p["router_id"], p["address"], p["interface"]) for p in peers}
    for m in _OSPF_NO_DEAD_TIME.finditer(text):
        if (m["rid"], m["address"], m["interface"]) not in read:
            peers.append(ospf_peer(m))
    return peers


_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_OSPF_NO_DEAD_TIME = re.compile(
    rf"^(?P<rid>{_IPV4})\s+\d+\s+(?P<state>[A-Z0-9]+/\s*\S+)\s+-\s+(?P<address>{_IPV4})\s+(?P<interface>\S+)\s*$",
    re.MULTILINE,
)


@_cleaned
def ntp(text: str) -> dict[str, object]:
    """`Clock is synchronized, stratum 4, reference is 10.16.2.2`. A clock synchronised to its
    own local clock (`reference is 127.127.1.1`, or `.LOCL.`) reports that reference as
    `server`: it is not a synchronisation to a time source, and the check must say so.
    `%NTP is not enabled.` is a clock synchronised to nothing."""
    if re.search(r"^\s*%\s*NTP is not enabled", text, re.MULTILINE):
        return {"synchronized": False, "server": None, "stratum": None}
    m = search(
        r"Clock is (synchronized|unsynchronized)(?:, stratum (\d+))?(?:, reference is ([^\s,]+))?",
        text,
        "'Clock is (un)synchronized' line",
    )
    synchronized = m.group(1) == "synchronized"
    return {
        "synchronized": synchronized,
        "server": m.group(3) if synchronized else None,
        "stratum": int(m.group(2)) if m.group(2) else None,
    }


@_cleaned
def clock(text: str) -> dict[str, str]:
    # `*` = clock not authoritative, `.` = authoritative but not synchronized: kept, they mean something.
    return clock_line(text, r"^[ \t]*([*.]?\d{1,2}:\d{2}:\d{2}.*?)[ \t]*$", "a 'hh:mm:ss.mmm TZ ...' line")


# `*Nov 26 10:12:01.123: %SYS-5-CONFIG_I: ...`, with optional `000123: ` sequence numbers,
# `*`/`.` sync marks, a time zone, a year, or uptime stamps (`1w2d: `, `00:01:02: `); a
# `<hostname>: ` before the stamp when `logging origin-id hostname` is set.
_LOG_ENTRY = re.compile(
    r"^(?:\d+:\s+)?(?:[\w.-]+:\s+)??[*.]?"
    r"(?P<time>(?:[A-Z][a-z]{2}\s+\d{1,2}(?:\s+\d{4})?\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s+[A-Za-z]{2,5}[+-]?\d*)?)"
    r"|\d+[wdhy]\d+[wdhy]|\d{2}:\d{2}:\d{2}(?:\.\d+)?):\s+"
    r"%(?P<module>[A-Z0-9_]+(?:-[A-Z0-9_]+)*?)-(?P<severity>[0-7])-(?P<mnemonic>[A-Z0-9_]+):\s?(?P<text>.*)$"
)


@_cleaned
def logbuffer(text: str) -> list[dict[str, object]]:
    """Entries after `Log Buffer (N bytes):`; lines without a %FAC-SEV-MNEMONIC tag are not events,
    except an indented line right below an entry (a long message wrapped by the device)."""
    return buffer_entries(text, r"^\s*Log Buffer \(\d+ bytes\):\s*$", _LOG_ENTRY, "'Log Buffer (N bytes):'")


neighbours = _cleaned(ios_lldp.neighbours)

# What RANCID records beside the config (collector/parsers/rancid_state.py).
files = _cleaned(rancid_state.files)
boot = _cleaned(ios_rancid.boot)
startup = _cleaned(ios_rancid.startup)
licences = _cleaned(ios_rancid.licences)
vtp = _cleaned(ios_rancid.vtp)
