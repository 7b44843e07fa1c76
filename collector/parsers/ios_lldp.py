"""Cisco IOS: `show lldp neighbors detail` through ntc-templates (its template reads the
blocks as printed, `System Name - not advertised` included), or, where LLDP is off, the
`show cdp neighbors detail` the spec asks for instead (collector/parsers/ios_cdp.py)."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import textfsm_ntc
from netkb.collector.parsers.ios_cdp import CDP_BLOCK, cdp_neighbours
from netkb.collector.parsers.neighbour_table import expand_name, neighbour

_ABBREVIATIONS = {
    "Gi": "GigabitEthernet",
    "Te": "TenGigabitEthernet",
    "Fa": "FastEthernet",
    "Twe": "TwentyFiveGigE",
    "Fo": "FortyGigabitEthernet",
    "Hu": "HundredGigE",
    "Po": "Port-channel",
    "Eth": "Ethernet",
}


def full_interface_name(name: str) -> str:
    return expand_name(name, _ABBREVIATIONS)


def neighbours(text: str) -> list[dict[str, object]]:
    if not text.strip() or re.search(r"^Total entries displayed: 0\s*$", text, re.M):
        return []
    if CDP_BLOCK.search(text):
        return cdp_neighbours(text, full_interface_name)
    if not re.search(r"^Local Intf:", text, re.M):
        raise ParseError("a 'Local Intf:' block not found")
    rows = textfsm_ntc("cisco_ios", "show lldp neighbors detail", text)
    return [
        neighbour(
            full_interface_name(r["local_interface"]),
            r["neighbor_name"],
            r["neighbor_port_id"],
            r["chassis_id"],
        )
        for r in rows
    ]
