"""H3C Comware 5 and 7: interface, VLAN, OSPF, IRF and WLAN tables."""

from __future__ import annotations

import re

import textfsm

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import require_header, textfsm_ntc, textfsm_own

# `display interface brief` abbreviates names; the configuration and every other display
# use the full ones, so state is keyed by the full name.
_ABBREVIATIONS = {
    "GE": "GigabitEthernet",
    "XGE": "Ten-GigabitEthernet",
    "FGE": "FortyGigE",
    "HGE": "HundredGigE",
    "WGE": "Twenty-FiveGigE",
    "MGE": "M-GigabitEthernet",
    "M-GE": "M-GigabitEthernet",  # Comware 5 management port (`M-GE0/0/0`)
    "FE": "Ethernet",
    "Eth": "Ethernet",
    "Vlan": "Vlan-interface",
    "Loop": "LoopBack",
    "InLoop": "InLoopBack",
    "BAGG": "Bridge-Aggregation",
    "RAGG": "Route-Aggregation",
    "Tun": "Tunnel",
    "REG": "Register-Tunnel",
    "Vsi": "Vsi-interface",
}
_SHORT_NAME = re.compile(r"^(?P<prefix>[A-Za-z]+?(?:-[A-Za-z]+)?)(?P<rest>\d.*)$")


def full_interface_name(name: str) -> str:
    m = _SHORT_NAME.match(name)
    if m is None or m["prefix"] not in _ABBREVIATIONS:
        return name  # already full (NULL0, Aux0, Cellular0/0) or unknown: keep as printed
    return _ABBREVIATIONS[m["prefix"]] + m["rest"]


def interfaces(text: str) -> list[dict[str, str]]:
    """Route-mode and bridge-mode tables.

    Link `ADM` is administratively down; `Stby` (standby) is enabled but not forwarding.
    """
    require_header(text, r"^Interface\s+Link\s+(?:Protocol|Speed)\b", "an 'Interface Link' table")
    rows = textfsm_ntc("hp_comware", "display interface brief", text)
    result = []
    for row in rows:
        link = row["link"].upper()
        result.append(
            {
                "name": full_interface_name(row["interface"]),
                "admin": "down" if link == "ADM" else "up",
                "oper": "up" if link == "UP" else "down",
                "description": row["description"].strip(),
            }
        )
    return result


def vlans(text: str) -> list[dict[str, object]]:
    require_header(text, r"^\s*VLAN ID\s+Name\s+Port", "a 'VLAN ID Name Port' table")
    try:
        rows = textfsm_own("comware_display_vlan_brief", text)
    except textfsm.TextFSMError as exc:  # the template's Error rule: a line no VLAN table holds
        raise ParseError(f"'display vlan brief' table: {exc}") from exc
    # Comware has no per-VLAN state: a VLAN that is listed exists and forwards.
    return [{"id": int(row["id"]), "name": row["name"], "status": "active"} for row in rows]


_IP = r"\d{1,3}(?:\.\d{1,3}){3}"
_OSPF_STATE = re.compile(
    r"\b(?P<state>(?:Full|Init|2-Way|ExStart|Exchange|Loading|Attempt|Down)(?:/\s*(?:DROther|BDR|DR|-))?)(?=\s|$)",
    re.IGNORECASE,
)
# The Dead-Time may print as `-`/`--` (a neighbour that is down): any token, never a dropped row.
_OSPF_ROW = re.compile(rf"^\s*(?P<rid>{_IP})\s+(?P<address>{_IP})\s+\d+\s+\S+\s+(?P<rest>.+?)\s*$")


def ospf_peers(text: str) -> list[dict[str, object]]:
    """Comware 7 prints State before Interface, Comware 5 after; states may hold a space (`Full/ -`)."""
    if not text.strip():
        return []  # no OSPF process: the device prints nothing at all
    if re.search(r"^\s*OSPF Process \d+ with Router ID", text, re.M) and not re.search(
        r"Router ID\s+Address", text
    ):
        return []  # a process whose last neighbour is gone: its header and no table
    require_header(
        text, r"^\s*Router ID\s+Address\s+Pri\s+Dead-Time", "a 'Router ID Address Pri Dead-Time' table"
    )
    peers: list[dict[str, object]] = []
    area: str | None = None
    for line in text.splitlines():
        if m := re.match(rf"^\s*Area:?\s*({_IP})", line):
            area = m.group(1)
        elif m := _OSPF_ROW.match(line):
            state = _OSPF_STATE.search(m["rest"])
            if state is None:
                raise ParseError(f"an OSPF neighbour state in {line.strip()!r}")
            interface = (m["rest"][: state.start()] + m["rest"][state.end() :]).strip()
            peers.append(
                {
                    "router_id": m["rid"],
                    "address": m["address"],
                    "interface": full_interface_name(interface),
                    "state": re.sub(r"\s+", "", state["state"]),
                    "area": area,
                }
            )
    return peers


# `*+1  Master  32  1ac2-93f6-1104  ---`; Comware 5 names the column `Switch`; IRF chassis add a
# `Slot` column (one row per main board). The role is kept as printed: Loading, or anything new,
# is a member that is not ready.
_IRF_ROW = re.compile(
    r"^\s*[*+]*\s*(?P<member>\d+)\s+(?:(?P<slot>\d+)\s+)?(?P<role>[A-Za-z]+)\s+(?P<priority>\d+)\s+"
    r"(?P<mac>[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}|-+|N/?A)(?:\s|$)"
)
_IRF_HEADER = re.compile(
    r"^\s*(?:MemberID|Switch|Member(?:\s+ID)?)\s+(?:Slot\s+)?Role\s+Priority\s+CPU-Mac", re.M
)
_IRF_READY = {"master", "standby", "slave"}


def irf(text: str) -> list[dict[str, object]]:
    header = _IRF_HEADER.search(text)
    if header is None:
        raise ParseError("a 'MemberID Role Priority CPU-Mac' table header not found")
    members: list[dict[str, object]] = []
    for line in text[header.end() :].splitlines():
        if line.strip().startswith("---"):
            break  # the legend and the IRF summary follow
        if m := _IRF_ROW.match(line):
            members.append(
                {
                    "member": int(m["member"]),
                    "role": m["role"],
                    "priority": int(m["priority"]),
                    "mac": m["mac"].lower(),
                }
            )
    if not members:
        raise ParseError("no member rows under the IRF header")
    return _one_row_per_member(members)


def _one_row_per_member(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """IRF chassis print one row per main board (`Member Slot Role ...`); a member is Master when
    one of its boards is, and not ready when one of its boards is not (Loading...)."""
    merged: dict[object, dict[str, object]] = {}
    for row in rows:
        first = merged.setdefault(row["member"], dict(row))
        role = str(row["role"])
        if role.lower() == "master" or (
            role.lower() not in _IRF_READY and str(first["role"]).lower() in _IRF_READY
        ):
            first["role"] = role
    return list(merged.values())


def aps(text: str) -> list[dict[str, str]]:
    """`display wlan ap all`: state R (Run, R/M, R/B) is online; anything else (Idle, Join...) is not.

    The Serial ID column runs into Group name when a serial fills it, so only the leading
    columns and a trailing IP address are read.
    """
    header = re.search(r"^AP name\s+APID\s+State\s+Model\b.*$", text, re.MULTILINE)
    if header is None:
        return _aps_without_apid(text)
    result = []
    for line in text[header.end() :].splitlines():
        fields = line.split()
        if len(fields) < 4 or not fields[1].isdigit():
            continue
        ip = fields[-1] if re.fullmatch(_IP, fields[-1]) else ""
        state = "online" if fields[2].upper().startswith("R") else "offline"
        result.append({"name": fields[0], "state": state, "model": fields[3], "ip": ip})
    return result


def _aps_without_apid(text: str) -> list[dict[str, str]]:
    """Comware 5 WX controllers: ` AP Name  State  Model  Serial-ID` between dashed rules, the
    state as a word (Run, Idle) or the same letters as Comware 7 (R/M, I, J, IL)."""
    header = re.search(r"^\s*AP Name\s+State\s+Model\b.*$", text, re.MULTILINE | re.IGNORECASE)
    if header is None:
        raise ParseError("an 'AP name APID State Model' (or 'AP Name State Model') table header not found")
    result = []
    for line in text[header.end() :].splitlines():
        fields = line.split()
        if len(fields) < 3 or set(line.strip()) <= {"-"}:
            continue
        state = "online" if fields[1].upper().startswith("R") else "offline"
        result.append({"name": fields[0], "state": state, "model": fields[2], "ip": ""})
    return result
