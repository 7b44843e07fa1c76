"""Cisco IOS: what RANCID records beside the config (`show boot`, `show license`, `show vtp
status`), durable parts only (collector/parsers/rancid_state.py)."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.rancid_state import paths, value


def boot(text: str) -> dict[str, object]:
    """`show boot`: the images the next reload boots (`BOOT path-list :` on classic IOS,
    `BOOT variable =` under `Boot Variables on next reload:` on IOS-XE)."""
    if not re.search(r"^\s*BOOT (?:path-list|variable)\b", text, re.M):
        raise ParseError("a 'BOOT path-list' or 'BOOT variable' line not found")
    _, _, after = text.partition("Boot Variables on next reload:")
    nxt = value(after or text, r"BOOT (?:path-list|variable)")
    return {"current": None, "next": paths(nxt)}


def startup(text: str) -> dict[str, object]:
    """`show boot`: the config file (`Config file :` classic, `CONFIG_FILE variable =` IOS-XE);
    None where the device uses its default (nvram:startup-config)."""
    if not re.search(r"^\s*BOOT (?:path-list|variable)\b", text, re.M):
        raise ParseError("a 'BOOT path-list' or 'BOOT variable' line not found")
    return {"current": None, "next": value(text, r"(?:Config file|CONFIG_FILE variable)")}


_LICENCE = re.compile(r"^Index \d+ Feature: (?P<name>\S+)[ \t]*\n(?P<body>(?:[ \t]+\S.*\n?)*)", re.M)
# Smart Licensing (IOS-XE 16+): `network-advantage (C9300-48 Network Advantage):` and its indented
# fields (`show license`, `show license usage`, `show license all`), or the `License Usage:` table
# of `show license summary` (`network-advantage  (C9300-48 Network Advan...)  1 IN USE`).
_SMART_BLOCK = re.compile(
    r"^(?P<name>\S[^\n(]*?) \((?P<tag>[^)\n]*)\):[ \t]*\n(?P<body>(?:[ \t]+\S.*\n?)*)", re.M
)
_SMART_ROW = re.compile(
    r"^[ \t]*(?P<name>\S[^\n(]*?)[ \t]+\((?P<tag>[^)\n]*)\)[ \t]+(?P<count>\d+)[ \t]+(?P<state>\S.*?)[ \t]*$",
    re.M,
)
_SMART = re.compile(r"^\s*(?:Smart Licensing|License Usage|License Authorization)\b", re.M)


def _smart(text: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {
            "name": m["name"],
            "type": value(m["body"], "License type"),
            "state": value(m["body"], "Status"),
            "tag": m["tag"],
            "count": int(value(m["body"], "Count") or 0) or None,
        }
        for m in _SMART_BLOCK.finditer(text)
    ]
    if rows:
        return rows
    _, _, table = text.partition("License Usage")
    return [
        {"name": m["name"], "type": None, "state": m["state"], "tag": m["tag"], "count": int(m["count"])}
        for m in _SMART_ROW.finditer(table)
    ]


def licences(text: str) -> list[dict[str, object]]:
    """`show license`: each feature with its type and state (the period left is left out: an
    evaluation licence counts it down every night). Smart Licensing (IOS-XE 16+, `show license`
    or `show license summary`): each licence in use with its entitlement tag, count and status;
    a device that uses none (`No Licenses in Use`) gives no row."""
    rows = [
        {"name": m["name"], "type": value(body, "License Type"), "state": value(body, "License State")}
        for m in _LICENCE.finditer(text)
        for body in [m["body"]]
    ]
    if not rows and _SMART.search(text):
        rows = _smart(text)
        if not rows and not re.search(
            r"(?i)No Licenses in Use|License Usage:?\s*(?:\n\s*)*(?:[-=]+\s*)?$", text
        ):
            raise ParseError("Smart Licensing output without a licence in use or a 'No Licenses in Use' line")
    elif not rows and text.strip():
        raise ParseError("an 'Index N Feature:' line not found")
    return rows


def vtp(text: str) -> dict[str, object]:
    """`show vtp status`: version running, domain, mode and pruning (revision, digest, updater
    and counts change with every VLAN edit and are the VLAN table's business)."""
    mode = value(text, r"VTP Operating Mode")
    if mode is None:
        raise ParseError("a 'VTP Operating Mode' line not found")
    return {
        "version": value(text, r"VTP version running"),
        "domain": value(text, r"VTP Domain Name"),
        "mode": mode,
        "pruning": value(text, r"VTP Pruning Mode"),
    }
